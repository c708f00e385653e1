import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NextRequest } from 'next/server';
import sharp from 'sharp';
import type { Manifest } from '@/lib/archive/manifest';
import { openZip } from '@/lib/archive/zip-reader';
import { boardListSchema, taskBoardsSchema } from '@/lib/boards/view';
import { SqlParams } from '@/lib/db/dialect';
import { galleryFilterSchema, monthOf, type GalleryFilter } from '@/lib/gallery/filters';
import { gallerySummarySchema } from '@/lib/gallery/summary-view';
import type { Ratio } from '@/lib/generation/schema';
import type { TaskView } from '@/lib/tasks/view';
import { exportZipOf } from '../support/export-zip';
import { insertTask, setupDatabase, testDialect } from '../support/test-db';

/**
 * Boards (issue #12) against a real database (SQLite or PostgreSQL, as the vitest project says): names
 * unique whatever their case, links that are idempotent and never take a picture with them, the `board`
 * filter through the listing's keyset pages, search, the summary and the export, and counts and covers
 * that leave the Trash out. Each test keeps to its own ratio or words, so they do not see each other's rows.
 */
let boards: typeof import('@/lib/boards/boards');
let actions: typeof import('@/app/boards/actions');
let query: typeof import('@/lib/gallery/query');
let summary: typeof import('@/lib/gallery/summary');
let collection: typeof import('@/lib/gallery/collection');
let records: typeof import('@/lib/images/records');
let exportRoute: typeof import('@/app/api/export/route');
let boardsRoute: typeof import('@/app/api/boards/route');
let taskBoardsRoute: typeof import('@/app/api/tasks/[id]/boards/route');
let db: typeof import('@/lib/db/client').db;
let dataDir: string;

const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
const DUPLICATE = 'A board with that name exists.';
let clock = Date.parse('2025-09-01T00:00:00Z');

async function insert(prompt: string, extra: { ratio?: string; status?: string; deleted?: boolean; at?: number } = {}) {
  const at = new Date(extra.at ?? (clock += 3_600_000));
  return insertTask({
    prompt,
    ratio: extra.ratio ?? '1024:1024',
    status: extra.status ?? 'FAILED',
    deletedAt: extra.deleted ? at : null,
    createdAt: at,
    updatedAt: at,
  });
}

/** Creates a board and returns its id (the test fails on any other outcome). */
async function board(name: string): Promise<string> {
  const result = await boards.createBoard(name);
  if (!result.ok) throw new Error(result.error);
  return result.board.id;
}

/** Every task a filter lists, page by page, as the gallery scrolls. */
async function walk(filter: GalleryFilter, size = 4): Promise<TaskView[]> {
  const tasks: TaskView[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(filter, cursor, size);
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor);
  return tasks;
}
const ids = (tasks: Array<{ id: string }>) => tasks.map((t) => t.id);

