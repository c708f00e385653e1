/**
 * The access-gate policy, as a pure function of the request so it is
 * unit-tested without a server; proxy.ts applies it to every request except
 * build assets. See docs/decisions/0008-access-gate.md.
 */

import { isShareViewPath } from '../share/token';
import { effectiveHost } from './forwarded';

export const LOGIN_PATH = '/login';
/** Called by the provider, not a browser: no session, no Origin; it verifies its own signature. */
export const WEBHOOK_PATH = '/api/webhooks/freepik';

export type GateRequest = {
  method: string;
  pathname: string;
  search: string;
  headers: Pick<Headers, 'get'>;
  /** The server action a POST invokes, if any (lib/auth/action-request.ts). */
  actionId?: string | null;
};

export type GateDecision =
  | { kind: 'pass' }
  /** 421: sent to a host name this server does not answer to (DNS rebinding, or a missing ALLOWED_HOSTS entry). */
  | { kind: 'wrong-host'; host: string }
  /** 403: a mutating request from another site (or without an Origin). */
  | { kind: 'cross-origin' }
  /** 401 JSON: API calls, server actions, anything but a page view. */
  | { kind: 'unauthorized' }
  /** 307 to the login page, remembering where the person was going. */
  | { kind: 'login'; location: string }
  /**
   * A share link (`/s/<token>`, `/s/<token>/image`, or a shared board's picture `/s/<token>/image/<task id>`),
   * read without a session, gate on or off: passes, rate-limited per client address
   * (lib/share/view-limit.ts). The page and the routes check the token (and the board) themselves.
   */
  | { kind: 'share-view' };

export type GateContext = {
  gateOn: boolean;
  /** Lower-case host names (no port) this server answers to; see allowedHostNames(). */
  allowedHosts: ReadonlySet<string>;
  /** TRUST_PROXY: reverse-proxy hops whose X-Forwarded-Host is believed (0: none). */
  trustProxy?: number;
  /** Only called when the answer matters (gate on, path not public). */
  hasSession: () => boolean;
  /** PUBLIC_BASE_URL's origin, if set. */
  publicOrigin?: string;
  /** The login page's own actions, the only ones that run without a session (null: unknown, not enforced). */
  signInActionIds?: ReadonlySet<string> | null;
};

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function decide(request: GateRequest, context: GateContext): GateDecision {
  const method = request.method.toUpperCase();
  const { pathname } = request;
  // First, for every request and whether the gate is on or not: a page that rebinds
  // its own name to 127.0.0.1 is "same origin" with itself, so only the Host tells.
  const host = effectiveHost(request.headers, context.trustProxy ?? 0);
  if (!hostAllowed(host, context.allowedHosts)) return { kind: 'wrong-host', host };
  if (pathname === WEBHOOK_PATH) return { kind: 'pass' };
  if (!SAFE_METHODS.has(method) && !sameOrigin(request.headers, context.publicOrigin, context.trustProxy)) return { kind: 'cross-origin' };
  // Share links skip the session check and nothing else: GET/HEAD of exactly the share paths (a
  // POST there could carry any server action), after the Host rule above.
  if (SAFE_METHODS.has(method) && isShareViewPath(pathname)) return { kind: 'share-view' };
  if (!context.gateOn) return { kind: 'pass' };
  if (isPublic(pathname) && !isForeignAction(request, context)) return { kind: 'pass' };
  if (context.hasSession()) return { kind: 'pass' };
  if (SAFE_METHODS.has(method) && !pathname.startsWith('/api/')) {
    const target = `${pathname}${request.search}`;
    return { kind: 'login', location: target === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(target)}` };
  }
  return { kind: 'unauthorized' };
}

/**
 * An action posted to the public login page that the login page does not own:
 * Next would forward it to its own page. Without a session it is refused here.
 */
function isForeignAction(request: GateRequest, context: GateContext): boolean {
  const ids = context.signInActionIds;
  return !!request.actionId && !!ids && !ids.has(request.actionId);
}

/** Reachable without a session: the login page (and its sign-in action) and build assets. */
function isPublic(pathname: string): boolean {
  return pathname === LOGIN_PATH || pathname.startsWith('/_next/static/') || pathname === '/icon.svg';
}

/** Always answered to: this machine's own names. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The allow-list: loopback names, PUBLIC_BASE_URL's host, and ALLOWED_HOSTS. */
export function allowedHostNames(publicBaseUrl: string | undefined, extra: readonly string[]): ReadonlySet<string> {
  const names = new Set<string>([...LOOPBACK_HOSTS, ...extra.map((h) => h.toLowerCase())]);
  if (publicBaseUrl) names.add(new URL(publicBaseUrl).hostname.toLowerCase());
  return names;
}

/**
 * The Host header's name (any port) must be on the allow-list. Never
 * X-Forwarded-Host: a rebound page may set that header freely on its own
 * requests, while Host is the one the browser fills in from the URL.
 */
export function hostAllowed(hostHeader: string, allowed: ReadonlySet<string>): boolean {
  const name = hostNameOf(hostHeader);
  return name !== null && allowed.has(name);
}

function hostNameOf(hostHeader: string): string | null {
  if (!hostHeader || /[\s/\\?#@]/.test(hostHeader)) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The refusal's text names the setting that would let the host in. */
export function wrongHostMessage(host: string): string {
  const shown = host.slice(0, 100) || '(none)';
  return `Darkroom does not answer to the host name "${shown}". If this is your server's address, add the name to ALLOWED_HOSTS (or set PUBLIC_BASE_URL) and restart.`;
}

/**
 * A mutating request must say where it comes from, and that must be here: the
 * Host it was sent to (already on the allow-list) or PUBLIC_BASE_URL. Browsers
 * always send Origin on such requests, and a page on another site can neither
 * forge it nor (without our CORS consent) add headers. X-Forwarded-Host counts
 * only from a trusted reverse proxy (TRUST_PROXY hops).
 */
export function sameOrigin(headers: Pick<Headers, 'get'>, publicOrigin?: string, trustProxy = 0): boolean {
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
  const host = effectiveHost(headers, trustProxy).trim();
  return !!host && withoutDefaultPort(host, parsed.protocol) === parsed.host;
}

function withoutDefaultPort(host: string, protocol: string): string {
  const port = protocol === 'https:' ? ':443' : ':80';
  return host.endsWith(port) ? host.slice(0, -port.length) : host;
}

/**
 * Where to go after signing in: a path on this site only (never `//evil`,
 * `/\evil` or an absolute URL, before or after normalisation), and never back
 * to the login page.
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
  // Judge the normalised path, which is what gets sent: `/.//evil`, `/a/..//evil`,
  // `/%2e//evil` and `/./\evil` all normalise to `//evil`, a link to another site.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
