'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { validSession } from './keys';
import { authStateStore } from './state-store';
import { SESSION_COOKIE } from './session';
import { gateEnabled } from './settings';

/**
 * Ends this browser's session: the cookie is deleted *and* its id revoked, so
 * a copy of the cookie (another tab's request in flight, a stolen value) is
 * refused from now on. Then shows the login page.
 */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  if (gateEnabled()) {
    const session = await validSession(jar.get(SESSION_COOKIE)?.value);
    if (session) await authStateStore().revoke(session.id, session.expiresAt);
  }
  jar.delete(SESSION_COOKIE);
  redirect('/login');
}
