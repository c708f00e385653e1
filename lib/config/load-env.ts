import { singleton } from '../singleton';
import { dataDirOf, envSchema, parseEnv, sqlitePathOf, type Env } from './env-schema';

/**
 * The one accessor of the environment, for every bundle of the process (the
 * proxy, route handlers, server actions, instrumentation) and for the scripts
 * (prepare, seed, doctor). Pure on purpose: proxy.ts cannot import modules
 * marked `server-only` (its bundle lacks the react-server condition), so app
 * code goes through lib/config/env.ts, which re-exports this behind
 * `server-only` and keeps configuration out of client bundles.
 *
 * Parsed once per process: the result is kept on globalThis (lib/singleton.ts),
 * shared by all bundles, together with the raw values it was parsed from. Only
 * if those change — which tests do, a running server never does — is it parsed
 * again. A bad value throws ConfigError naming the variable, on every call.
 */

const KEYS = Object.keys(envSchema.shape);

type Parsed = { raw: string; env: Env };

export function loadEnv(): Env {
  const box = singleton('Env', () => ({ parsed: null as Parsed | null }));
  const raw = JSON.stringify(KEYS.map((key) => process.env[key] ?? null));
  if (box.parsed?.raw !== raw) box.parsed = { raw, env: parseEnv(process.env) };
  return box.parsed.env;
}

/** Absolute directory holding the database file and the stored pictures. */
export function dataDir(): string {
  return dataDirOf(loadEnv(), process.cwd());
}

/** Absolute path of the SQLite database file. */
export function databaseFile(): string {
  return sqlitePathOf(loadEnv().DATABASE_URL, process.cwd());
}
