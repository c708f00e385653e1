import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Client as PgClient } from 'pg';
import { sqlitePathOf } from '../config/env-schema';
import { dialectOf, MIGRATIONS_DIR, postgresConnection } from './dialect';

/**
 * Applies <migrations>/<name>/migration.sql in order, recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would (checksum =
 * sha256 of the file), so Prisma tooling sees the same history. Exists because
 * the Prisma CLI's schema engine cannot be downloaded here; see
 * docs/decisions/0002-migrations-offline.md. One set per database, with the same
 * folder names: prisma/migrations (SQLite) and prisma/postgres/migrations
 * (PostgreSQL, applied under an advisory lock; docs/decisions/0013-postgresql.md).
 */

const SQLITE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** The table as Prisma's schema engine creates it on PostgreSQL. */
const POSTGRES_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const APPLIED_QUERY = 'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/**
 * The key of the session-level advisory lock every instance takes before it looks at the history
 * ("darkroom" in ASCII): three instances booting at once apply each migration once, one after another.
 * Advisory locks are per database, so databases sharing a server do not wait for each other.
 */
export const MIGRATION_LOCK_KEY = '7233188120178601837';

export type MigrationResult = { applied: string[]; alreadyApplied: number };

/**
 * Checksums a migration had before an edit that changed nothing but comments,
 * listed (one per line, `#` comments allowed) in `superseded-checksums` beside
 * its migration.sql. A database that applied the old text accepts the new one.
 */
function supersededChecksums(migrationsDir: string, name: string): Set<string> {
  const file = path.join(migrationsDir, name, 'superseded-checksums');
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^[0-9a-f]{64}$/.test(line)),
  );
}

type Step =
  { kind: 'apply'; name: string; sql: string; checksum: string } | { kind: 'recordChecksum'; name: string; from: string; to: string };

/**
 * What to do, given the history (`done`: name → checksum of applied migrations): apply the new
 * migrations in name order, accept reviewed comment-only edits, refuse any other edit. The same
 * rules for both databases.
 */
function plan(migrationsDir: string, done: Map<string, string>): { steps: Step[]; total: number } {
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
  const steps: Step[] = [];
  for (const name of names) {
    const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const known = done.get(name);
    if (!known) {
      steps.push({ kind: 'apply', name, sql, checksum });
      continue;
    }
    if (known === checksum) continue;
    if (!supersededChecksums(migrationsDir, name).has(known)) {
      throw new Error(`Migration ${name} was edited after it was applied (checksum differs). Add a new migration instead.`);
    }
    // A reviewed, comment-only edit: record the file's new checksum.
    steps.push({ kind: 'recordChecksum', name, from: known, to: checksum });
  }
  return { steps, total: names.length };
}

export function migrateSqlite(dbFile: string, migrationsDir: string): MigrationResult {
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const sqlite = new Database(dbFile);
  try {
    // WAL lets readers (the gallery) proceed while the follower writes.
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec(SQLITE_HISTORY_TABLE);
    const rows = sqlite.prepare(APPLIED_QUERY).all() as Array<{ migration_name: string; checksum: string }>;
    const { steps, total } = plan(migrationsDir, new Map(rows.map((r) => [r.migration_name, r.checksum])));

    const applied: string[] = [];
    for (const step of steps) {
      if (step.kind === 'recordChecksum') {
        sqlite
          .prepare('UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = ? AND checksum = ?')
          .run(step.to, step.name, step.from);
        continue;
      }
      const started = new Date().toISOString();
      sqlite.transaction(() => {
        sqlite.exec(step.sql);
        sqlite
          .prepare(
            'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
          )
          .run(randomUUID(), step.checksum, new Date().toISOString(), step.name, started);
      })();
      applied.push(step.name);
    }
    return { applied, alreadyApplied: total - applied.length };
  } finally {
    sqlite.close();
  }
}

/**
 * The PostgreSQL runner: one connection, `pg_advisory_lock` held while it reads the history and
 * applies what is missing, each migration and its history row in one transaction (PostgreSQL's DDL is
 * transactional: a failing migration leaves nothing behind). Another instance waiting on the lock then
 * finds everything applied. `pg` is loaded only here, so the SQLite path never imports it.
 */
export async function migratePostgres(databaseUrl: string, migrationsDir: string): Promise<MigrationResult> {
  const { default: pg } = await import('pg');
  const client: PgClient = new pg.Client({ ...postgresConnection(databaseUrl), application_name: 'darkroom-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(POSTGRES_HISTORY_TABLE);
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(APPLIED_QUERY);
      const { steps, total } = plan(migrationsDir, new Map(rows.map((r) => [r.migration_name, r.checksum])));

      const applied: string[] = [];
      for (const step of steps) {
        if (step.kind === 'recordChecksum') {
          await client.query('UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2 AND checksum = $3', [
            step.to,
            step.name,
            step.from,
          ]);
          continue;
        }
        const started = new Date();
        await client.query('BEGIN');
        try {
          await client.query(step.sql);
          await client.query(
            'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, NULL, NULL, $5, 1)',
            [randomUUID(), step.checksum, new Date(), step.name, started],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`Migration ${step.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(step.name);
      }
      return { applied, alreadyApplied: total - applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/**
 * Brings the database DATABASE_URL names up to date with its dialect's migration set (the scheme alone
 * decides): a `file:` URL is migrated with prisma/migrations, a postgres(ql):// one with
 * prisma/postgres/migrations. Relative paths (the SQLite file, the migration folders) are from `cwd`,
 * the repository root.
 */
export async function migrateDatabase(databaseUrl: string, cwd: string): Promise<MigrationResult> {
  const dialect = dialectOf(databaseUrl);
  const dir = path.join(cwd, MIGRATIONS_DIR[dialect]);
  if (dialect === 'postgres') return migratePostgres(databaseUrl, dir);
  return migrateSqlite(sqlitePathOf(databaseUrl, cwd), dir);
}
