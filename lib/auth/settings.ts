import { effectiveHost } from '@/lib/auth/forwarded';
import { allowedHostNames, hostAllowed, wrongHostMessage } from '@/lib/auth/gate';
import { dataDirOf, type Env } from '@/lib/config/env-schema';
import { loadEnv } from '@/lib/config/load-env';
import { problem } from '@/lib/http/problem';

/**
 * What the access gate needs from the environment, derived from the one parsed
 * configuration (lib/config/load-env.ts; an empty APP_PASSWORD counts as
 * unset). No `server-only` here, because proxy.ts imports it too.
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
  /** TRUST_PROXY: how many reverse-proxy hops set X-Forwarded-* we believe. */
  trustProxy: number;
};

// Derived again only when the configuration was parsed again (tests change it; servers do not).
let cached: { env: Env; settings: AuthSettings } | undefined;

export function authSettings(): AuthSettings {
  const env = loadEnv();
  if (cached?.env !== env) {
    cached = {
      env,
      settings: {
        password: env.APP_PASSWORD,
        dataDir: dataDirOf(env, process.cwd()),
        publicOrigin: env.PUBLIC_BASE_URL ? new URL(env.PUBLIC_BASE_URL).origin : undefined,
        allowedHosts: allowedHostNames(env.PUBLIC_BASE_URL, env.ALLOWED_HOSTS),
        trustProxy: env.TRUST_PROXY,
      },
    };
  }
  return cached.settings;
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
  const host = effectiveHost(request.headers, authSettings().trustProxy) || new URL(request.url).host;
  if (hostAllowed(host, authSettings().allowedHosts)) return null;
  return wrongHostProblem(host);
}

/** The 421 for a host name not on the allow-list, from proxy.ts and from the routes it skips alike. */
export function wrongHostProblem(host: string): Response {
  return problem(421, { type: 'wrong-host', detail: wrongHostMessage(host) });
}
