import 'server-only';
import { randomUUID } from 'node:crypto';
import { db, dbDialect } from '../db/client';
import { SqlParams, timestampValue } from '../db/dialect';
import { Prisma } from '../db/generated/client';
import { SMALL_BOARD } from '../gallery/query';
import { imageSrcSet, originalUrl } from '../images/urls';
import { fail, ok, type Result } from '../result';
import { boardNameKey, boardNameSchema, DUPLICATE_BOARD_NAME } from './names';
import type { BoardCover, BoardMembership, BoardView, TaskBoards } from './view';

/**
 * Boards (issue #12): named collections of pictures; a picture can be on several. A board holds links
 * (BoardTask), never pictures: deleting a board leaves every picture where it was, and a task deleted
 * for good (Empty trash) leaves its boards by the foreign key's cascade. A picture in the Trash stays on
 * its boards; the board view hides it as the gallery does (lib/gallery/query.ts filters by `board` on
 * top of the view's own conditions), and counts and covers leave it out.
 *
 * Names are unique whatever their case: the unique index is on `nameKey` (lib/boards/names.ts), so the
 * database settles two people creating "Trip" and "trip" at the same moment.
 */

/** As many pictures as one bulk action takes (the selection's limit). */
export const MAX_BOARD_IDS = 10_000;
/** Ids per statement: far below SQLite's and PostgreSQL's limits on parameters. */
const CHUNK = 500;

export const BOARD_GONE = 'That board no longer exists.';

type BoardRow = { id: string; name: string; createdAt: Date; updatedAt: Date };

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const uniqueIds = (ids: string[]) => [...new Set(ids)].slice(0, MAX_BOARD_IDS);

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

function parseName(name: unknown): Result<{ name: string }, 'name'> {
  const parsed = boardNameSchema.safeParse(name);
  if (parsed.success) return ok({ name: parsed.data });
  const message = parsed.error.issues[0]?.message ?? 'Give the board a name.';
  return fail(message, { name: message });
}

