import { POSTGRES_URL } from '../config/env-schema';

/**
 * The two SQL dialects Darkroom speaks (docs/decisions/0013-postgresql.md), and the few places where
 * raw SQL must differ between them. Prisma's model API hides the rest. Pure: used by the app
 * (lib/db/client.ts, lib/gallery/query.ts), the scripts and the tests.
 *
 * Same in both: identifiers are quoted with double quotes ("Task"."createdAt"); `TRUE`/`FALSE` are
 * accepted by SQLite too, but the SQLite text keeps `1`/`0` as it always had.
 * Different: placeholders (`?` vs `$1`), timestamps (ISO text in SQLite as Prisma's better-sqlite3
 * adapter writes them, `TIMESTAMP(3)` in UTC in PostgreSQL), and full-text search (FTS5 vs tsvector).
 */
export type Dialect = 'sqlite' | 'postgres';

/** The scheme alone decides: postgres:// or postgresql:// is PostgreSQL, anything else (file:) SQLite. */
export function dialectOf(databaseUrl: string): Dialect {
  return POSTGRES_URL.test(databaseUrl) ? 'postgres' : 'sqlite';
}

/** Where each dialect's hand-written migrations live, relative to the repository root. */
export const MIGRATIONS_DIR: Record<Dialect, string> = {
  sqlite: 'prisma/migrations',
  postgres: 'prisma/postgres/migrations',
};

/**
 * Collects the parameters of one raw statement and hands out their placeholders:
 * `const p = new SqlParams(dialect); sql = \`… = ${p.add(value)}\`; db.$queryRawUnsafe(sql, ...p.values)`.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly dialect: Dialect) {}

  /** The placeholder for `value`: `?` (SQLite) or `$n` (PostgreSQL). */
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }

  /** A timestamp parameter given as text (a page cursor, an ISO instant), compared with a DateTime column. */
  addTimestamp(value: string): string {
    const placeholder = this.add(value);
    return this.dialect === 'postgres' ? `CAST(${placeholder} AS TIMESTAMP(3))` : placeholder;
  }
}

/** A boolean literal: `1`/`0` in SQLite (how Prisma stores Boolean there), `TRUE`/`FALSE` in PostgreSQL. */
export function sqlBool(dialect: Dialect, value: boolean): string {
  if (dialect === 'postgres') return value ? 'TRUE' : 'FALSE';
  return value ? '1' : '0';
}

/**
 * A DateTime column's value as raw SQL stores it: Prisma's SQLite adapter writes ISO 8601 with
 * `+00:00`; PostgreSQL columns are `TIMESTAMP(3)` holding UTC (wrap the placeholder with
 * {@link SqlParams.addTimestamp} or `CAST(… AS TIMESTAMP(3))`).
 */
export function timestampValue(dialect: Dialect, date: Date): string {
  const iso = date.toISOString();
  return dialect === 'postgres' ? iso.replace('T', ' ').replace('Z', '') : iso.replace('Z', '+00:00');
}

/** The session settings of every PostgreSQL connection Darkroom opens (see postgresConnection). */
export const POSTGRES_SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO';

/**
 * `pg` connection settings for a PostgreSQL DATABASE_URL. Every session runs with `TimeZone=UTC`, so
 * `CURRENT_TIMESTAMP` defaults and casts store UTC in the `TIMESTAMP(3)` columns whatever the server's
 * zone (Prisma's adapter writes and reads those columns as UTC itself), and with `DateStyle=ISO`, so a
 * timestamp cast to text (the gallery's page cursors) reads `2026-07-04 23:30:15.123` whatever the
 * server's style. `options` already in the URL are kept (ours come last and win).
 */
export function postgresConnection(databaseUrl: string): { connectionString: string; options: string } {
  const given = new URL(databaseUrl).searchParams.get('options');
  return { connectionString: databaseUrl, options: [given, POSTGRES_SESSION_OPTIONS].filter(Boolean).join(' ') };
}

/** A PostgreSQL URL fit for logs: scheme, host, port and database, never the user or password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  if (dialectOf(databaseUrl) === 'sqlite') return databaseUrl;
  const url = new URL(databaseUrl);
  return `postgresql://${url.host}${url.pathname}`;
}
