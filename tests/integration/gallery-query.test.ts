import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateSqlite } from '@/lib/db/migrate';
import { galleryFilterSchema, type GalleryFilter } from '@/lib/gallery/filters';

// Listing, search and pagination against a real SQLite file with the FTS5 migration.
let dbFile: string;
let query: typeof import('@/lib/gallery/query');
const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
let clock = Date.parse('2026-01-01T00:00:00Z');

function insert(prompt: string, extra: { ratio?: string; status?: string; favorite?: boolean; deleted?: boolean; at?: number } = {}) {
  const sqlite = new Database(dbFile);
  const at = new Date(extra.at ?? (clock += 1000)).toISOString().replace('Z', '+00:00');
  const id = randomUUID();
  sqlite
    .prepare(
      `INSERT INTO Task (id, prompt, ratio, seed, status, origin, favorite, deletedAt, createdAt, updatedAt) VALUES (?, ?, ?, 1, ?, 'new', ?, ?, ?, ?)`,
    )
    .run(id, prompt, extra.ratio ?? '1024:1024', extra.status ?? 'FAILED', extra.favorite ? 1 : 0, extra.deleted ? at : null, at, at);
  sqlite.close();
  return id;
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-query-'));
  dbFile = `${dir}/darkroom.db`;
  process.env.DATABASE_URL = `file:${dbFile}`;
  process.env.FREEPIK_API_KEY = 'query-test-key-123';
  migrateSqlite(dbFile, path.resolve('prisma/migrations'));
  query = await import('@/lib/gallery/query');
});

describe('gallery listing', () => {
  it('pages newest-first without duplicates or skips while new tasks arrive', async () => {
    const original: string[] = Array.from({ length: 25 }, (_, i) => insert(`paging sample ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(f({ q: 'paging' }), cursor, 7);
      seen.push(...page.tasks.map((t) => t.id));
      cursor = page.nextCursor;
      // New tasks keep arriving on top between page loads.
      insert(`paging arrival ${round++}`);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => original.includes(id))).toEqual([...original].reverse());
  });

  it('keeps tasks with the same timestamp apart by id', async () => {
    const at = Date.parse('2025-06-01T00:00:00Z');
    const same = Array.from({ length: 6 }, () => insert('twin stamp', { at }));
    const a = await query.listTasks(f({ q: 'twin', sort: 'oldest' }), null, 4);
    const b = await query.listTasks(f({ q: 'twin', sort: 'oldest' }), a.nextCursor, 4);
    const ids: string[] = [...a.tasks, ...b.tasks].map((t) => t.id);
    expect(ids.sort()).toEqual([...same].sort());
    expect(b.nextCursor).toBeNull();
  });

  it('finds words case- and accent-insensitively, by prefix, all words required', async () => {
    const cafe = insert('Café Terrace at Night');
    insert('terrace garden');
    const hits = async (q: string) => (await query.listTasks(f({ q }))).tasks.map((t) => t.id);
    expect(await hits('cafe')).toEqual([cafe]);
    expect(await hits('CAFÉ terr')).toEqual([cafe]);
    expect(await hits('cafe garden')).toEqual([]);
    expect(await hits('"; DROP TABLE Task; --')).toEqual([]); // punctuation is not FTS syntax
  });

  it('ranks better matches first with Best match', async () => {
    const weak = insert('a storm over the sea, moody harbour lights');
    const strong = insert('storm storm storm');
    const ranked = (await query.listTasks(f({ q: 'storm', sort: 'relevance' }))).tasks.map((t) => t.id);
    expect(ranked.indexOf(strong)).toBeLessThan(ranked.indexOf(weak));
  });

  it('keeps the search index in sync when prompts change and tasks are deleted', async () => {
    const id = insert('ephemeral zeppelin');
    expect((await query.listTasks(f({ q: 'zeppelin' }))).tasks).toHaveLength(1);
    const sqlite = new Database(dbFile);
    sqlite.prepare('UPDATE Task SET prompt = ? WHERE id = ?').run('ephemeral airship', id);
    expect((await query.listTasks(f({ q: 'zeppelin' }))).tasks).toHaveLength(0);
    expect((await query.listTasks(f({ q: 'airship' }))).tasks).toHaveLength(1);
    sqlite.prepare('DELETE FROM Task WHERE id = ?').run(id);
    sqlite.close();
    expect((await query.listTasks(f({ q: 'airship' }))).tasks).toHaveLength(0);
  });

  it('filters by ratio, status, favorites and trash', async () => {
    const wide = insert('filter probe', { ratio: '1920:1080', status: 'COMPLETED', favorite: true });
    const tall = insert('filter probe', { ratio: '1080:1920' });
    const binned = insert('filter probe', { deleted: true });
    const ids = async (patch: Partial<GalleryFilter>) => (await query.listTasks(f({ q: 'probe', ...patch }))).tasks.map((t) => t.id);
    expect(await ids({ ratio: '1920:1080' })).toEqual([wide]);
    expect(await ids({ status: 'FAILED' })).toEqual([tall]);
    expect(await ids({ favorites: true })).toEqual([wide]);
    expect(await ids({ view: 'trash' })).toEqual([binned]);
    expect((await ids({})).sort()).toEqual([wide, tall].sort());
  });
});
