import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterFromSearchParams, galleryFilterSchema, monthOf, type GalleryFilter } from '@/lib/gallery/filters';
import { gallerySummarySchema, type GallerySummary } from '@/lib/gallery/summary-view';
import type { TaskView } from '@/lib/tasks/view';
import { insertTask, setupDatabase, testDialect } from '../support/test-db';

/**
 * The gallery's total and month scrubber against a real database (SQLite or PostgreSQL, as the vitest
 * project says): the summary counts exactly what the listing lists, months are UTC months, and
 * `from` ("jump to date") starts the keyset pages at a month without duplicates or skips.
 * Each test keeps to its own ratio (or its own words), so the tests of this file do not see each other's rows.
 */
let query: typeof import('@/lib/gallery/query');
let summary: typeof import('@/lib/gallery/summary');
let listRoute: typeof import('@/app/api/tasks/route');
let summaryRoute: typeof import('@/app/api/tasks/summary/route');
const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
const at = (iso: string) => Date.parse(iso);

async function insert(
  prompt: string,
  when: number,
  extra: { ratio?: string; status?: string; favorite?: boolean; deleted?: boolean } = {},
) {
  const date = new Date(when);
  return insertTask({
    prompt,
    ratio: extra.ratio ?? '1024:1024',
    status: extra.status ?? 'FAILED',
    favorite: extra.favorite ?? false,
    deletedAt: extra.deleted ? date : null,
    createdAt: date,
    updatedAt: date,
  });
}

/** Every task a filter lists, page by page, as the gallery scrolls. */
async function walk(filter: GalleryFilter, size = 5): Promise<TaskView[]> {
  const tasks: TaskView[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(filter, cursor, size);
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor);
  return tasks;
}

/** What the summary should say for a listing: counted in JS from the listed tasks' UTC months. */
function countedFrom(tasks: TaskView[]): GallerySummary {
  const byMonth = new Map<string, number>();
  for (const t of tasks) byMonth.set(monthOf(t.createdAt), (byMonth.get(monthOf(t.createdAt)) ?? 0) + 1);
  const months = [...byMonth].map(([month, count]) => ({ month, count })).sort((a, b) => b.month.localeCompare(a.month));
  return { total: tasks.length, months };
}

const ids = (tasks: TaskView[]) => tasks.map((t) => t.id);
const times = (tasks: TaskView[]) => tasks.map((t) => Date.parse(t.createdAt));
const isSorted = (values: number[], desc: boolean) => values.every((v, i) => i === 0 || (desc ? values[i - 1] >= v : values[i - 1] <= v));

beforeAll(async () => {
  await setupDatabase(`summary-${testDialect()}`, { FREEPIK_API_KEY: 'summary-test-key-123' });
  query = await import('@/lib/gallery/query');
  summary = await import('@/lib/gallery/summary');
  listRoute = await import('@/app/api/tasks/route');
  summaryRoute = await import('@/app/api/tasks/summary/route');
});

