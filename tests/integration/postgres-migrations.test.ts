import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migratePostgres, migrateSqlite } from '@/lib/db/migrate';
import { MIGRATIONS_DIR } from '@/lib/db/dialect';
import { freshDatabase } from '../support/test-db';

/**
 * The PostgreSQL migration set and its runner (postgres project only; docs/decisions/0013-postgresql.md):
 * instances booting at once apply each migration once under the advisory lock, the checksum rules are
 * the SQLite runner's, and the hand-written SQL gives the same tables, columns, indexes and foreign
 * keys as the SQLite set.
 */
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function copyOfMigrations() {
  const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-pg-migrations-'));
  cpSync(path.resolve(MIGRATIONS_DIR.postgres), dir, { recursive: true });
  return dir;
}

describe('PostgreSQL migration runner', () => {
  it('three instances booting at once apply each migration exactly once, without an error', async () => {
    const { url } = await freshDatabase('boot-race', { migrate: false });
    const dir = path.resolve(MIGRATIONS_DIR.postgres);
    const results = await Promise.all([migratePostgres(url, dir), migratePostgres(url, dir), migratePostgres(url, dir)]);

    const applied = results.flatMap((r) => r.applied);
    expect(applied.length).toBeGreaterThanOrEqual(6);
    expect(new Set(applied).size).toBe(applied.length); // nothing applied twice
    expect(applied.sort()).toEqual(results.find((r) => r.applied.length)!.applied); // one instance did it all, in order
    const rows = await query<{ migration_name: string; n: string; finished: boolean }>(
      url,
      'SELECT migration_name, count(*) AS n, bool_and(finished_at IS NOT NULL) AS finished FROM _prisma_migrations GROUP BY migration_name ORDER BY 1',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(applied);
    expect(rows.every((r) => r.n === '1' && r.finished)).toBe(true);
    expect(await migratePostgres(url, dir)).toEqual({ applied: [], alreadyApplied: applied.length });
  });

  it('records history as Prisma does: checksum = sha256 of migration.sql, one step each', async () => {
    const { url } = await freshDatabase('history');
    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number; logs: string | null }>(
      url,
      'SELECT migration_name, checksum, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name',
    );
    for (const row of rows) {
      const file = readFileSync(path.resolve(MIGRATIONS_DIR.postgres, row.migration_name, 'migration.sql'), 'utf8');
      expect(row, row.migration_name).toMatchObject({ checksum: sha(file), applied_steps_count: 1, logs: null });
    }
  });

  it('accepts a comment-only edit whose old checksum is listed, refuses any other edit', async () => {
    const dir = copyOfMigrations();
    const { url } = await freshDatabase('checksums', { migrate: false });
    const gallery = `${dir}/20261126090000_gallery/migration.sql`;
    const current = readFileSync(gallery, 'utf8');
    const before = current.replace('-- PostgreSQL twin of', '-- The PostgreSQL twin of');
    writeFileSync(gallery, before);
    await migratePostgres(url, dir);
    writeFileSync(gallery, current);
    await expect(migratePostgres(url, dir)).rejects.toThrow(/20261126090000_gallery was edited after it was applied/);
    writeFileSync(`${dir}/20261126090000_gallery/superseded-checksums`, `# comment-only edit\n${sha(before)}\n`);
    await expect(migratePostgres(url, dir)).resolves.toMatchObject({ applied: [] });
    const [row] = await query<{ checksum: string }>(
      url,
      "SELECT checksum FROM _prisma_migrations WHERE migration_name = '20261126090000_gallery'",
    );
    expect(row.checksum).toBe(sha(current));

    appendFileSync(`${dir}/20261126070000_init/migration.sql`, '\n-- sneaky\n');
    await expect(migratePostgres(url, dir)).rejects.toThrow(/20261126070000_init was edited after it was applied/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const dir = copyOfMigrations();
    const { url } = await freshDatabase('rollback', { migrate: false });
    cpSync(`${dir}/20261126070000_init`, `${dir}/99990101000000_broken`, { recursive: true });
    writeFileSync(`${dir}/99990101000000_broken/migration.sql`, 'CREATE TABLE "Half" ("id" TEXT);\nSELECT no_such_function();\n');
    await expect(migratePostgres(url, dir)).rejects.toThrow(/99990101000000_broken failed/);
    expect(await query(url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '99990101000000_broken'")).toEqual([]);
    expect(await query(url, 'SELECT to_regclass(\'"Half"\') AS t')).toEqual([{ t: null }]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the two migration sets describe one model', () => {
  type Column = { table: string; column: string; type: string; nullable: boolean; default: string | null };

  /** SQLite's and PostgreSQL's spelling of the same column type and default, made comparable. */
  const sqliteType = (type: string) =>
    ({ TEXT: 'text', INTEGER: 'integer', BIGINT: 'bigint', BOOLEAN: 'boolean', DATETIME: 'timestamp(3)' })[type.toUpperCase()] ?? type;
  const normalDefault = (value: string | null) =>
    value === null
      ? null
      : value
          .replace(/::[a-z ]+$/i, '')
          .replace(/^'(.*)'$/, '$1')
          .toLowerCase();

  it('has the same tables, columns (type, null, default), indexes and foreign keys in SQLite and PostgreSQL', async () => {
    const { url } = await freshDatabase('parity');
    const sqliteDir = mkdtempSync(path.join(tmpdir(), 'darkroom-parity-'));
    migrateSqlite(`${sqliteDir}/darkroom.db`, path.resolve(MIGRATIONS_DIR.sqlite));
    const sqlite = new Database(`${sqliteDir}/darkroom.db`, { readonly: true });

    // Prisma's model tables. Each database may add its own tables Prisma does not model (SQLite's FTS5 index,
    // PostgreSQL-only state of the multi-instance profile): those are not part of the one model.
    const tables = [...readFileSync(path.resolve('prisma/schema.prisma'), 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]).sort();
    const inModel = (table: string) => tables.includes(table);
    const sqliteTables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    expect(sqliteTables.filter(inModel).sort()).toEqual(tables);
    const sqliteColumns: Column[] = tables.flatMap((table) =>
      (
        sqlite.prepare(`PRAGMA table_info("${table}")`).all() as Array<{
          name: string;
          type: string;
          notnull: number;
          dflt_value: string | null;
          pk: number;
        }>
      ).map((c) => ({
        table,
        column: c.name,
        type: sqliteType(c.type),
        nullable: c.notnull === 0 && c.pk === 0,
        default: normalDefault(c.dflt_value),
      })),
    );
    const sqliteIndexes = (
      sqlite.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as Array<{
        name: string;
        tbl_name: string;
      }>
    )
      .filter((r) => inModel(r.tbl_name))
      .map((r) => r.name)
      .sort();
    const sqliteKeys = tables
      .flatMap((table) =>
        (
          sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as Array<{
            table: string;
            from: string;
            to: string;
            on_delete: string;
            on_update: string;
          }>
        ).map((k) => `${table}.${k.from} → ${k.table}.${k.to} ON DELETE ${k.on_delete} ON UPDATE ${k.on_update}`),
      )
      .sort();
    sqlite.close();
    rmSync(sqliteDir, { recursive: true, force: true });
    // Not vacuously equal: the model has dozens of columns, several indexes and three relations.
    expect([sqliteColumns.length > 30, sqliteIndexes.length > 5, sqliteKeys.length >= 3]).toEqual([true, true, true]);

    const pgTables = (
      await query<{ table_name: string }>(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      )
    ).map((r) => r.table_name);
    expect(pgTables.filter(inModel).sort()).toEqual(tables);
    const pgColumns: Column[] = (
      await query<{
        table_name: string;
        column_name: string;
        data_type: string;
        datetime_precision: number | null;
        is_nullable: string;
        column_default: string | null;
      }>(
        url,
        "SELECT table_name, column_name, data_type, datetime_precision, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND column_name <> 'searchVector'",
      )
    )
      .filter((c) => inModel(c.table_name))
      .map((c) => ({
        table: c.table_name,
        column: c.column_name,
        type: c.data_type === 'timestamp without time zone' ? `timestamp(${c.datetime_precision})` : c.data_type,
        nullable: c.is_nullable === 'YES',
        default: normalDefault(c.column_default),
      }));
    const byName = (a: Column, b: Column) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`);
    expect(pgColumns.sort(byName)).toEqual(sqliteColumns.sort(byName));

    const pgIndexes = (
      await query<{ indexname: string; tablename: string }>(
        url,
        "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey' AND indexname <> 'Task_searchVector_idx'",
      )
    )
      .filter((r) => inModel(r.tablename))
      .map((r) => r.indexname)
      .sort();
    expect(pgIndexes).toEqual(sqliteIndexes);

    const rule = (code: string) => ({ a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' })[code];
    const pgKeys = (
      await query<{ source: string; column: string; target: string; target_column: string; on_delete: string; on_update: string }>(
        url,
        `SELECT c.conrelid::regclass::text AS source, a.attname AS column, c.confrelid::regclass::text AS target, fa.attname AS target_column,
                c.confdeltype AS on_delete, c.confupdtype AS on_update
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
          WHERE c.contype = 'f'`,
      )
    )
      .filter((k) => inModel(k.source.replace(/"/g, '')))
      .map(
        (k) =>
          `${k.source.replace(/"/g, '')}.${k.column} → ${k.target.replace(/"/g, '')}.${k.target_column} ON DELETE ${rule(k.on_delete)} ON UPDATE ${rule(k.on_update)}`,
      )
      .sort();
    expect(pgKeys).toEqual(sqliteKeys);
  });
});