/** Task ids by createdAt, newest first (ids break ties, descending), as the gallery sorts. */
async function newestFirst(taskIds: string[]): Promise<string[]> {
  const rows = await db().task.findMany({ where: { id: { in: taskIds } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return rows.map((r) => r.id);
}

/** A picture of exactly the ratio's size, one flat colour (what an import accepts). */
function picture(ratio: Ratio, background: string): Promise<Buffer> {
  const [width, height] = ratio.split(':').map(Number);
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();
}

/** Imports real, completed pictures (with stored files and thumbnails) and returns their task ids, in the given order. */
async function importPictures(prompts: string[]): Promise<string[]> {
  // A colour of its own per picture: an import adds a picture (by sha256) only once.
  const entries = await Promise.all(
    prompts.map(async (prompt) => ({
      prompt,
      ratio: '720:720' as Ratio,
      bytes: await picture('720:720', `#${randomBytes(3).toString('hex')}`),
    })),
  );
  const file = path.join(dataDir, `boards-${randomUUID()}.zip`);
  writeFileSync(file, (await exportZipOf(entries)).zip);
  const { importArchive } = await import('@/lib/archive/import');
  const report = await importArchive(file);
  rmSync(file);
  expect(report).toMatchObject({ imported: prompts.length, errors: [] });
  const rows = await db().task.findMany({ where: { prompt: { in: prompts } } });
  return prompts.map((prompt) => rows.find((r) => r.prompt === prompt)!.id);
}

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const file = path.join(dataDir, `read-${randomUUID()}.zip`);
  writeFileSync(file, bytes);
  const archive = await openZip(file);
  const entries = new Map<string, Buffer>();
  try {
    for (const entry of archive.entries) entries.set(entry.name, await archive.read(entry));
  } finally {
    await archive.close();
    rmSync(file);
  }
  return entries;
}

beforeAll(async () => {
  ({ dataDir } = await setupDatabase(`boards-${testDialect()}`, { FREEPIK_API_KEY: 'boards-test-key-123' }));
  boards = await import('@/lib/boards/boards');
  actions = await import('@/app/boards/actions');
  query = await import('@/lib/gallery/query');
  summary = await import('@/lib/gallery/summary');
  collection = await import('@/lib/gallery/collection');
  records = await import('@/lib/images/records');
  exportRoute = await import('@/app/api/export/route');
  boardsRoute = await import('@/app/api/boards/route');
  taskBoardsRoute = await import('@/app/api/tasks/[id]/boards/route');
  db = (await import('@/lib/db/client')).db;
}, 60_000);

describe('boards: names', () => {
  it('creates, renames and deletes a board; deleting never deletes a picture', async () => {
    const pictures = [await insert('names survivor one'), await insert('names survivor two')];
    const created = await actions.createBoardAction('  Summer   trip  ');
    expect(created).toMatchObject({ ok: true, board: { name: 'Summer trip', count: 0, cover: null } });
    const id = created.ok ? created.board.id : '';
    expect((await actions.addToBoardAction(id, pictures)).ok).toBe(true);

    const renamed = await actions.renameBoardAction(id, 'Summer trip 2026');
    expect(renamed).toMatchObject({ ok: true, board: { id, name: 'Summer trip 2026', count: 2 } });
    // Only the case changes: the board keeps its own name key.
    expect(await actions.renameBoardAction(id, 'SUMMER TRIP 2026')).toMatchObject({ ok: true, board: { name: 'SUMMER TRIP 2026' } });

    expect(await actions.deleteBoardAction(id)).toEqual({ ok: true, id });
    expect(await db().board.count({ where: { id } })).toBe(0);
    expect(await db().boardTask.count({ where: { boardId: id } })).toBe(0);
    expect(await db().task.count({ where: { id: { in: pictures } } })).toBe(2); // the pictures stay
    expect((await walk(f({ q: 'names survivor' }))).length).toBe(2);

    expect(await actions.deleteBoardAction(id)).toMatchObject({ ok: false, error: 'That board no longer exists.' });
    expect(await actions.renameBoardAction(id, 'ghost')).toMatchObject({ ok: false, error: 'That board no longer exists.' });
    expect(await actions.deleteBoardAction('not-a-uuid')).toMatchObject({ ok: false });
  });

  it('refuses a name another board has, whatever its case or width, as a field error', async () => {
    const trip = await board('Road Trip');
    for (const name of ['road trip', 'ROAD TRIP', ' Road  Trip ', 'Ｒｏａｄ Ｔｒｉｐ']) {
      expect(await actions.createBoardAction(name), name).toEqual({ ok: false, error: DUPLICATE, fieldErrors: { name: DUPLICATE } });
    }
    const other = await board('Road Trip, day two');
    expect(await actions.renameBoardAction(other, 'road TRIP')).toEqual({ ok: false, error: DUPLICATE, fieldErrors: { name: DUPLICATE } });
    // Deleting frees the name.
    await actions.deleteBoardAction(trip);
    expect((await actions.createBoardAction('road trip')).ok).toBe(true);
  });

  it('wants 1 to 60 characters once trimmed', async () => {
    for (const name of ['', '   ', 'x'.repeat(61)]) {
      const result = await actions.createBoardAction(name);
      expect(result.ok, JSON.stringify(name)).toBe(false);
      expect(result.ok ? null : result.fieldErrors?.name, JSON.stringify(name)).toBeTruthy();
    }
    expect(await actions.createBoardAction(42 as unknown as string)).toMatchObject({ ok: false });
    expect(await actions.createBoardAction('x'.repeat(60))).toMatchObject({ ok: true });
  });
});

describe('boards: pictures on and off', () => {
  it('adds and removes idempotently, ignores unknown tasks, and refuses a board that is gone', async () => {
    const [a, b, c] = [await insert('links a'), await insert('links b'), await insert('links c')];
    const id = await board('Idempotent');
    expect(await actions.addToBoardAction(id, [a, b, a])).toEqual({ ok: true, added: 2 });
    expect(await actions.addToBoardAction(id, [a, b, c])).toEqual({ ok: true, added: 1 });
    expect(await actions.addToBoardAction(id, [a, b, c, randomUUID()])).toEqual({ ok: true, added: 0 });
    expect(await db().boardTask.count({ where: { boardId: id } })).toBe(3);

    expect(await actions.removeFromBoardAction(id, [a, randomUUID()])).toEqual({ ok: true, removed: 1 });
    expect(await actions.removeFromBoardAction(id, [a])).toEqual({ ok: true, removed: 0 });
    expect(await db().task.count({ where: { id: a } })).toBe(1);

    expect(await actions.addToBoardAction(randomUUID(), [a])).toMatchObject({ ok: false, error: 'That board no longer exists.' });
    expect(await actions.addToBoardAction(id, [])).toMatchObject({ ok: false });
    expect(await actions.addToBoardAction(id, ['nope'])).toMatchObject({ ok: false });
  });

  it('puts a picture on several boards and tells which (GET /api/tasks/<id>/boards)', async () => {
    const picture = await insert('several boards');
    const [zebra, apple] = [await board('zebra crossing'), await board('Apple orchard')];
    await boards.addToBoard(zebra, [picture]);
    await boards.addToBoard(apple, [picture]);
    expect(await boards.boardsOfTask(picture)).toEqual({
      taskId: picture,
      boards: [
        { id: apple, name: 'Apple orchard' },
        { id: zebra, name: 'zebra crossing' },
      ],
    });
    const answer = await taskBoardsRoute.GET(new Request(`http://127.0.0.1/api/tasks/${picture}/boards`), {
      params: Promise.resolve({ id: picture }),
    });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(taskBoardsSchema.parse(await answer.json()).boards.map((b) => b.name)).toEqual(['Apple orchard', 'zebra crossing']);
    const missing = await taskBoardsRoute.GET(new Request('http://127.0.0.1/api/tasks/x/boards'), {
      params: Promise.resolve({ id: randomUUID() }),
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    expect(await boards.boardMembership([picture, await insert('several boards, not on any')])).toEqual({
      total: 2,
      boards: expect.arrayContaining([
        { id: zebra, count: 1 },
        { id: apple, count: 1 },
      ]),
    });
    // Deleting one board leaves the picture on the other.
    await boards.deleteBoard(zebra);
    expect((await boards.boardsOfTask(picture))?.boards).toEqual([{ id: apple, name: 'Apple orchard' }]);
  });
});

describe('boards: the board filter', () => {
  it('lists only the board, newest or oldest first, in keyset pages without duplicates or skips', async () => {
    const ratio = '1920:1080';
    const all: string[] = [];
    for (let i = 0; i < 24; i++) all.push(await insert(`board walk ${i % 3 ? 'plain' : 'lantern'} ${i}`, { ratio }));
    // Three on the board share one instant: the id keeps them apart.
    const tie = clock + 1_000;
    for (let i = 0; i < 3; i++) all.push(await insert(`board walk tie ${i}`, { ratio, at: tie }));
    const onBoard = all.filter((_, i) => i % 2 === 0 || i >= 24);
    const id = await board('Walk');
    await boards.addToBoard(id, onBoard);
    // Not on the board: another board's picture, and tasks arriving between pages.
    const other = await board('Walk, other');
    await boards.addToBoard(other, [all[1]]);

    const expected = await newestFirst(onBoard);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(f({ ratio, board: id }), cursor, 4);
      seen.push(...ids(page.tasks));
      cursor = page.nextCursor;
      await insert('board walk arrival', { ratio }); // newer, not on the board
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(ids(await walk(f({ board: id, sort: 'oldest' }), 5))).toEqual([...expected].reverse());
    expect(ids(await walk(f({ board: id }), 100))).toEqual(expected);

    // Search within a board: only its matches, by time or by rank.
    const lanterns = await newestFirst(
      onBoard.filter((taskId) => {
        const i = all.indexOf(taskId);
        return i < 24 && i % 3 === 0; // "board walk lantern <i>"
      }),
    );
    expect(ids(await walk(f({ board: id, q: 'lantern' }), 2))).toEqual(lanterns);
    expect(ids(await walk(f({ board: id, q: 'lantern', sort: 'relevance' }), 2)).sort()).toEqual([...lanterns].sort());
    expect(await walk(f({ board: id, q: 'arrival' }))).toEqual([]);

    // A board no one has lists nothing; a malformed one is ignored like any bad filter value.
    expect(await walk(f({ board: randomUUID() }))).toEqual([]);
    expect(f({ board: 'not-a-board' } as Partial<GalleryFilter>).board).toBeUndefined();
  });

  it('lists the same rows whichever way the board is joined (its links, or probing them along the index)', async () => {
    const ratio = '1080:1920';
    const made: string[] = [];
    for (let i = 0; i < 12; i++)
      made.push(await insert(`join ways ${i}`, { ratio, status: i % 2 ? 'COMPLETED' : 'FAILED', deleted: i === 5 }));
    const id = await board('Join ways');
    await boards.addToBoard(id, made.slice(2));
    const dialect = testDialect();
    const rows = async (filter: GalleryFilter, join: 'probe' | 'links') => {
      const params = new SqlParams(dialect);
      const clauses = query.filterSql(filter, dialect, params, join)!;
      const sql = `SELECT t."id" AS "id" FROM ${clauses.from} WHERE ${clauses.where.join(' AND ')} ORDER BY t."createdAt" DESC, t."id" DESC`;
      return ids(await db().$queryRawUnsafe<Array<{ id: string }>>(sql, ...params.values));
    };
    for (const filter of [
      f({ ratio, board: id }),
      f({ ratio, board: id, status: 'COMPLETED' }),
      f({ ratio, board: id, view: 'trash' }),
      f({ ratio, board: id, from: monthOf(new Date(clock)) }),
    ]) {
      expect(await rows(filter, 'links'), JSON.stringify(filter)).toEqual(await rows(filter, 'probe'));
    }
    expect(await rows(f({ ratio, board: id }), 'links')).toEqual(await newestFirst(made.slice(2).filter((_, i) => i !== 3)));
  });

  it('pages a board bigger than the small-board limit (added in one call, chunked) along the index', async () => {
    const ratio = '1808:768';
    const base = Date.parse('2024-02-01T00:00:00Z');
    const count = query.SMALL_BOARD.page + 150; // listed by probing; counted from its links
    const rows = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      prompt: `big board ${i}`,
      ratio,
      seed: 1n,
      status: 'FAILED',
      origin: 'new',
      createdAt: new Date(base + Math.floor(i / 2) * 60_000), // pairs share an instant
      updatedAt: new Date(base),
    }));
    await db().task.createMany({ data: rows });
    const id = await board('Big one');
    expect(
      await boards.addToBoard(
        id,
        rows.map((r) => r.id),
      ),
    ).toEqual({ ok: true, added: count });
    if (testDialect() === 'sqlite') {
      expect(await query.boardJoinFor(f({ board: id }), 'sqlite')).toBe('probe');
      expect(await query.boardJoinFor(f({ board: id }), 'sqlite', 'count')).toBe('links');
    }

    const listed = ids(await walk(f({ board: id }), 250));
    expect(listed).toHaveLength(count);
    expect(new Set(listed).size).toBe(count);
    const byTime = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(listed).toEqual(byTime.map((r) => r.id));
    const { total, months } = await summary.gallerySummary(f({ board: id }));
    expect(total).toBe(count);
    expect(months).toEqual([{ month: '2024-02', count }]);
  });
});

describe('boards: counts, covers and the Trash', () => {
  it('counts and covers leave the Trash out; the board view hides trashed pictures, which stay on the board', async () => {
    const [oldest, middle, newest] = await importPictures(['cover oldest', 'cover middle', 'cover newest']);
    const times = ['2026-03-01T10:00:00Z', '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z'];
    for (const [i, taskId] of [oldest, middle, newest].entries()) {
      await db().task.update({ where: { id: taskId }, data: { createdAt: new Date(times[i]) } });
    }
    const failedNewer = await insert('cover failed newer', { ratio: '720:720', at: Date.parse('2026-03-04T10:00:00Z') });
    const id = await board('Covers');
    const empty = await board('Covers, empty');
    await boards.addToBoard(id, [middle, oldest, newest, failedNewer]);

    const listed = async () => (await boards.listBoards()).find((b) => b.id === id)!;
    expect(await listed()).toMatchObject({ count: 4, cover: { taskId: newest } });
    const cover = (await listed()).cover!;
    expect(cover.url).toMatch(new RegExp(`^/api/images/${newest}\\?v=`));
    expect(cover.srcSet).toContain(cover.url);
    expect(cover).toMatchObject({ width: 720, height: 720 });
    expect((await boards.listBoards()).find((b) => b.id === empty)).toMatchObject({ count: 0, cover: null });

    // To the Trash: out of the count, the cover and the board view — but still on the board.
    await collection.moveToTrash([newest]);
    expect(await listed()).toMatchObject({ count: 3, cover: { taskId: middle } });
    expect(ids(await walk(f({ board: id })))).toEqual([failedNewer, middle, oldest]);
    expect(ids(await walk(f({ board: id, view: 'trash' })))).toEqual([newest]);
    expect((await boards.boardsOfTask(newest))?.boards.map((b) => b.id)).toEqual([id]);
    await collection.restoreFromTrash([newest]);
    expect(ids(await walk(f({ board: id })))).toEqual([failedNewer, newest, middle, oldest]);

    // A lost picture is no cover either.
    await db().image.updateMany({ where: { taskId: newest }, data: { lostAt: new Date() } });
    expect((await listed()).cover?.taskId).toBe(middle);
    await db().image.updateMany({ where: { taskId: newest }, data: { lostAt: null } });

    // Deleted for good (Empty trash): the link goes with it, by the cascade.
    await collection.moveToTrash([oldest]);
    await records.deleteTasksWithPictures([oldest]);
    expect(await db().boardTask.count({ where: { taskId: oldest } })).toBe(0);
    expect(await listed()).toMatchObject({ count: 3, cover: { taskId: newest } });

    // GET /api/boards says the same, never cached.
    const answer = await boardsRoute.GET();
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = boardListSchema.parse(await answer.json());
    expect(body.boards.find((b) => b.id === id)).toMatchObject({ name: 'Covers', count: 3, cover: { taskId: newest } });
    const names = body.boards.map((b) => b.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('counts a board per month exactly as its view lists it (GET /api/tasks/summary?board=)', async () => {
    const ratio = '2112:912';
    const made: string[] = [];
    const start = Date.parse('2025-10-20T08:00:00Z');
    for (let i = 0; i < 20; i++) made.push(await insert(`summary board ${i}`, { ratio, at: start + i * 5 * 86_400_000, deleted: i === 7 }));
    const id = await board('Summary');
    await boards.addToBoard(
      id,
      made.filter((_, i) => i % 3 !== 1),
    );
    const listedTasks = await walk(f({ board: id }), 6);
    const byMonth = new Map<string, number>();
    for (const t of listedTasks) byMonth.set(monthOf(t.createdAt), (byMonth.get(monthOf(t.createdAt)) ?? 0) + 1);
    const expected = {
      total: listedTasks.length,
      months: [...byMonth].map(([month, count]) => ({ month, count })).sort((a, b) => b.month.localeCompare(a.month)),
    };
    expect(await summary.gallerySummary(f({ board: id }))).toEqual(expected);
    expect(await summary.gallerySummary(f({ board: id, from: '2025-11' }))).toEqual(expected); // `from` is a position
    expect((await summary.gallerySummary(f({ board: id, view: 'trash' }))).total).toBe(0); // #7 is not on the board

    const summaryRoute = await import('@/app/api/tasks/summary/route');
    const answer = await summaryRoute.GET(new NextRequest(`http://127.0.0.1:3000/api/tasks/summary?board=${id}`));
    expect(gallerySummarySchema.parse(await answer.json())).toEqual(expected);
  });
});

describe('boards: export', () => {
  it('exports a board as the same zip as any export: exactly its pictures (GET /api/export?board=)', async () => {
    const [one, two, three] = await importPictures(['export board one', 'export board two', 'export board three']);
    const failed = await insert('export board failed', { ratio: '720:720' });
    const trashed = await insert('export board trashed', { ratio: '720:720', deleted: true });
    const id = await board('Export me');
    await boards.addToBoard(id, [one, three, failed, trashed]);

    const response = await exportRoute.GET(new Request(`http://localhost:3000/api/export?board=${id}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="darkroom-export-\d{8}-\d{4}\.zip"$/);
    expect(response.headers.get('x-darkroom-export-tasks')).toBe('3');
    expect(response.headers.get('x-darkroom-export-pictures')).toBe('2');
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest).toMatchObject({ version: 1, count: 3 });
    expect(ids(manifest.tasks).sort()).toEqual(ids(await walk(f({ board: id }))).sort());
    expect(ids(manifest.tasks).sort()).toEqual([one, three, failed].sort());
    expect(manifest.tasks.map((t) => t.id)).not.toContain(two);
    const images = [...entries.keys()].filter((name) => name.startsWith('images/'));
    expect(images.sort()).toEqual(manifest.tasks.flatMap((t) => (t.file ? [t.file] : [])).sort());
    expect([...entries.keys()].filter((name) => !name.startsWith('images/'))).toEqual(['manifest.json', 'manifest.csv']);

    // A board no one has: an empty export, not everything.
    const none = await exportRoute.GET(new Request(`http://localhost:3000/api/export?board=${randomUUID()}`));
    expect(none.headers.get('x-darkroom-export-tasks')).toBe('0');
  });
});
