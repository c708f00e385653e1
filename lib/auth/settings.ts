import { allowedHostNames, hostAllowed, wrongHostMessage } from '@/lib/auth/gate';
import { dataDirOf, parseEnv } from '@/lib/config/env-schema';

/**
 * What the access gate needs from the environment. Read through the same
 * schema as the rest of the app (an empty APP_PASSWORD counts as unset), but
 * without `server-only`, because proxy.ts imports it too. Parsed once per
 * module instance: proxy and app bundles each hold their own copy.
 */
export type AuthSettings = {
  /** The gate is on exactly when this is set. */
  password: string | undefined;
  /** Holds `session-secret`. */
  dataDir: string;
  /** Also accepted as an Origin for mutating requests (reverse proxies that rewrite Host). */
  publicOrigin: string | undefined;
  /** Host names requests may be addressed to (lib/auth/gate.ts hostAllowed). */
  allowedHosts: ReadonlySet<string>;
};

let cached: AuthSettings | undefined;

export function authSettings(): AuthSettings {
  if (!cached) {
    const env = parseEnv(process.env);
    cached = {
      password: env.APP_PASSWORD,
      dataDir: dataDirOf(env, process.cwd()),
      publicOrigin: env.PUBLIC_BASE_URL ? new URL(env.PUBLIC_BASE_URL).origin : undefined,
      allowedHosts: allowedHostNames(env.PUBLIC_BASE_URL, env.ALLOWED_HOSTS),
    };
  }
  return cached;
}

export function gateEnabled(): boolean {
  return authSettings().password !== undefined;
}

/**
 * For the route handlers proxy.ts does not run on (import, webhook): the same
 * Host allow-list, answered the same way. Null when the host is fine.
 */
export function wrongHostResponse(request: Request): Response | null {
  // Next always passes the Host header; a Request built by hand may only have its URL.
  const host = request.headers.get('host') ?? new URL(request.url).host;
  if (hostAllowed(host, authSettings().allowedHosts)) return null;
  return Response.json({ message: wrongHostMessage(host) }, { status: 421, headers: { 'cache-control': 'no-store' } });
}
