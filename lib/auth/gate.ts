/**
 * The access-gate policy, as a pure function of the request so it is
 * unit-tested without a server; proxy.ts applies it to every request except
 * build assets. See docs/decisions/0008-access-gate.md.
 */

export const LOGIN_PATH = '/login';
/** Called by the provider, not a browser: no session, no Origin; it verifies its own signature. */
export const WEBHOOK_PATH = '/api/webhooks/freepik';

export type GateRequest = {
  method: string;
  pathname: string;
  search: string;
  headers: Pick<Headers, 'get'>;
};

export type GateDecision =
  | { kind: 'pass' }
  /** 403: a mutating request from another site (or without an Origin). */
  | { kind: 'cross-origin' }
  /** 401 JSON: API calls, server actions, anything but a page view. */
  | { kind: 'unauthorized' }
  /** 307 to the login page, remembering where the person was going. */
  | { kind: 'login'; location: string };

export type GateContext = {
  gateOn: boolean;
  /** Only called when the answer matters (gate on, path not public). */
  hasSession: () => boolean;
  /** PUBLIC_BASE_URL's origin, if set. */
  publicOrigin?: string;
};

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function decide(request: GateRequest, context: GateContext): GateDecision {
  const method = request.method.toUpperCase();
  const { pathname } = request;
  if (pathname === WEBHOOK_PATH) return { kind: 'pass' };
  if (!SAFE_METHODS.has(method) && !sameOrigin(request.headers, context.publicOrigin)) return { kind: 'cross-origin' };
  if (!context.gateOn || isPublic(pathname) || context.hasSession()) return { kind: 'pass' };
  if (SAFE_METHODS.has(method) && !pathname.startsWith('/api/')) {
    const target = `${pathname}${request.search}`;
    return { kind: 'login', location: target === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(target)}` };
  }
  return { kind: 'unauthorized' };
}

/** Reachable without a session: the login page (and its sign-in action) and build assets. */
function isPublic(pathname: string): boolean {
  return pathname === LOGIN_PATH || pathname.startsWith('/_next/static/') || pathname === '/icon.svg';
}

/**
 * A mutating request must say where it comes from, and that must be here: the
 * Host it was sent to, the X-Forwarded-Host a reverse proxy set, or
 * PUBLIC_BASE_URL. Browsers always send Origin on such requests, and a page on
 * another site can neither forge it nor (without our CORS consent) add headers.
 */
export function sameOrigin(headers: Pick<Headers, 'get'>, publicOrigin?: string): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (publicOrigin && parsed.origin === publicOrigin) return true;
  const hosts = [headers.get('host'), headers.get('x-forwarded-host')?.split(',')[0]]
    .map((h) => h?.trim().toLowerCase())
    .filter((h): h is string => !!h);
  return hosts.some((host) => withoutDefaultPort(host, parsed.protocol) === parsed.host);
}

function withoutDefaultPort(host: string, protocol: string): string {
  const port = protocol === 'https:' ? ':443' : ':80';
  return host.endsWith(port) ? host.slice(0, -port.length) : host;
}

/**
 * Where to go after signing in: a path on this site only (never `//evil`,
 * `/\evil` or an absolute URL), and never back to the login page.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, 'http://darkroom.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://darkroom.invalid' || url.pathname === LOGIN_PATH) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
