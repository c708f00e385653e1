/**
 * The requests the share-link integration tests play (tests/integration/share-links.test.ts and
 * board-share-links.test.ts): each test file mocks next/headers with whatever these return.
 */

/** The studio's own request: a signed-in, same-origin server action. */
export function studioHeaders(host: string, origin: string): Headers {
  return new Headers({ host, origin, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
}

/** A stranger: no cookie, as proxy.ts forwards a share view (the address it counted in the share-client header). */
export function strangerHeaders(host: string, address: string): Headers {
  return new Headers({ host, 'x-forwarded-for': address, 'x-darkroom-share-client': address, 'x-forwarded-proto': 'http' });
}

export type ShareOptions = { expiry: '1d' | '7d' | 'never'; showPrompt: boolean; publicCache: boolean };
export const SHARE_DEFAULTS: ShareOptions = { expiry: '7d', showPrompt: false, publicCache: false };

/** The token in a share link's URL (`/s/<token>`). */
export function tokenOf(url: string): string {
  return new URL(url).pathname.split('/')[2];
}