/** A board as the browser sees it, with its count and cover (computed by the caller). */
function view(row: BoardRow, count: number, cover: BoardCover | null): BoardView {
  return {
    id: row.id,
    name: row.name,
    count,
    cover,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A new, empty board. A name another board has (in any case) is a field error. */
export async function createBoard(name: unknown): Promise<Result<{ board: BoardView }, 'name'>> {
  const parsed = parseName(name);
  if (!parsed.ok) return parsed;
  try {
    const row = await db().board.create({
      data: { id: randomUUID(), name: parsed.name, nameKey: boardNameKey(parsed.name) },
    });
    return ok({ board: view(row, 0, null) });
  } catch (error) {
    if (isUniqueViolation(error)) return fail(DUPLICATE_BOARD_NAME, { name: DUPLICATE_BOARD_NAME });
    throw error;
  }
}

/** A new name for a board; changing only its case ("trip" → "Trip") is allowed. */
export async function renameBoard(id: string, name: unknown): Promise<Result<{ board: BoardView }, 'name'>> {
  const parsed = parseName(name);
  if (!parsed.ok) return parsed;
  try {
    const { count } = await db().board.updateMany({
      where: { id },
      data: { name: parsed.name, nameKey: boardNameKey(parsed.name) },
    });
    if (count === 0) return fail(BOARD_GONE);
  } catch (error) {
    if (isUniqueViolation(error)) return fail(DUPLICATE_BOARD_NAME, { name: DUPLICATE_BOARD_NAME });
    throw error;
  }
  const board = (await listBoards({ ids: [id] }))[0];
  return board ? ok({ board }) : fail(BOARD_GONE);
}

/** Deletes a board and its links; every picture stays. */
export async function deleteBoard(id: string): Promise<Result<{ id: string }>> {
  const { count } = await db().board.deleteMany({ where: { id } });
  return count ? ok({ id }) : fail(BOARD_GONE);
}

/**
 * Puts pictures on a board. Idempotent: pictures already on it stay as they were (their addedAt too),
 * ids of tasks that do not exist are ignored. `added` counts the new links.
 */
export async function addToBoard(boardId: string, taskIds: string[]): Promise<Result<{ added: number }>> {
  const ids = uniqueIds(taskIds);
  const dialect = dbDialect();
  const now = new Date();
  return db().$transaction(async (tx) => {
    const board = await tx.board.findUnique({ where: { id: boardId }, select: { id: true } });
    if (!board) return fail(BOARD_GONE);
    let added = 0;
    for (const chunk of chunks(ids)) {
      const params = new SqlParams(dialect);
      const boardParam = params.add(boardId);
      const at = params.addTimestamp(timestampValue(dialect, now));
      const list = chunk.map((id) => params.add(id)).join(', ');
      // Only tasks that exist (a join, not a foreign-key error), and never a second link.
      added += await tx.$executeRawUnsafe(
        `INSERT INTO "BoardTask" ("boardId", "taskId", "addedAt") SELECT ${boardParam}, t."id", ${at} FROM "Task" t WHERE t."id" IN (${list}) ON CONFLICT DO NOTHING`,
        ...params.values,
      );
    }
    if (added) await tx.board.update({ where: { id: boardId }, data: { updatedAt: now } });
    return ok({ added });
  });
}

/** Takes pictures off a board (the pictures stay in the gallery). Idempotent; `removed` counts the links removed. */
export async function removeFromBoard(boardId: string, taskIds: string[]): Promise<Result<{ removed: number }>> {
  const ids = uniqueIds(taskIds);
  return db().$transaction(async (tx) => {
    const board = await tx.board.findUnique({ where: { id: boardId }, select: { id: true } });
    if (!board) return fail(BOARD_GONE);
    let removed = 0;
    for (const chunk of chunks(ids)) {
      removed += (await tx.boardTask.deleteMany({ where: { boardId, taskId: { in: chunk } } })).count;
    }
    if (removed) await tx.board.update({ where: { id: boardId }, data: { updatedAt: new Date() } });
    return ok({ removed });
  });
}

type CountRow = { boardId: string; count: number | bigint };

/**
 * Every board (or those of `ids`), by name, each with how many pictures it lists (not in the Trash) and
 * its cover: the newest completed picture not in the Trash whose stored file is not lost.
 *
 * Counts are the board's links (an index-only count on the BoardTask primary key) minus its links to
 * pictures in the Trash (found from the Trash's own index range), so no task is looked up per link.
 * (`CROSS JOIN` fixes SQLite's loop order, left table outside; PostgreSQL reorders it freely.)
 * Covers are found from a board's links (each task looked up by id: the board's size) — except on SQLite
 * for a board bigger than SMALL_BOARD.page, whose cover is found walking the gallery's index from the newest
 * task and probing the board's links (it is dense enough to be met early). PostgreSQL's planner chooses.
 */
export async function listBoards({ ids }: { ids?: string[] } = {}): Promise<BoardView[]> {
  const rows = await db().board.findMany({
    where: ids ? { id: { in: ids } } : undefined,
    orderBy: [{ nameKey: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, createdAt: true, updatedAt: true },
  });
  if (!rows.length) return [];
  const dialect = dbDialect();
  const boardIds = rows.map((row) => row.id);
  const only = (params: SqlParams) => `bt."boardId" IN (${boardIds.map((id) => params.add(id)).join(', ')})`;

  const linkParams = new SqlParams(dialect);
  const links = await db().$queryRawUnsafe<CountRow[]>(
    `SELECT bt."boardId" AS "boardId", COUNT(*) AS "count" FROM "BoardTask" bt WHERE ${only(linkParams)} GROUP BY bt."boardId"`,
    ...linkParams.values,
  );
  const trashParams = new SqlParams(dialect);
  const trashed = await db().$queryRawUnsafe<CountRow[]>(
    `SELECT bt."boardId" AS "boardId", COUNT(*) AS "count" FROM "Task" t CROSS JOIN "BoardTask" bt WHERE t."deletedAt" IS NOT NULL AND bt."taskId" = t."id" AND ${only(trashParams)} GROUP BY bt."boardId"`,
    ...trashParams.values,
  );
  const linksOf = new Map(links.map((row) => [row.boardId, Number(row.count)]));
  const trashedOf = new Map(trashed.map((row) => [row.boardId, Number(row.count)]));
  const countOf = (id: string) => (linksOf.get(id) ?? 0) - (trashedOf.get(id) ?? 0);

  const covers = await coverTasks(
    boardIds.filter((id) => countOf(id) > 0),
    (id) => dialect === 'sqlite' && (linksOf.get(id) ?? 0) > SMALL_BOARD.page,
  );
  const coverOf = await coverViews([...new Set(covers.values())]);
  return rows.map((row) => {
    const coverTask = covers.get(row.id);
    return view(row, countOf(row.id), (coverTask && coverOf.get(coverTask)) || null);
  });
}

/** What makes a picture a cover: completed, not in the Trash, its stored file not lost. */
const COVER_CONDITIONS = `t."deletedAt" IS NULL AND t."status" = 'COMPLETED' AND EXISTS (SELECT 1 FROM "Image" i WHERE i."taskId" = t."id" AND i."lostAt" IS NULL)`;

/** Board id → its cover's task id, for boards that have one. `big` boards (SQLite only) are found by probing. */
async function coverTasks(boardIds: string[], big: (id: string) => boolean): Promise<Map<string, string>> {
  const dialect = dbDialect();
  const covers = new Map<string, string>();
  const small = boardIds.filter((id) => !big(id));
  if (small.length) {
    const params = new SqlParams(dialect);
    const rows = await db().$queryRawUnsafe<Array<{ boardId: string; taskId: string | null }>>(
      `SELECT b."id" AS "boardId", (SELECT t."id" FROM "BoardTask" bt CROSS JOIN "Task" t WHERE bt."boardId" = b."id" AND t."id" = bt."taskId" AND ${COVER_CONDITIONS} ORDER BY t."createdAt" DESC, t."id" DESC LIMIT 1) AS "taskId" FROM "Board" b WHERE b."id" IN (${small.map((id) => params.add(id)).join(', ')})`,
      ...params.values,
    );
    for (const row of rows) if (row.taskId) covers.set(row.boardId, row.taskId);
  }
  for (const id of boardIds.filter(big)) {
    // `+` keeps SQLite off the (status, nextCheckAt) index: the walk must follow (deletedAt, createdAt, id).
    const [row] = await db().$queryRawUnsafe<Array<{ taskId: string }>>(
      `SELECT t."id" AS "taskId" FROM "Task" t WHERE ${COVER_CONDITIONS.replace('t."status"', '+t."status"')} AND EXISTS (SELECT 1 FROM "BoardTask" bt WHERE bt."boardId" = ? AND bt."taskId" = t."id") ORDER BY t."createdAt" DESC, t."id" DESC LIMIT 1`,
      id,
    );
    if (row) covers.set(id, row.taskId);
  }
  return covers;
}

/** Task id → its picture as a cover (TaskView's URL forms). */
async function coverViews(taskIds: string[]): Promise<Map<string, BoardCover>> {
  if (!taskIds.length) return new Map();
  const images = await db().image.findMany({ where: { taskId: { in: taskIds } }, include: { thumbnails: true } });
  return new Map(
    images.map((image): [string, BoardCover] => [
      image.taskId,
      {
        taskId: image.taskId,
        url: originalUrl(image.taskId, image),
        srcSet: imageSrcSet(image.taskId, image, image.thumbnails),
        width: image.width,
        height: image.height,
        placeholder: image.placeholder,
      },
    ]),
  );
}

/** The boards one picture is on, by name (a picture in the Trash keeps its boards). Null when there is no such task. */
export async function boardsOfTask(taskId: string): Promise<TaskBoards | null> {
  const task = await db().task.findUnique({
    where: { id: taskId },
    select: { id: true, boards: { select: { board: { select: { id: true, name: true, nameKey: true } } } } },
  });
  if (!task) return null;
  const boards = task.boards
    .map((link) => link.board)
    .sort((a, b) => (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0))
    .map(({ id, name }) => ({ id, name }));
  return { taskId: task.id, boards };
}

/** For a selection: how many of these pictures each board holds (boards holding none left out). */
export async function boardMembership(taskIds: string[]): Promise<BoardMembership> {
  const ids = uniqueIds(taskIds);
  const counts = new Map<string, number>();
  for (const chunk of chunks(ids)) {
    const groups = await db().boardTask.groupBy({ by: ['boardId'], where: { taskId: { in: chunk } }, _count: { _all: true } });
    for (const group of groups) counts.set(group.boardId, (counts.get(group.boardId) ?? 0) + group._count._all);
  }
  return { total: ids.length, boards: [...counts].map(([id, count]) => ({ id, count })) };
}
