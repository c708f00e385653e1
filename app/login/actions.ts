'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeNext } from '@/lib/auth/gate';
import { sessionKeys } from '@/lib/auth/keys';
import { addressKey, loginLimiter } from '@/lib/auth/rate-limit';
import { issueToken, passwordMatches, SESSION_COOKIE, SESSION_TTL_SECONDS } from '@/lib/auth/session';
import { authSettings } from '@/lib/auth/settings';

export type SignInState = { error: string | null };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The one action reachable without a session (proxy.ts lets POST /login
 * through). Rate-limited per client address before the password is looked at.
 */
export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const next = safeNext(form.get('next'));
  const { password } = authSettings();
  if (password === undefined) redirect(next);

  const requestHeaders = await headers();
  // proxy.ts drops any client-sent X-Forwarded-For, so Next sets it to the socket's address.
  const address = addressKey(requestHeaders.get('x-forwarded-for')?.split(',')[0]);
  const candidate = form.get('password');
  const keys = await sessionKeys();
  const result = await loginLimiter().attempt(address, () => typeof candidate === 'string' && passwordMatches(keys, candidate, password));

  if (!result.ok) {
    if (result.reason === 'rate-limited') return { error: `Too many attempts, try again in ${seconds(result.retryAfterMs)} s.` };
    if (result.attemptsLeft === 0) {
      return { error: `Wrong password. Too many attempts, try again in ${seconds(result.retryAfterMs)} s.` };
    }
    return { error: `Wrong password. ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'attempt' : 'attempts'} left.` };
  }

  (await cookies()).set(SESSION_COOKIE, issueToken(keys.cookie, Date.now()), {
    httpOnly: true,
    sameSite: 'lax',
    // Next sets X-Forwarded-Proto from the socket (or keeps a TLS-terminating proxy's value).
    secure: requestHeaders.get('x-forwarded-proto')?.split(',')[0].trim() === 'https',
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
  redirect(next);
}
