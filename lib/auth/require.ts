import { RequestCookies } from 'next/dist/server/web/spec-extension/cookies';
import { problem } from '../http/problem';
import { hasValidSession } from './keys';
import { SESSION_COOKIE } from './session';

/**
 * For the route handlers proxy.ts deliberately skips (see its matcher): the
 * same session check, done by the route itself before it reads the body.
 * Returns the 401 to send (the very answer proxy.ts gives), or null when the
 * request may proceed (signed in, or the gate is off).
 *
 *   const denied = await sessionRequired(request);
 *   if (denied) return denied;
 */
export async function sessionRequired(request: Request): Promise<Response | null> {
  // Next's own cookie parsing (the same the proxy's request.cookies uses).
  if (await hasValidSession(new RequestCookies(request.headers).get(SESSION_COOKIE)?.value)) return null;
  return signInRequired();
}

/** The gate's 401, from proxy.ts and from the routes it skips alike. */
export function signInRequired(): Response {
  return problem(401, { type: 'sign-in-required', detail: 'Sign in to Darkroom first.' });
}