describe('gallery summary', () => {
  it('counts exactly what the gallery lists, in total and per month, for filters, search and the Trash', async () => {
    const ratios = ['1920:1080', '1080:1920'];
    const statuses = ['COMPLETED', 'FAILED', 'UNSAVED'];
    const words = ['harbour lights', 'mountain village', 'harbour at dawn, café'];
    // 60 tasks over five months (2025-11 … 2026-03), a little of everything.
    const start = at('2025-11-03T08:00:00Z');
    for (let i = 0; i < 60; i++) {
      await insert(`summary ${words[i % 3]} ${i}`, start + i * 2.5 * 86_400_000, {
        ratio: ratios[i % 2],
        status: statuses[i % 3],
        favorite: i % 4 === 0,
        deleted: i % 7 === 0,
      });
    }
    // No other test of this file uses these two ratios or the word "summary".
    const filters: Array<Partial<GalleryFilter>> = [
      {},
      { view: 'trash' },
      { ratio: '1920:1080' },
      { ratio: '1080:1920', view: 'trash' },
      { ratio: '1920:1080', status: 'UNSAVED' },
      { ratio: '1080:1920', favorites: true },
      { q: 'summary' },
      { q: 'summary', status: 'UNSAVED' },
      { q: 'summary', ratio: '1080:1920', status: 'COMPLETED', favorites: true },
      { q: 'harbour' },
      { q: 'HARB cafe' },
      { q: 'harbour', view: 'trash' },
      { q: 'village', ratio: '1920:1080', status: 'FAILED' },
      { q: 'nothing-like-this' },
      { q: '"; --' }, // punctuation only: nothing can match
    ];
    for (const patch of filters) {
      const filter = f(patch);
      const listed = await walk(filter, 7);
      const counted = await summary.gallerySummary(filter);
      expect(counted, JSON.stringify(patch)).toEqual(countedFrom(listed));
      // Neither the sort nor `from` changes the counts.
      for (const other of [{ sort: 'oldest' }, { sort: 'relevance' }, { from: '2026-01' }, { from: '2026-01', sort: 'oldest' }] as const)
        expect(await summary.gallerySummary({ ...filter, ...other }), JSON.stringify({ ...patch, ...other })).toEqual(counted);
    }
    expect((await summary.gallerySummary(f({ q: '"; --' }))).total).toBe(0);
    const everything = await summary.gallerySummary(f({ q: 'summary' }));
    expect(everything.months.map((m) => m.month)).toEqual(['2026-03', '2026-02', '2026-01', '2025-12', '2025-11']);
    expect(everything.total).toBe(60 - 9); // i = 0, 7, …, 56 are in the Trash
    expect((await summary.gallerySummary(f({ q: 'summary', view: 'trash' }))).total).toBe(9);
    expect((await summary.gallerySummary(f({ q: 'summary !!!' }))).total).toBe(60 - 9); // punctuation is no word
  });

  it('puts the last millisecond of a month and the first of the next into their own UTC months', async () => {
    const ratio = '1680:720';
    const lastOfOctober = await insert('boundary october', at('2026-10-31T23:59:59.999Z'), { ratio });
    const firstOfNovember = await insert('boundary november', at('2026-11-01T00:00:00.000Z'), { ratio });
    const lastOfYear = await insert('boundary december', at('2026-12-31T23:59:59.999Z'), { ratio });
    const firstOfYear = await insert('boundary january', at('2027-01-01T00:00:00.000Z'), { ratio });
    expect(await summary.gallerySummary(f({ ratio }))).toEqual({
      total: 4,
      months: [
        { month: '2027-01', count: 1 },
        { month: '2026-12', count: 1 },
        { month: '2026-11', count: 1 },
        { month: '2026-10', count: 1 },
      ],
    });
    const listed = async (patch: Partial<GalleryFilter>) => ids(await walk(f({ ratio, ...patch }), 2));
    // Newest first: from a month = that month and everything older.
    expect(await listed({ from: '2026-10' })).toEqual([lastOfOctober]);
    expect(await listed({ from: '2026-11' })).toEqual([firstOfNovember, lastOfOctober]);
    expect(await listed({ from: '2026-12' })).toEqual([lastOfYear, firstOfNovember, lastOfOctober]);
    expect(await listed({ from: '2027-01' })).toEqual([firstOfYear, lastOfYear, firstOfNovember, lastOfOctober]);
    expect(await listed({ from: '2026-09' })).toEqual([]);
    // Oldest first: from a month = that month and everything newer.
    expect(await listed({ from: '2026-11', sort: 'oldest' })).toEqual([firstOfNovember, lastOfYear, firstOfYear]);
    expect(await listed({ from: '2027-01', sort: 'oldest' })).toEqual([firstOfYear]);
    expect(await listed({ from: '2027-02', sort: 'oldest' })).toEqual([]);
    // With a search (FTS5 / tsvector) too.
    expect(await listed({ q: 'boundary', from: '2026-11' })).toEqual([firstOfNovember, lastOfOctober]);
    expect(await listed({ q: 'boundary', from: '2026-11', sort: 'oldest' })).toEqual([firstOfNovember, lastOfYear, firstOfYear]);
  });

  it('pages from a month through every older (or newer) task without duplicates or skips, ties and arrivals included', async () => {
    const ratio = '720:1280';
    const made: Array<{ id: string; when: number }> = [];
    const base = at('2025-05-01T00:00:00Z');
    for (let i = 0; i < 36; i++) {
      // Pairs nine days apart (May to September); every third pair shares its instant (ties go by id).
      const when = base + Math.floor(i / 2) * 9 * 86_400_000 + (i % 6 < 2 ? 0 : i % 2) * 1000;
      made.push({ id: await insert(`keyset month ${i % 2 ? 'odd' : 'even'}`, when, { ratio }), when });
    }
    const expected = (from: string, oldest: boolean, pick: (m: { id: string; when: number }) => boolean = () => true) =>
      made
        .filter((m) => (oldest ? monthOf(new Date(m.when)) >= from : monthOf(new Date(m.when)) <= from))
        .filter(pick)
        .map((m) => m.id)
        .sort();

    for (const from of ['2025-05', '2025-06', '2025-07', '2025-08']) {
      for (const sort of ['newest', 'oldest'] as const) {
        const filter = f({ ratio, from, sort });
        const tasks: TaskView[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(filter, cursor, 3);
          tasks.push(...page.tasks);
          cursor = page.nextCursor;
          // Something new arrives on top meanwhile: never part of a view that starts at an earlier month.
          await insert('keyset month arrival', Date.now(), { ratio });
        } while (cursor);
        const label = `${from} ${sort}`;
        expect(new Set(ids(tasks)).size, label).toBe(tasks.length);
        if (sort === 'newest') expect([...ids(tasks)].sort(), label).toEqual(expected(from, false));
        expect(isSorted(times(tasks), sort === 'newest'), label).toBe(true);
        if (sort === 'newest' && tasks.length) expect(monthOf(tasks[0].createdAt), label).toBe(from);
        if (sort === 'oldest') {
          const old = tasks.filter((t) => !t.prompt.includes('arrival'));
          expect([...ids(old)].sort(), label).toEqual(expected(from, true));
          expect(monthOf(tasks[0].createdAt), label).toBe(from);
        }
      }
    }
    // With a search: the search's rows only, from the month on, by keyset.
    const odd = await walk(f({ ratio, q: 'keyset odd', from: '2025-06' }), 2);
    const oddIds = new Set(made.filter((_, i) => i % 2).map((m) => m.id));
    expect([...ids(odd)].sort()).toEqual(expected('2025-06', false, (m) => oddIds.has(m.id)));
    expect(isSorted(times(odd), true)).toBe(true);
  });

  it('ignores an invalid from, in the filter and in both routes', async () => {
    const ratio = '960:720';
    for (let i = 0; i < 3; i++) await insert(`invalid from ${i}`, at('2026-02-10T00:00:00Z') + i * 40 * 86_400_000, { ratio });
    const plain = ids(await walk(f({ ratio })));
    expect(plain).toHaveLength(3);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', 'abc', '2026-01-01', '0999-12', '2026-01 ', '']) {
      const filter = filterFromSearchParams(new URLSearchParams({ ratio, from: bad }));
      expect(filter.from, bad).toBeUndefined();
      expect(ids(await walk(filter)), bad).toEqual(plain);
      const answer = await listRoute.GET(new NextRequest(`http://127.0.0.1:3000/api/tasks?ratio=${ratio}&from=${encodeURIComponent(bad)}`));
      expect(answer.status, bad).toBe(200);
      expect(ids((await answer.json()).tasks), bad).toEqual(plain);
    }
    // A valid one through the route: only April and before.
    const april = await listRoute.GET(new NextRequest(`http://127.0.0.1:3000/api/tasks?ratio=${ratio}&from=2026-04`));
    expect(ids((await april.json()).tasks)).toEqual(plain.slice(1));
  });

  it('GET /api/tasks/summary answers the summary JSON for the same query parameters, never cached', async () => {
    const ratio = '720:960';
    await insert('scrubber route one', at('2026-06-15T12:00:00Z'), { ratio, favorite: true });
    await insert('scrubber route two', at('2026-06-20T12:00:00Z'), { ratio });
    await insert('scrubber route three', at('2026-08-01T00:00:00Z'), { ratio, deleted: true });
    const get = async (search: string) => {
      const answer = await summaryRoute.GET(new NextRequest(`http://127.0.0.1:3000/api/tasks/summary?${search}`));
      expect(answer.status, search).toBe(200);
      expect(answer.headers.get('cache-control'), search).toBe('no-store');
      expect(answer.headers.get('content-type'), search).toMatch(/^application\/json/);
      return gallerySummarySchema.parse(await answer.json());
    };
    expect(await get(`ratio=${ratio}`)).toEqual({ total: 2, months: [{ month: '2026-06', count: 2 }] });
    expect(await get(`ratio=${ratio}&from=2026-05&sort=oldest&cursor=x&limit=1`)).toEqual(await get(`ratio=${ratio}`));
    expect(await get(`ratio=${ratio}&favorites=1`)).toEqual({ total: 1, months: [{ month: '2026-06', count: 1 }] });
    expect(await get(`ratio=${ratio}&view=trash`)).toEqual({ total: 1, months: [{ month: '2026-08', count: 1 }] });
    expect(await get(`ratio=${ratio}&q=route%20tw`)).toEqual({ total: 1, months: [{ month: '2026-06', count: 1 }] });
    expect(await get(`ratio=${ratio}&status=bogus&from=nope`)).toEqual(await get(`ratio=${ratio}`)); // bad values ignored
  });

  it('counts a collection spanning a century (an imported antique) the same way', async () => {
    const ratio = '1440:1080';
    const antique = await insert('antique plate', at('1901-03-04T05:06:07.089Z'), { ratio });
    await insert('recent plate', at('2026-05-05T00:00:00Z'), { ratio });
    await insert('recent plate', at('2026-05-06T00:00:00Z'), { ratio, deleted: true });
    expect(await summary.gallerySummary(f({ ratio }))).toEqual({
      total: 2,
      months: [
        { month: '2026-05', count: 1 },
        { month: '1901-03', count: 1 },
      ],
    });
    expect(await summary.gallerySummary(f({ ratio, view: 'trash' }))).toEqual({ total: 1, months: [{ month: '2026-05', count: 1 }] });
    expect(ids(await walk(f({ ratio, from: '1901-03' })))).toEqual([antique]);
    const everything = await summary.gallerySummary(f());
    expect(everything).toEqual(countedFrom(await walk(f(), 200)));
  });
});
