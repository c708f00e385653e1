import { createHash, randomBytes } from 'node:crypto';

/**
 * Share-link tokens and the paths that carry them. Pure (no `server-only`):
 * proxy.ts and the gate policy (lib/auth/gate.ts) use the path test, the app
 * the rest.
 *
 * A token is 32 random bytes (256 bits) in base64url without padding: 43
 * characters from [A-Za-z0-9_-], so it can stand in a URL path as it is. Only
 * its SHA-256 is stored. Guessing a live token means finding one of a handful
 * of 256-bit values; the database holds nothing that would give one away.
 */
export const SHARE_TOKEN_BYTES = 32;
const TOKEN = '[A-Za-z0-9_-]{43}';
const TOKEN_ONLY = new RegExp(`^${TOKEN}$`);
/** A task id as Darkroom makes them (randomUUID: lower-case hex), and nothing else. */
const TASK_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TASK_ID_ONLY = new RegExp(`^${TASK_ID}$`);

/**
 * Exactly the public share paths: `/s/<token>` (the page of a picture or a
 * board), `/s/<token>/image` (a shared picture) and `/s/<token>/image/<task id>`
 * (one picture of a shared board), nothing more. No dot, percent sign or extra
 * slash can appear in a match, so no spelling of another path
 * (`/s/<token>/../../api/tasks`, `/s%2F…`, `/s/<token>%2F..`,
 * `/s/<token>/image/<id>/..`) passes for one, before or after any decoding or
 * normalisation. Which link a token is, and whether the picture is on its
 * board, the routes decide.
 */
const SHARE_VIEW_PATH = new RegExp(`^/s/${TOKEN}(?:/image(?:/${TASK_ID})?)?$`);
/** The board-picture paths among them (their own rate-limit bucket: lib/share/view-limit.ts). */
const BOARD_PICTURE_PATH = new RegExp(`^/s/${TOKEN}/image/${TASK_ID}$`);

/** A fresh token: 256 bits from the operating system's CSPRNG. */
export function newShareToken(): string {
  return randomBytes(SHARE_TOKEN_BYTES).toString('base64url');
}

/** Whether a string has the shape of a token (checked before any lookup). */
export function isShareToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_ONLY.test(value);
}

/**
 * What the database keeps and looks tokens up by: SHA-256, hex. A plain hash
 * (no salt, no key) is enough for a 256-bit random value: nobody can go back
 * from it, and a leaked table gives no usable link.
 */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The share page's path for a token. */
export function sharePath(token: string): string {
  return `/s/${token}`;
}

/** The shared picture's path for a token. */
export function shareImagePath(token: string): string {
  return `/s/${token}/image`;
}

/**
 * One picture of a shared board: the original, or with `width` the smallest
 * stored rendition at least that wide (as /api/images?w= picks them).
 */
export function shareBoardImagePath(token: string, taskId: string, width?: number): string {
  return `/s/${token}/image/${taskId}${width === undefined ? '' : `?w=${width}`}`;
}

/** Whether a string has the shape of a task id in a board-picture path (checked before any lookup). */
export function isShareTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID_ONLY.test(value);
}

/** Whether a request path is one of the public share paths (see SHARE_VIEW_PATH). */
export function isShareViewPath(pathname: string): boolean {
  return SHARE_VIEW_PATH.test(pathname);
}

/** Whether a request path is one picture of a shared board (`/s/<token>/image/<task id>`). */
export function isBoardPicturePath(pathname: string): boolean {
  return BOARD_PICTURE_PATH.test(pathname);
}
