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

const DATABASE_URL_EXAMPLE =
  'must be file:<path> (SQLite, e.g. file:./data/darkroom.db) or postgresql://user:password@host:5432/database (PostgreSQL)';

/** The scheme that selects PostgreSQL (lib/db/dialect.ts decides by the same test). */
export const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** What is wrong with a postgres(ql):// URL, or null; never quotes it (it may hold a password). */
function postgresUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid PostgreSQL URL; expected postgresql://user:password@host:5432/database (percent-encode special characters in the password)';
  }
  if (!url.hostname && !url.searchParams.get('host'))
    return 'names no PostgreSQL host; expected postgresql://user:password@host:5432/database';
  if (url.pathname.replace(/^\//, '') === '') return 'names no database; expected postgresql://user:password@host:5432/database';
  return null;
}

/**
 * A spending limit (lib/spending): a whole number of pictures from 1 to 1,000,000, written as digits.
 * Unset (or empty) means no limit. The Settings page validates its fields with the same schema.
 */
export const PICTURE_LIMIT_MAX = 1_000_000;
export const pictureLimitSchema = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number of pictures, e.g. 50 (leave it empty for no limit)')
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, 'must be at least 1 (leave it empty for no limit)')
      .max(PICTURE_LIMIT_MAX, `must be at most ${PICTURE_LIMIT_MAX.toLocaleString('en-US')}`),
  );

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
  /**
   * The database, chosen by the scheme alone: `file:<path>` is SQLite (pictures beside it by default),
   * `postgres://` or `postgresql://` is PostgreSQL (docs/decisions/0013-postgresql.md).
   */
  DATABASE_URL: optional(
    z.string().superRefine((value, ctx) => {
      if (/^file:.+$/.test(value)) return;
      // Messages never quote the value: a PostgreSQL URL may carry a password.
      const problem = POSTGRES_URL.test(value) ? postgresUrlProblem(value) : DATABASE_URL_EXAMPLE;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ).transform((v) => v ?? 'file:./data/darkroom.db'),
  /**
   * Where pictures live: `file:<dir>` (default: the directory beside the SQLite file) or
   * `s3://<bucket>[/<prefix>]` (credentials and endpoint from the standard AWS_* variables).
   */
  STORAGE_URL: optional(
    z.string().regex(/^(file:.+|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?)$/, 'must be file:<dir> or s3://<bucket>[/<prefix>]'),
  ),
  /** For S3-compatible servers that need path-style URLs (MinIO, Ceph, s3rver). */
  S3_FORCE_PATH_STYLE: optional(z.enum(['true', 'false'], { error: 'must be true or false' })).transform((v) => v === 'true'),
  /** How many reverse-proxy hops in front of Darkroom set X-Forwarded-For/-Proto/-Host (0: trust none). */
  TRUST_PROXY: optional(
    z.coerce.number({ error: 'must be a whole number of proxy hops' }).int('must be a whole number').min(0).max(10),
  ).transform((v) => v ?? 0),
  APP_PASSWORD: optional(z.string().min(8, 'must be at least 8 characters')),
  /** Tasks not finished after this many minutes are failed as "Timed out". */
  TASK_TIMEOUT_MINUTES: optional(
    z.coerce
      .number({ error: 'must be a number of minutes' })
      .positive('must be more than 0')
      .max(24 * 60),
  ).transform((v) => v ?? 10),
  /**
   * How long an instance's claim on a task lasts without renewal (ADR 0014): after a crash, another instance
   * takes the task over this much later. Must exceed the slowest provider call (20 s) and download (60 s).
   */
  TASK_LEASE_SECONDS: optional(
    z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number').min(5, 'must be at least 5').max(3600),
  ).transform((v) => v ?? 90),
  /**
   * The spending guard (lib/spending/budget.ts): at most this many pictures sent upstream per UTC day /
   * UTC month. Unset: no limit. Limits saved on the Settings page (gate on) win over these.
   */
  DAILY_LIMIT: optional(pictureLimitSchema),
  MONTHLY_LIMIT: optional(pictureLimitSchema),
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

/**
 * Absolute directory holding the local data: the SQLite file, the session secret and (unless
 * STORAGE_URL says otherwise) the pictures. With PostgreSQL there is no database file to sit beside:
 * STORAGE_URL's directory when it is `file:<dir>`, else `./data`.
 */
export function dataDirOf(env: Pick<Env, 'DATABASE_URL'> & Partial<Pick<Env, 'STORAGE_URL'>>, cwd: string): string {
  if (POSTGRES_URL.test(env.DATABASE_URL)) {
    const dir = env.STORAGE_URL?.startsWith('file:') ? env.STORAGE_URL.slice('file:'.length) : './data';
    return dir.startsWith('/') ? dir.replace(/\/+$/, '') : `${cwd}/${dir.replace(/^\.\//, '').replace(/\/+$/, '')}`;
  }
  const file = sqlitePathOf(env.DATABASE_URL, cwd);
  return file.slice(0, file.lastIndexOf('/'));
}

/** Absolute path of the SQLite file for a `file:` DATABASE_URL; an error for any other kind. */
export function sqlitePathOf(databaseUrl: string, cwd: string): string {
  if (!databaseUrl.startsWith('file:')) throw new Error('DATABASE_URL is not a SQLite file: URL (it selects PostgreSQL).');
  const file = databaseUrl.slice('file:'.length);
  return file.startsWith('/') ? file : `${cwd}/${file.replace(/^\.\//, '')}`;
}

export type StorageLocation = { kind: 'file'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

/** Where pictures are stored, resolved: STORAGE_URL, or the data directory beside the SQLite file. */
export function storageLocationOf(env: Pick<Env, 'STORAGE_URL' | 'DATABASE_URL'>, cwd: string): StorageLocation {
  const url = env.STORAGE_URL;
  if (!url) return { kind: 'file', dir: dataDirOf(env, cwd) };
  if (url.startsWith('file:')) {
    const dir = url.slice('file:'.length);
    return { kind: 'file', dir: dir.startsWith('/') ? dir : `${cwd}/${dir.replace(/^\.\//, '')}` };
  }
  const [bucket, ...rest] = url.slice('s3://'.length).split('/');
  const prefix = rest.join('/').replace(/^\/+|\/+$/g, '');
  return { kind: 's3', bucket, prefix: prefix ? `${prefix}/` : '' };
}
