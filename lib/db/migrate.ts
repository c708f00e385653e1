import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Applies prisma/migrations/<name>/migration.sql in order, recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would (checksum =
 * sha256 of the file), so Prisma tooling sees the same history. Exists because
 * the Prisma CLI's schema engine cannot be downloaded here; see
 * docs/decisions/0002-migrations-offline.md.
 */

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

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

export function migrateSqlite(dbFile: string, migrationsDir: string): MigrationResult {
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const sqlite = new Database(dbFile);
  try {
    // WAL lets readers (the gallery) proceed while the follower writes.
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec(HISTORY_TABLE);
    const done = new Map(
      (
        sqlite
          .prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
          .all() as Array<{ migration_name: string; checksum: string }>
      ).map((r) => [r.migration_name, r.checksum]),
    );
    const names = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
      .map((d) => d.name)
      .sort();

    const applied: string[] = [];
    for (const name of names) {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const known = done.get(name);
      if (known) {
        if (known === checksum) continue;
        if (!supersededChecksums(migrationsDir, name).has(known)) {
          throw new Error(`Migration ${name} was edited after it was applied (checksum differs). Add a new migration instead.`);
        }
        // A reviewed, comment-only edit: record the file's new checksum.
        sqlite.prepare('UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = ? AND checksum = ?').run(checksum, name, known);
        continue;
      }
      const id = randomUUID();
      const started = new Date().toISOString();
      sqlite.transaction(() => {
        sqlite.exec(sql);
        sqlite
          .prepare(
            'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
          )
          .run(id, checksum, new Date().toISOString(), name, started);
      })();
      applied.push(name);
    }
    return { applied, alreadyApplied: names.length - applied.length };
  } finally {
    sqlite.close();
  }
}
