import 'server-only';
import { effectiveHost } from '../auth/forwarded';
import { authSettings } from '../auth/settings';
import { env } from '../config/env';
import { shareBoardImagePath, sharePath, shareImagePath } from './token';

/**
 * Where share links point: PUBLIC_BASE_URL when set (the name the world knows
 * this server by), else the origin of the request at hand. The request's host
 * passed the allow-list in proxy.ts (lib/auth/gate.ts), so no one can make a
 * link, or the page's og:image, name a host of their choosing.
 */
export function shareBaseUrl(headers: Pick<Headers, 'get'>): string {
  const configured = env().PUBLIC_BASE_URL;
  if (configured) return configured;
  const host = effectiveHost(headers, authSettings().trustProxy);
  // Server actions: the browser's own Origin, which proxy.ts checked against that host.
  const origin = parseOrigin(headers.get('origin'));
  if (origin && origin.host === host) return origin.origin;
  // Next sets X-Forwarded-Proto from the socket (or keeps a TLS-terminating proxy's value).
  const proto = headers.get('x-forwarded-proto')?.split(',')[0].trim() === 'https' ? 'https' : 'http';
  return `${proto}://${host}`;
}

function parseOrigin(value: string | null): URL | null {
  if (!value || value === 'null') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** The link a person copies: `<base>/s/<token>`. */
export function shareUrl(base: string, token: string): string {
  return `${base}${sharePath(token)}`;
}

/** The shared picture's absolute URL (og:image). */
export function shareImageUrl(base: string, token: string): string {
  return `${base}${shareImagePath(token)}`;
}

/** One picture of a shared board as an absolute URL (the board page's og:image: its cover's original). */
export function shareBoardImageUrl(base: string, token: string, taskId: string): string {
  return `${base}${shareBoardImagePath(token, taskId)}`;
}
