/**
 * Views of share links per client address: at most SHARE_VIEWS_PER_MINUTE
 * requests (the page and the picture alike) in a fixed minute, then 429
 * problem details with Retry-After. Share links are the one part of Darkroom
 * anyone may reach without the password, so they are rate-limited like
 * sign-ins are (lib/auth/rate-limit.ts); a guess at a 256-bit token is hopeless
 * anyway, so the limit mostly bounds the work a stranger can cause (each
 * picture served is hashed against its sha256 first).
 *
 * Counted twice over, for one reason: Next gives proxy.ts the request's
 * headers but not its socket, and fills X-Forwarded-For from the socket only
 * when the client sent none. So proxy.ts counts each view under the address it
 * can see (the trusted proxies' entry with TRUST_PROXY, else X-Forwarded-For as
 * Next handed it: the socket's address unless the client wrote its own) and
 * passes that key on in SHARE_CLIENT_HEADER; the page and the picture route,
 * which see the real peer (proxy.ts drops a client's X-Forwarded-For), count the
 * view again under it only when it differs — that is, when a client forged
 * X-Forwarded-For to pick its own bucket. Such a client is refused by its real
 * address all the same: the picture answers 429, the page its plain 404 (a
 * page cannot answer 429).
 *
 * Two buckets per address, for one reason: a shared board's page shows up to
 * a hundred pictures (lib/share/board.ts), each its own request, and a
 * visitor scrolling through it must not be refused after the first sixty.
 * Pictures of a shared board (`/s/<token>/image/<task id>`) count in a bucket
 * of their own, BOARD_PICTURES_PER_MINUTE; pages and single shared pictures
 * stay at SHARE_VIEWS_PER_MINUTE. A board picture that does not resolve (any
 * 404) is also charged to the page bucket (countShareMiss), so guessing tokens
 * or task ids costs the same sixty a minute on every share path.
 *
 * In memory, one limiter per process (kept on globalThis, so the proxy and the
 * app bundles share it). With several instances each counts its own share of a
 * client's views: the limit protects each instance's own work. No `server-only`:
 * proxy.ts imports this.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { trustedForwarded } from '../auth/forwarded';
import { addressKey } from '../auth/rate-limit';
import { problem } from '../http/problem';
import { singleton } from '../singleton';
import { isBoardPicturePath } from './token';

export const SHARE_VIEWS_PER_MINUTE = 60;
/** Pictures (thumbnails and originals) of shared boards: six full pages of a board a minute. */
export const BOARD_PICTURES_PER_MINUTE = 600;

/** Request header proxy.ts sets on share views: the address it counted (any client-sent value is replaced). */
export const SHARE_CLIENT_HEADER = 'x-darkroom-share-client';

export function shareViewLimiter(): RateLimiterAbstract {
  return singleton(
    'ShareViewLimiter',
    () => new RateLimiterMemory({ keyPrefix: 'darkroom-share-view', points: SHARE_VIEWS_PER_MINUTE, duration: 60 }),
  );
}

export function boardPictureLimiter(): RateLimiterAbstract {
  return singleton(
    'ShareBoardPictureLimiter',
    () => new RateLimiterMemory({ keyPrefix: 'darkroom-share-board-picture', points: BOARD_PICTURES_PER_MINUTE, duration: 60 }),
  );
}

/** The bucket a share path counts in: board pictures in theirs, everything else in the page bucket. */
export function shareLimiterFor(pathname: string): RateLimiterAbstract {
  return isBoardPicturePath(pathname) ? boardPictureLimiter() : shareViewLimiter();
}

/** Counts one view by `address` (an addressKey). Null when allowed; otherwise the 429 to answer. */
export async function countShareView(address: string, limiter: RateLimiterAbstract = shareViewLimiter()): Promise<Response | null> {
  try {
    await limiter.consume(address);
    return null;
  } catch (refusal) {
    // Duck-typed: the limiter is a process-wide singleton, so the proxy's bundle may have made it with its own
    // copy of the library, whose RateLimiterRes is not this bundle's class (instanceof would say no).
    if (refusal instanceof RateLimiterRes || isRefusal(refusal)) return tooManyShareViews(refusal.msBeforeNext);
    throw refusal; // the store failed: better an error than an unlimited door
  }
}

function isRefusal(value: unknown): value is { msBeforeNext: number } {
  return typeof value === 'object' && value !== null && typeof (value as { msBeforeNext?: unknown }).msBeforeNext === 'number';
}

export function tooManyShareViews(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return problem(429, {
    detail: `Too many requests from your address; try again in ${seconds} s.`,
    headers: { 'retry-after': String(seconds) },
  });
}

/**
 * The client address as proxy.ts can see it (see above), as a limiter key;
 * null when it sees none (then only the recount behind it counts, rather than
 * every client sharing one bucket).
 */
export function addressSeenByProxy(headers: Pick<Headers, 'get'>, trustProxy: number): string | null {
  const forwarded = headers.get('x-forwarded-for');
  const address = trustedForwarded(forwarded, trustProxy) ?? forwarded?.split(',')[0].trim();
  return address ? addressKey(address) : null;
}

/** The real client address behind proxy.ts, as a limiter key. */
function realAddress(headers: Pick<Headers, 'get'>): string {
  // proxy.ts removed any client-sent X-Forwarded-For (or narrowed it to the trusted proxies' entry); Next then set the socket's.
  return addressKey(headers.get('x-forwarded-for')?.split(',')[0]);
}

/**
 * In the page and the picture routes: counts the view under the real client
 * address when proxy.ts counted it under another (a forged X-Forwarded-For),
 * or did not count it at all, in the same bucket proxy.ts used for the path
 * (`limiter`). Null when allowed; otherwise the 429.
 */
export async function recountShareView(
  headers: Pick<Headers, 'get'>,
  limiter: RateLimiterAbstract = shareViewLimiter(),
): Promise<Response | null> {
  const real = realAddress(headers);
  if (headers.get(SHARE_CLIENT_HEADER) === real) return null;
  return countShareView(real, limiter);
}

/**
 * A board picture that did not resolve: charged to the page bucket as well, under the real address,
 * so the board-picture bucket buys no extra guesses. Null when allowed; otherwise the 429.
 */
export function countShareMiss(headers: Pick<Headers, 'get'>): Promise<Response | null> {
  return countShareView(realAddress(headers), shareViewLimiter());
}
