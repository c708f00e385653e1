import { beforeAll, describe, expect, it } from 'vitest';
import { galleryFilterSchema, type GalleryFilter } from '@/lib/gallery/filters';
import { insertTask, testDialect, setupDatabase } from '../support/test-db';

// Listing, search and pagination against a real database with its search migration: SQLite (FTS5)
// or PostgreSQL (tsvector + GIN), as the vitest project says — the same tests, the same answers.
let query: typeof import('@/lib/gallery/query');
let db: typeof import('@/lib/db/client').db;
const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
let clock = Date.parse('2026-01-01T00:00:00Z');

async function insert(prompt: string, extra: { ratio?: string; status?: string; favorite?: boolean; deleted?: boolean; at?: number } = {}) {
  const at = new Date(extra.at ?? (clock += 1000));
  return insertTask({
    prompt,
    ratio: extra.ratio ?? '1024:1024',
    status: extra.status ?? 'FAILED',
    favorite: extra.favorite ?? false,
    deletedAt: extra.deleted ? at : null,
    createdAt: at,
    updatedAt: at,
  });
}

beforeAll(async () => {
  await setupDatabase(`query-${testDialect()}`, { FREEPIK_API_KEY: 'query-test-key-123' });
  query = await import('@/lib/gallery/query');
  db = (await import('@/lib/db/client')).db;
});

