import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '@/lib/db/dialect';

/**
 * One model, two databases (docs/decisions/0013-postgresql.md): prisma/postgres/schema.prisma is
 * prisma/schema.prisma with another datasource provider and generator output — nothing else, not even
 * a comment — and every SQLite migration has its PostgreSQL twin under the same folder name.
 */
const read = (file: string) => readFileSync(path.resolve(file), 'utf8');

/** The schema with its two allowed differences blanked out. */
function normalised(schema: string): string {
  return schema
    .replace(/^(\s*provider\s*=\s*)"(sqlite|postgresql)"\s*$/m, '$1"<provider>"')
    .replace(/^(\s*output\s*=\s*)"[^"]*"\s*$/m, '$1"<output>"');
}

describe('the PostgreSQL schema', () => {
  const sqlite = read('prisma/schema.prisma');
  const postgres = read('prisma/postgres/schema.prisma');

  it('differs from the SQLite schema only in the datasource provider and the generator output', () => {
    expect(sqlite).toMatch(/datasource db \{\s*provider = "sqlite"\s*\}/);
    expect(postgres).toMatch(/datasource db \{\s*provider = "postgresql"\s*\}/);
    expect(sqlite).toMatch(/output\s*=\s*"\.\.\/lib\/db\/generated"/);
    expect(postgres).toMatch(/output\s*=\s*"\.\.\/\.\.\/lib\/db\/generated-pg"/);
    expect(normalised(postgres)).toBe(normalised(sqlite));
  });

  it('keeps timestamps as TIMESTAMP(3): no @db.Timestamptz (Prisma issue 28629 with non-UTC servers)', () => {
    expect(postgres).not.toMatch(/@db\./);
  });
});

describe('the PostgreSQL migration set', () => {
  const names = (dir: string) =>
    readdirSync(path.resolve(dir), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.resolve(dir, d.name, 'migration.sql')))
      .map((d) => d.name)
      .sort();

  it('has a twin, under the same folder name, of every SQLite migration (PostgreSQL may have more of its own)', () => {
    const missing = names(MIGRATIONS_DIR.sqlite).filter((name) => !names(MIGRATIONS_DIR.postgres).includes(name));
    expect(missing, `add prisma/postgres/migrations/<name>/migration.sql for: ${missing.join(', ')}`).toEqual([]);
  });

  it('is written for PostgreSQL: TIMESTAMP(3) where SQLite says DATETIME, no SQLite-only syntax', () => {
    for (const name of names(MIGRATIONS_DIR.postgres)) {
      const sql = read(path.join(MIGRATIONS_DIR.postgres, name, 'migration.sql')).replace(/--.*$/gm, '');
      expect(sql, name).not.toMatch(/\bDATETIME\b|\bAUTOINCREMENT\b|\bVIRTUAL TABLE\b|\bPRAGMA\b|TIMESTAMPTZ|WITH TIME ZONE/i);
    }
  });
});
