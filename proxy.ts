import { NextResponse, type NextRequest } from 'next/server';
import { decide } from '@/lib/auth/gate';
import { hasValidSession } from '@/lib/auth/keys';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { authSettings } from '@/lib/auth/settings';

/**
 * The access gate (docs/decisions/0008-access-gate.md). Runs in the Node.js
 * runtime (the only one Next 16 allows for proxy) before every request except
 * build assets: pages, server actions (POSTs to page paths), route handlers,
 * SSE, pictures. The policy itself is lib/auth/gate.ts.
 */
export function proxy(request: NextRequest) {
  const settings = authSettings();
  const decision = decide(
    { method: request.method, pathname: request.nextUrl.pathname, search: request.nextUrl.search, headers: request.headers },
    {
      gateOn: settings.password !== undefined,
      publicOrigin: settings.publicOrigin,
      hasSession: () => hasValidSession(request.cookies.get(SESSION_COOKIE)?.value),
    },
  );
  const noStore = { 'cache-control': 'no-store' };
  switch (decision.kind) {
    case 'cross-origin':
      return NextResponse.json({ message: 'Cross-origin request refused.' }, { status: 403, headers: noStore });
    case 'unauthorized':
      return NextResponse.json({ message: 'Sign in to Darkroom first.' }, { status: 401, headers: noStore });
    case 'login': {
      const response = NextResponse.redirect(new URL(decision.location, request.url));
      response.headers.set('cache-control', 'no-store');
      return response;
    }
    case 'pass':
      return passThrough(request);
  }
}

/**
 * Next fills X-Forwarded-For with the socket's address only when the request
 * has none, so a client could otherwise pick the address the sign-in limiter
 * sees. Dropping the client's value here makes it the real peer address.
 */
function passThrough(request: NextRequest) {
  if (!request.headers.has('x-forwarded-for')) return NextResponse.next();
  const headers = new Headers(request.headers);
  headers.delete('x-forwarded-for');
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything but hashed build assets and the icon (public either way) and /api/import: Next buffers
  // the body of every request the proxy runs on in memory and cuts it at 10 MB (proxyClientMaxBodySize),
  // which would truncate large imports. That route checks the session itself (lib/auth/require.ts).
  matcher: ['/((?!_next/static/|icon\\.svg|api/import$).*)'],
};
