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
};

let cached: AuthSettings | undefined;

export function authSettings(): AuthSettings {
  if (!cached) {
    const env = parseEnv(process.env);
    cached = {
      password: env.APP_PASSWORD,
      dataDir: dataDirOf(env, process.cwd()),
      publicOrigin: env.PUBLIC_BASE_URL ? new URL(env.PUBLIC_BASE_URL).origin : undefined,
    };
  }
  return cached;
}

export function gateEnabled(): boolean {
  return authSettings().password !== undefined;
}
