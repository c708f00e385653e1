import { problem } from '../http/problem';
import { hasValidSession } from './keys';
import { SESSION_COOKIE } from './session';

/**
 * For the route handlers proxy.ts deliberately skips (see its matcher): the
 * same session check, done by the route itself before it reads the body.
 * Returns the 401 to send (the very answer proxy.ts gives), or null when the
 * request may proceed (signed in, or the gate is off).
 *
 *   const denied = sessionRequired(request);
 *   if (denied) return denied;
 */
export function sessionRequired(request: Request): Response | null {
  if (hasValidSession(cookieValue(request.headers.get('cookie'), SESSION_COOKIE))) return null;
  return signInRequired();
}

/** The gate's 401, from proxy.ts and from the routes it skips alike. */
export function signInRequired(): Response {
  return problem(401, { type: 'sign-in-required', detail: 'Sign in to Darkroom first.' });
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
