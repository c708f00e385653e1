import { z } from 'zod';

/**
 * Every setting Darkroom reads, validated once at start-up. The pure schema:
 * everything reads the parsed values through lib/config/load-env.ts (the app
 * through its `server-only` re-export, lib/config/env.ts).
 */

// `.env` files copied from .env.example leave variables present but empty:
// treat those as unset rather than as invalid values.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.freepik.com' })
  .transform((u) => u.replace(/\/+$/, ''));

/** A DNS name, an IPv4 address or a bracketed IPv6 address; no port, no scheme. */
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/;

export const envSchema = z.object({
  FREEPIK_API_KEY: optional(z.string().trim().min(8, 'looks too short to be an API key')),
  FREEPIK_API_BASE_URL: optional(httpUrl).transform((v) => v ?? 'https://api.freepik.com'),
  FREEPIK_API_KEY_HEADER: optional(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name such as x-freepik-api-key')).transform(
    (v) => (v ?? 'x-freepik-api-key').toLowerCase(),
  ),
  FREEPIK_WEBHOOK_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  PUBLIC_BASE_URL: optional(httpUrl),
  /**
   * Host names (besides localhost, 127.0.0.1, [::1] and PUBLIC_BASE_URL's) this
   * server answers to; anything else is refused, which defeats DNS rebinding.
   */
  ALLOWED_HOSTS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(HOST_NAME, 'must be a comma-separated list of host names, e.g. studio.lan,192.168.1.20'))),
  ).transform((v) => v ?? []),
  /** SQLite only in this build; PostgreSQL comes with the scale profile (issue #10). */
  DATABASE_URL: optional(
    z.string().superRefine((value, ctx) => {
      if (/^file:.+$/.test(value)) return;
      ctx.addIssue({
        code: 'custom',
        message: /^postgres(ql)?:/i.test(value)
          ? 'PostgreSQL support is not in this build yet (issue #10); use file:<path> (SQLite), e.g. file:./data/darkroom.db'
          : 'must be file:<path> (SQLite), e.g. file:./data/darkroom.db',
      });
    }),
  ).transform((v) => v ?? 'file:./data/darkroom.db'),
  APP_PASSWORD: optional(z.string().min(8, 'must be at least 8 characters')),
  /** Tasks not finished after this many minutes are failed as "Timed out". */
  TASK_TIMEOUT_MINUTES: optional(
    z.coerce
      .number({ error: 'must be a number of minutes' })
      .positive('must be more than 0')
      .max(24 * 60),
  ).transform((v) => v ?? 10),
  PORT: optional(z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(1).max(65535)).transform(
    (v) => v ?? 3000,
  ),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings; the error names each bad variable (never echoes its value). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
}

/** Absolute directory holding the database file (SQLite) and stored pictures. */
export function dataDirOf(env: Pick<Env, 'DATABASE_URL'>, cwd: string): string {
  const file = sqlitePathOf(env.DATABASE_URL, cwd);
  return file.slice(0, file.lastIndexOf('/'));
}

/** Absolute path of the SQLite file for a `file:` DATABASE_URL (the only kind the schema accepts). */
export function sqlitePathOf(databaseUrl: string, cwd: string): string {
  const file = databaseUrl.slice('file:'.length);
  return file.startsWith('/') ? file : `${cwd}/${file.replace(/^\.\//, '')}`;
}
