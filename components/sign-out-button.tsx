import { gateEnabled } from '@/lib/auth/settings';
import { signOutAction } from '@/lib/auth/sign-out';

/** Shown only while the access gate is on (APP_PASSWORD set). Works without JavaScript. */
export function SignOutButton() {
  if (!gateEnabled()) return null;
  return (
    <form action={signOutAction}>
      <button type="submit" className="btn-ghost text-sm">
        Sign out
      </button>
    </form>
  );
}
