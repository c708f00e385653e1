import { NextResponse, type NextRequest } from 'next/server';
import { actionBodyProblem, actionIdOf, signInActionIds } from '@/lib/auth/action-request';
import { trustedForwarded } from '@/lib/auth/forwarded';
import { decide } from '@/lib/auth/gate';
import { hasValidSession } from '@/lib/auth/keys';
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from '@/lib/auth/security-headers';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { signInRequired } from '@/lib/auth/require';
import { authSettings, wrongHostProblem } from '@/lib/auth/settings';
import { problem } from '@/lib/http/problem';
import { addressSeenByProxy, countShareView, SHARE_CLIENT_HEADER, shareLimiterFor } from '@/lib/share/view-limit';

/**
 * The access gate (docs/decisions/0008-access-gate.md). Runs in the Node.js
 * runtime (the only one Next 16 allows for proxy) before every request except
 * build assets, imports and the webhook: pages, server actions (POSTs to page
 * paths), route handlers, SSE, pictures. The policy itself is lib/auth/gate.ts.
 * Share links (`/s/<token>`, `/s/<token>/image`, `/s/<token>/image/<task id>`)
 * skip only the session check: Host allow-list, headers and a per-address rate
 * limit apply to them too.
 */
export async function proxy(request: NextRequest) {
  const settings = authSettings();
  // Next has already buffered the body of a proxied request (proxyClientMaxBodySize); reading a copy costs nothing more.
  const isAction = request.method === 'POST' && !request.nextUrl.pathname.startsWith('/api/');
  const body = isAction ? await request.clone().text() : '';
  // Asked only when it matters (gate on); answered before the pure policy runs.
  const signedIn = settings.password === undefined ? true : await hasValidSession(request.cookies.get(SESSION_COOKIE)?.value);
  const decision = decide(
    {
      method: request.method,
      pathname: request.nextUrl.pathname,
      search: request.nextUrl.search,
      headers: request.headers,
      actionId: isAction ? actionIdOf(request.headers, body) : null,
    },
    {
      gateOn: settings.password !== undefined,
      allowedHosts: settings.allowedHosts,
      publicOrigin: settings.publicOrigin,
      trustProxy: settings.trustProxy,
      signInActionIds: signInActionIds(),
      hasSession: () => signedIn,
    },
  );
  // Refusals are problem details (lib/http/problem.ts), like every route's errors.
  switch (decision.kind) {
    case 'wrong-host':
      return wrongHostProblem(decision.host);
    case 'cross-origin':
      return problem(403, { type: 'cross-origin', detail: 'Cross-origin request refused.' });
    case 'unauthorized':
      return signInRequired();
    case 'login': {
      const response = NextResponse.redirect(new URL(decision.location, request.url));
      response.headers.set('cache-control', 'no-store');
      return response;
    }
    case 'share-view': {
      const client = addressSeenByProxy(request.headers, settings.trustProxy);
      // Board pictures count in their own bucket (a board's page loads many); see lib/share/view-limit.ts.
      const limited = client === null ? null : await countShareView(client, shareLimiterFor(request.nextUrl.pathname));
      if (limited) return limited;
      return passThrough(request, settings.trustProxy, { shareClient: client });
    }
    case 'pass': {
      const malformed =
        isAction && request.headers.has('next-action') ? actionBodyProblem(request.headers.get('content-type') ?? '', body) : null;
      if (malformed) return problem(400, { type: 'invalid-request', detail: malformed });
      return passThrough(request, settings.trustProxy);
    }
  }
}

/**
 * Next fills X-Forwarded-For with the socket's address only when the request
 * has none, so a client could otherwise pick the address the sign-in limiter
 * sees. Without trusted proxies the client's value is dropped; with TRUST_PROXY
 * hops it is narrowed to the one address the outermost trusted proxy saw. The
 * CSP goes on the request too: that is where Next finds the nonce for its scripts.
 * A share view also carries the address it was counted under
 * (lib/share/view-limit.ts), replacing anything a client sent in that header,
 * and tells search engines to keep it out of their index.
 */
function passThrough(request: NextRequest, trustProxy: number, share?: { shareClient: string | null }) {
  const headers = new Headers(request.headers);
  if (share?.shareClient) headers.set(SHARE_CLIENT_HEADER, share.shareClient);
  else headers.delete(SHARE_CLIENT_HEADER);
  const client = trustedForwarded(request.headers.get('x-forwarded-for'), trustProxy);
  if (client) headers.set('x-forwarded-for', client);
  else headers.delete('x-forwarded-for');
  const proto = trustedForwarded(request.headers.get('x-forwarded-proto'), trustProxy);
  if (proto) headers.set('x-forwarded-proto', proto);
  const csp = contentSecurityPolicy(newNonce(), process.env.NODE_ENV === 'development');
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (share) response.headers.set('x-robots-tag', 'noindex, nofollow');
  return response;
}

export const config = {
  // Everything but hashed build assets and the icon (public either way), /api/import and the webhook:
  // Next buffers the body of every request the proxy runs on in memory (up to proxyClientMaxBodySize),
  // which would truncate large imports and let a flood of big unsigned webhook posts hold memory.
  // Those two routes apply the Host allow-list (and import the session and Origin rules) themselves,
  // before reading a byte of the body.
  matcher: ['/((?!_next/static/|icon\\.svg|api/import$|api/webhooks/freepik$).*)'],
};