describe('gallery listing', () => {
  it('pages newest-first without duplicates or skips while new tasks arrive', async () => {
    const original: string[] = [];
    for (let i = 0; i < 25; i++) original.push(await insert(`paging sample ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(f({ q: 'paging' }), cursor, 7);
      seen.push(...page.tasks.map((t) => t.id));
      cursor = page.nextCursor;
      // New tasks keep arriving on top between page loads.
      await insert(`paging arrival ${round++}`);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => original.includes(id))).toEqual([...original].reverse());
  });

  it('keeps tasks with the same timestamp apart by id', async () => {
    const at = Date.parse('2025-06-01T00:00:00Z');
    const same: string[] = [];
    for (let i = 0; i < 6; i++) same.push(await insert('twin stamp', { at }));
    const a = await query.listTasks(f({ q: 'twin', sort: 'oldest' }), null, 4);
    const b = await query.listTasks(f({ q: 'twin', sort: 'oldest' }), a.nextCursor, 4);
    const ids: string[] = [...a.tasks, ...b.tasks].map((t) => t.id);
    expect(ids.sort()).toEqual([...same].sort());
    expect(b.nextCursor).toBeNull();
  });

  it('finds words case- and accent-insensitively, by prefix, all words required', async () => {
    const cafe = await insert('Café Terrace at Night');
    await insert('terrace garden');
    const hits = async (q: string) => (await query.listTasks(f({ q }))).tasks.map((t) => t.id);
    expect(await hits('cafe')).toEqual([cafe]);
    expect(await hits('CAFÉ terr')).toEqual([cafe]);
    expect(await hits('cafe garden')).toEqual([]);
    expect(await hits('"; DROP TABLE Task; --')).toEqual([]); // punctuation is not FTS syntax
  });

  it('ranks better matches first with Best match', async () => {
    const weak = await insert('a storm over the sea, moody harbour lights');
    const strong = await insert('storm storm storm');
    const ranked = (await query.listTasks(f({ q: 'storm', sort: 'relevance' }))).tasks.map((t) => t.id);
    expect(ranked.indexOf(strong)).toBeLessThan(ranked.indexOf(weak));
  });

  it('keeps the search index in sync when prompts change and tasks are deleted', async () => {
    const id = await insert('ephemeral zeppelin');
    expect((await query.listTasks(f({ q: 'zeppelin' }))).tasks).toHaveLength(1);
    await db().task.update({ where: { id }, data: { prompt: 'ephemeral airship' } });
    expect((await query.listTasks(f({ q: 'zeppelin' }))).tasks).toHaveLength(0);
    expect((await query.listTasks(f({ q: 'airship' }))).tasks).toHaveLength(1);
    await db().task.delete({ where: { id } });
    expect((await query.listTasks(f({ q: 'airship' }))).tasks).toHaveLength(0);
  });

  it('filters by ratio, status, favorites and trash', async () => {
    const wide = await insert('filter probe', { ratio: '1920:1080', status: 'COMPLETED', favorite: true });
    const tall = await insert('filter probe', { ratio: '1080:1920' });
    const binned = await insert('filter probe', { deleted: true });
    const ids = async (patch: Partial<GalleryFilter>) => (await query.listTasks(f({ q: 'probe', ...patch }))).tasks.map((t) => t.id);
    expect(await ids({ ratio: '1920:1080' })).toEqual([wide]);
    expect(await ids({ status: 'FAILED' })).toEqual([tall]);
    expect(await ids({ favorites: true })).toEqual([wide]);
    expect(await ids({ view: 'trash' })).toEqual([binned]);
    expect((await ids({})).sort()).toEqual([wide, tall].sort());
  });

  it('finds prefixes and folds accents and case the same way on both databases', async () => {
    const wharf = await insert('Ångström wharfinger at Dawn, naïve crème brûlée');
    const hits = async (q: string) => (await query.listTasks(f({ q }))).tasks.map((t) => t.id);
    for (const q of ['wharf', 'WHARFINGER', 'angstrom', 'ÅNGSTRÖM wharf', 'naive creme brulee', 'dawn cr'])
      expect(await hits(q), q).toEqual([wharf]);
    expect(await hits('harfinger')).toEqual([]); // a prefix of a word, not any substring
  });

  it('reads nothing a person types as search syntax', async () => {
    const target = await insert('quizzical beacon lighthouse');
    const hits = async (q: string) => (await query.listTasks(f({ q }))).tasks.map((t) => t.id);
    for (const q of [
      "lighthouse'",
      "'lighthouse",
      'lighthouse:*',
      '!beacon quizzical',
      'beacon & (quizz',
      'beacon\\',
      'light"house beacon',
    ]) {
      expect(await hits(q), q).toEqual(q.includes('"') ? [] : [target]);
    }
    for (const q of ['light* | x', 'NEAR(beacon quizzical)', '*', "'", '&|!():', 'ʼ']) expect(await hits(q), q).toEqual([]);
    // Letters that unaccent turns into punctuation (ʼ → ') must not break the query either.
    await expect(hits('ʼlighthouse ʻbeacon')).resolves.toBeInstanceOf(Array);
  });

  it('pages every listing by keyset the same way: plain, filtered, oldest first, in the trash', async () => {
    const base = Date.parse('2024-03-01T00:00:00Z');
    const made: string[] = [];
    for (let i = 0; i < 9; i++) made.push(await insert(`keyset walk ${i}`, { ratio: '720:720', at: base + i * 1000 }));
    const binned: string[] = [];
    for (let i = 0; i < 5; i++)
      binned.push(await insert(`keyset bin ${i}`, { ratio: '720:720', at: base + 60_000 + (i < 3 ? 0 : i) * 1000, deleted: true }));
    async function walk(filter: GalleryFilter, size: number) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(filter, cursor, size);
        ids.push(...page.tasks.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    }
    expect(await walk(f({ ratio: '720:720' }), 2)).toEqual([...made].reverse());
    expect(await walk(f({ ratio: '720:720', sort: 'oldest' }), 4)).toEqual(made);
    const trash = await walk(f({ ratio: '720:720', view: 'trash', sort: 'oldest' }), 2);
    expect(trash.slice(3)).toEqual(binned.slice(3));
    expect(trash.slice(0, 3).sort()).toEqual(binned.slice(0, 3).sort()); // same instant: ordered by id
    const all: string[] = [];
    for await (const rows of query.tasksMatching(f({ q: 'keyset walk' }), 4)) all.push(...rows.map((r) => r.id));
    expect(all).toEqual([...made].reverse());
  });

  it('pages Best match by offset without duplicates or skips', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await insert(`relevance ${'quasar '.repeat(i + 1)}sample`));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(f({ q: 'quasar', sort: 'relevance' }), cursor, 3);
      seen.push(...page.tasks.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(seen[0]).toBe(ids[6]); // the prompt saying "quasar" most often ranks first
  });
});
