import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { Dialect } from '@/lib/db/dialect';
import type { Prisma } from '@/lib/db/generated/client';
import { migrateDatabase } from '@/lib/db/migrate';

/**
 * The database of an integration test, whichever it is: the `sqlite` vitest project gives each test
 * file a SQLite file in a fresh directory, the `postgres` project a fresh database
 * (`darkroom_<name>_<random>`) in the run's one throwaway cluster (tests/support/postgres-global-setup.ts).
 * Either way it is migrated with its dialect's migration set, by the app's own runner. Tests write rows
 * through Prisma (insertTask), never through a driver, so the same test runs on both.
 */

/** The database this test file runs against (the vitest project decides; SQLite outside the projects). */
export function testDialect(): Dialect {
  return inject('testDatabase') ?? 'sqlite';
}

export type TestDatabase = {
  dialect: Dialect;
  /** DATABASE_URL of the fresh database. */
  url: string;
  /** A fresh directory for the local data: the SQLite file, pictures (both dialects), the session secret. */
  dataDir: string;
  /** What to put in process.env to point the app's server modules at both. */
  env: Record<string, string>;
};

/** Creates an empty database `darkroom_<name>_<random>` on the server of `adminUrl`; returns its URL. */
export async function createPostgresDatabase(adminUrl: string, name: string): Promise<string> {
  const database = `darkroom_${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  const target = new URL(adminUrl);
  target.pathname = `/${database}`;
  return target.toString();
}

/** A fresh, migrated (unless told not to) database and data directory for this test file. Sets nothing: see setupDatabase. */
export async function freshDatabase(name: string, { migrate = true }: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dialect = testDialect();
  const dataDir = mkdtempSync(path.join(tmpdir(), `darkroom-${name}-`));
  let url: string;
  let env: Record<string, string>;
  if (dialect === 'postgres') {
    const admin = inject('postgresAdminUrl');
    if (!admin) throw new Error('The postgres project has no cluster: tests/support/postgres-global-setup.ts did not run.');
    url = await createPostgresDatabase(admin, name);
    // No database file to keep pictures beside: the data directory says where they go.
    env = { DATABASE_URL: url, STORAGE_URL: `file:${dataDir}` };
  } else {
    url = `file:${dataDir}/darkroom.db`;
    env = { DATABASE_URL: url };
  }
  if (migrate) await migrateDatabase(url, process.cwd());
  return { dialect, url, dataDir, env };
}

/**
 * freshDatabase, and the environment pointed at it. Server modules read the environment once:
 * import them (dynamically) only after this ran.
 */
export async function setupDatabase(name: string, extraEnv: Record<string, string> = {}): Promise<TestDatabase> {
  const database = await freshDatabase(name);
  Object.assign(process.env, database.env, extraEnv);
  return database;
}

/**
 * Inserts a task row as it is, through Prisma (the app's client for the current DATABASE_URL): for
 * tests that need rows in a given state or at a given time. Defaults: a FAILED 1024:1024 task, seed 1.
 */
export async function insertTask(data: Partial<Prisma.TaskUncheckedCreateInput> & { prompt: string }): Promise<string> {
  const { db } = await import('@/lib/db/client');
  const id = data.id ?? randomUUID();
  await db()
    .task.create({ data: { ratio: '1024:1024', seed: 1n, status: 'FAILED', origin: 'new', ...data, id } })
    .then(() => undefined);
  return id;
}
