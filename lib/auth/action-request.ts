import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What proxy.ts needs to know about a server-action request before Next runs
 * it. Next answers a malformed action body with a 500 (it JSON-parses or
 * multipart-parses it without a guard), and forwards an action posted to a
 * page that does not own it to the page that does — so an anonymous POST to
 * /login carrying another action's id reached that forwarding and left an
 * uncaught "aborted" error behind each time. Both are refused here instead.
 */

/** The action's id: the Next-Action header (JavaScript calls) or the `$ACTION_ID_<id>` field of a no-JS form post. */
export function actionIdOf(headers: Pick<Headers, 'get'>, body: string): string | null {
  const header = headers.get('next-action');
  if (header) return header;
  return /name="\$ACTION_ID_([0-9a-f]+)"/.exec(body)?.[1] ?? null;
}

/**
 * Null when the body has the shape Next expects for this content type (it
 * may still be refused by the action's own validation), else the reason.
 */
export function actionBodyProblem(contentType: string, body: string): string | null {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const marker = boundary?.[1] ?? boundary?.[2];
    if (!marker) return 'The form data has no boundary.';
    if (!body.startsWith(`--${marker}`) || !body.trimEnd().endsWith(`--${marker}--`)) return 'The form data is incomplete.';
    return null;
  }
  if (body.trim() === '') return 'The request has no body: a server action needs its arguments.';
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? null : 'A server action’s arguments must be a JSON array.';
  } catch {
    return 'The request body is not valid JSON.';
  }
}

let loginIds: ReadonlySet<string> | null | undefined;

/**
 * Ids of the actions the login page owns (in practice: sign in), read once
 * from the build's server-reference manifest. Null when it cannot be read
 * (e.g. `next dev`, whose layout differs): then only the session decides.
 */
export function signInActionIds(): ReadonlySet<string> | null {
  if (loginIds !== undefined) return loginIds;
  const dist = process.env.DARKROOM_DIST_DIR || '.next';
  try {
    const manifest = JSON.parse(readFileSync(path.join(process.cwd(), dist, 'server', 'server-reference-manifest.json'), 'utf8')) as {
      node?: Record<string, { workers?: Record<string, unknown> }>;
    };
    loginIds = new Set(
      Object.entries(manifest.node ?? {})
        .filter(([, entry]) => entry.workers && 'app/login/page' in entry.workers)
        .map(([id]) => id),
    );
  } catch {
    loginIds = null;
  }
  return loginIds;
}
