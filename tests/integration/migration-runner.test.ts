import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateSqlite } from '@/lib/db/migrate';

/** The hand-written runner (ADR 0002): applies each migration once, refuses edited ones unless listed as comment-only. */
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function copyOfMigrations() {
  const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-migrations-'));
  cpSync(path.resolve('prisma/migrations'), `${dir}/migrations`, { recursive: true });
  return { dir, migrations: `${dir}/migrations`, db: `${dir}/darkroom.db` };
}

describe('migration runner', () => {
  it('applies every migration once, in order, and nothing the second time', () => {
    const { dir, migrations, db } = copyOfMigrations();
    const first = migrateSqlite(db, migrations);
    expect(first.applied.length).toBeGreaterThanOrEqual(4);
    expect(first.applied).toEqual([...first.applied].sort());
    expect(migrateSqlite(db, migrations)).toEqual({ applied: [], alreadyApplied: first.applied.length });
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a comment-only edit whose old checksum is listed, and records the new one', () => {
    const { dir, migrations, db } = copyOfMigrations();
    const gallery = `${migrations}/20261126090000_gallery/migration.sql`;
    const current = readFileSync(gallery, 'utf8');
    const listed = readFileSync(`${migrations}/20261126090000_gallery/superseded-checksums`, 'utf8');
    // A database that applied the text as it was before the comment fix …
    const before = current.replace('0007-gallery-at-scale.md', '0007-search.md');
    expect(listed).toContain(sha(before));
    writeFileSync(gallery, before);
    migrateSqlite(db, migrations);
    // … accepts today's text and stores its checksum.
    writeFileSync(gallery, current);
    expect(() => migrateSqlite(db, migrations)).not.toThrow();
    const sqlite = new Database(db, { readonly: true });
    const row = sqlite.prepare("SELECT checksum FROM _prisma_migrations WHERE migration_name = '20261126090000_gallery'").get() as {
      checksum: string;
    };
    sqlite.close();
    expect(row.checksum).toBe(sha(current));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses any other edit of an applied migration', () => {
    const { dir, migrations, db } = copyOfMigrations();
    migrateSqlite(db, migrations);
    appendFileSync(`${migrations}/20261126070000_init/migration.sql`, '\n-- sneaky\n');
    expect(() => migrateSqlite(db, migrations)).toThrow(/was edited after it was applied/);
    rmSync(dir, { recursive: true, force: true });
  });
});
