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

/**
 * Exactly the public share paths: `/s/<token>` (the page) and
 * `/s/<token>/image` (the picture), nothing more. No dot, percent sign or
 * extra slash can appear in a match, so no spelling of another path
 * (`/s/<token>/../../api/tasks`, `/s%2F…`, `/s/<token>%2F..`) passes for one,
 * before or after any decoding or normalisation.
 */
const SHARE_VIEW_PATH = new RegExp(`^/s/${TOKEN}(?:/image)?$`);

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

/** Whether a request path is one of the two public share paths (see SHARE_VIEW_PATH). */
export function isShareViewPath(pathname: string): boolean {
  return SHARE_VIEW_PATH.test(pathname);
}
