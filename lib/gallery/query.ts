import 'server-only';
import { z } from 'zod';
import { db, dbDialect } from '../db/client';
import { SqlParams, sqlBool, timestampValue, type Dialect } from '../db/dialect';
import { toView, withImage, type TaskRow } from '../tasks/repository';
import type { TaskPage } from '../tasks/view';
import { effectiveSort, fromBound, type GalleryFilter } from './filters';

/**
 * Listing the collection: filters, full-text search (FTS5 on SQLite, a
 * tsvector GIN index on PostgreSQL; ranked) and cursor pages. Ids are selected
 * with one SQL query that uses the indexes (deletedAt, createdAt, id) or the
 * search index; rows are then loaded by id.
 * Time-sorted pages use a keyset cursor on (createdAt, id), so tasks arriving
 * meanwhile never cause duplicates or skips; relevance pages use an offset.
 */

/** Deeper than anyone scrolls by relevance; keeps the SQL OFFSET a small, valid integer. */
export const MAX_OFFSET = 1_000_000;

const cursorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('time'), createdAt: z.string().regex(/^[0-9T:. +Z-]{1,40}$/), id: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('offset'), offset: z.number().int().min(0).max(MAX_OFFSET) }),
]);
type Cursor = z.infer<typeof cursorSchema>;

/** A cursor the server did not issue (or one out of range): the request is wrong, not the database. */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not a page cursor this server issued; start again without it.');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Null for "from the start"; throws InvalidCursorError for anything else that is not a valid cursor. */
export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString());
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCursorError();
  return parsed.data;
}

/** The words of a search: letters and digits only, so nothing a person types is read as query syntax. */
function searchWords(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 12) ?? []
  );
}

/**
 * A person's words → an FTS5 query: every word must appear, as a word prefix
 * ("harb" finds "harbour"). Quoting each token keeps FTS syntax characters
 * typed by people from being read as operators.
 */
export function ftsQuery(text: string): string | null {
  const tokens = searchWords(text);
  return tokens.length ? tokens.map((t) => `"${t}"*`).join(' ') : null;
}

/**
 * The same search as a PostgreSQL tsquery built in SQL from the person's words ($1, space-separated):
 * they go through the very function and parser that made the indexed `searchVector`
 * (darkroom_unaccent, then to_tsvector('simple', …): accents and case folded, split the same way),
 * and each resulting lexeme becomes a required prefix (`'harb':* & 'cafe':*`). Built from lexemes,
 * never parsed from the typed text, so nothing typed is read as tsquery syntax.
 */
const POSTGRES_TSQUERY = (words: string) =>
  `(SELECT string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || ''':*', ' & ')::tsquery FROM unnest(to_tsvector('simple', public.darkroom_unaccent(${words}))))`;

type IdRow = { id: string; createdAt: string };

/**
 * Where and how the search matches and ranks, per database: FTS5's external-content table and its
 * bm25 `rank` (lower is better) on SQLite; the generated `searchVector` column, its GIN index and
 * `ts_rank_cd` (higher is better; more occurrences rank higher, longer prompts a little lower, like bm25)
 * on PostgreSQL (prisma/postgres/migrations/20261126090000_gallery).
 */
function searchClauses(dialect: Dialect, q: string, params: SqlParams): { from: string; where: string; rank: string } | null {
  if (dialect === 'postgres') {
    const words = searchWords(q);
    if (!words.length) return null;
    const tsquery = POSTGRES_TSQUERY(params.add(words.join(' ')));
    return { from: '"Task" t', where: `t."searchVector" @@ ${tsquery}`, rank: `ts_rank_cd(t."searchVector", ${tsquery}, 1) DESC` };
  }
  const match = ftsQuery(q);
  if (!match) return null;
  return {
    from: '"Task" t JOIN "TaskSearch" ON "TaskSearch".rowid = t.rowid',
    where: `"TaskSearch" MATCH ${params.add(match)}`,
    rank: '"TaskSearch".rank',
  };
}

/**
 * How a board filter is joined on SQLite (chosen by boardJoinFor below). `probe`: walk the gallery's
 * (deletedAt, createdAt, id) index in order and probe the board's links (BoardTask primary key) per
 * task — a page costs (page size × tasks ÷ pictures on the board) probes, cheap for a big board, a walk
 * over the whole collection for a small one. `links`: start from the board's links and look each task up
 * by id, then sort — a page costs the board's size. PostgreSQL's planner makes this choice itself from
 * its statistics (an EXISTS is a semi-join it may drive from either side), so there it is always `probe`.
 */
export type BoardJoin = 'probe' | 'links';

/**
 * The rows a filter lists, as SQL: the FROM clause (with the search's join on SQLite), the WHERE
 * conditions (`from`'s month bound included) and the search (null without one), or null when nothing
 * can match (a search of punctuation only). Shared by the listing and the summary
 * (lib/gallery/summary.ts, which leaves `from` out), so a count is exactly what the gallery lists.
 * A board joins as `boardJoin` says (see {@link boardJoinFor}); with a search the search's matches drive.
 */
export function filterSql(
  filter: GalleryFilter,
  dialect: Dialect,
  params: SqlParams,
  boardJoin: BoardJoin = 'probe',
): { from: string; where: string[]; search: ReturnType<typeof searchClauses>; boardLinks: boolean } | null {
  const boardLinks = Boolean(filter.board) && boardJoin === 'links' && dialect === 'sqlite' && !filter.q.trim();
  // From a board's links, each task must be looked up by its id and nothing else: `+` keeps SQLite from
  // choosing one of Task's other indexes for it (a (deletedAt, createdAt) range per link instead of one seek).
  const t = (column: string) => (boardLinks ? `+t."${column}"` : `t."${column}"`);
  const where: string[] = [filter.view === 'trash' ? `${t('deletedAt')} IS NOT NULL` : `${t('deletedAt')} IS NULL`];
  if (filter.ratio) where.push(`${t('ratio')} = ${params.add(filter.ratio)}`);
  if (filter.model) where.push(`${t('model')} = ${params.add(filter.model)}`);
  if (filter.status) where.push(`${t('status')} = ${params.add(filter.status)}`);
  if (filter.favorites) where.push(`${t('favorite')} = ${sqlBool(dialect, true)}`);
  if (filter.board && boardLinks) {
    // CROSS JOIN fixes SQLite's loop order: the board's links outside, each task looked up by id inside.
    where.push(`bt."boardId" = ${params.add(filter.board)}`, 't."id" = bt."taskId"');
  } else if (filter.board) {
    where.push(`EXISTS (SELECT 1 FROM "BoardTask" bt WHERE bt."boardId" = ${params.add(filter.board)} AND bt."taskId" = t."id")`);
  }
  const search = filter.q.trim() ? searchClauses(dialect, filter.q, params) : null;
  if (filter.q.trim() && !search) return null; // only punctuation: nothing can match
  if (search) where.push(search.where);
  const bound = fromBound(filter);
  if (bound) {
    // Without a search, a range the (deletedAt, createdAt, id) index starts at, like a page cursor.
    // With one on SQLite, `+` keeps the index out of it: offered a createdAt range, SQLite walks that
    // index and probes FTS5 once per task (17 s instead of 5 ms for "lighthouse dusk" at 100,000
    // rows); the search's matches must drive, as they do without `from`.
    const column = search && dialect === 'sqlite' ? '+t."createdAt"' : t('createdAt');
    where.push(`${column} ${bound.op} ${params.addTimestamp(timestampValue(dialect, bound.at))}`);
  }
  return { from: search?.from ?? (boardLinks ? '"BoardTask" bt CROSS JOIN "Task" t' : '"Task" t'), where, search, boardLinks };
}

/**
 * Boards with at most this many pictures are listed from their links on SQLite (a page), or counted from
 * them (the summary). Measured at 100,000 tasks: from its links a board costs about 4 µs a picture (looked
 * up by id, then sorted or grouped: 0.2 ms for 50, 20 ms for 5,000); probing costs a page about
 * (48 × 100,000 ÷ board size) index steps — 1 ms for a board of 5,000, 67 ms for one of 50 — and a count
 * every task in the gallery (≈ 100 ms).
 */
export const SMALL_BOARD = { page: 2_000, count: 20_000 } as const;

/**
 * How to join the filter's board (see {@link BoardJoin}) for a page or for the summary's counts: one
 * bounded index count on SQLite (at most the limit + 1 links, whatever the board's size); nothing to ask
 * otherwise.
 */
export async function boardJoinFor(
  filter: GalleryFilter,
  dialect: Dialect,
  purpose: keyof typeof SMALL_BOARD = 'page',
): Promise<BoardJoin> {
  if (!filter.board || dialect !== 'sqlite' || filter.q.trim()) return 'probe';
  const limit = SMALL_BOARD[purpose];
  const [row] = await db().$queryRawUnsafe<Array<{ n: number | bigint }>>(
    `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "BoardTask" WHERE "boardId" = ? LIMIT ${limit + 1})`,
    filter.board,
  );
  return Number(row?.n ?? 0) <= limit ? 'links' : 'probe';
}

async function selectIds(filter: GalleryFilter, cursor: Cursor | null, limit: number): Promise<IdRow[]> {
  const dialect = dbDialect();
  const params = new SqlParams(dialect);
  const clauses = filterSql(filter, dialect, params, await boardJoinFor(filter, dialect));
  if (!clauses) return [];
  const { where, search } = clauses;

  const sort = effectiveSort(filter);
  let order: string;
  let offset = 0;
  if (sort === 'relevance' && search) {
    order = `${search.rank}, t."createdAt" DESC, t."id" DESC`;
    offset = cursor?.kind === 'offset' ? cursor.offset : 0;
  } else {
    const desc = sort === 'newest';
    if (cursor?.kind === 'time') {
      const op = desc ? '<' : '>';
      if (dialect === 'postgres') {
        // A row comparison is an index condition on (createdAt, id) for PostgreSQL: the page starts at
        // the cursor instead of filtering its way there (0.1 ms instead of 20+ ms deep into 100k rows).
        where.push(`(t."createdAt", t."id") ${op} (${params.addTimestamp(cursor.createdAt)}, ${params.add(cursor.id)})`);
      } else if (clauses.boardLinks) {
        // A small board's rows come from its links and are sorted anyway: no index on Task may be offered.
        const [at, same, id] = [params.add(cursor.createdAt), params.add(cursor.createdAt), params.add(cursor.id)];
        where.push(`(+t."createdAt" ${op} ${at} OR (+t."createdAt" = ${same} AND +t."id" ${op} ${id}))`);
      } else {
        // SQLite cannot start an index range at an OR: without search, a redundant `createdAt <=` (`>=`) lets
        // the page start at the cursor instead of walking there (at 100,000 tasks, the middle of the gallery:
        // 11 ms → 0.04 ms; of a 5,000-picture board: 19 ms → 3 ms). With a search it would pull SQLite off
        // the search's matches (see `from` in filterSql), so it is left out there.
        if (!search) where.push(`t."createdAt" ${op}= ${params.add(cursor.createdAt)}`);
        const [at, same, id] = [params.add(cursor.createdAt), params.add(cursor.createdAt), params.add(cursor.id)];
        where.push(`(t."createdAt" ${op} ${at} OR (t."createdAt" = ${same} AND t."id" ${op} ${id}))`);
      }
    }
    order = desc ? 't."createdAt" DESC, t."id" DESC' : 't."createdAt" ASC, t."id" ASC';
  }

  // The cursor keeps createdAt exactly as the database renders it as text (ISO text in SQLite,
  // `YYYY-MM-DD HH:MM:SS.fff` for PostgreSQL's TIMESTAMP(3)), so the next page compares like with like.
  const sql = `SELECT t."id" AS "id", CAST(t."createdAt" AS TEXT) AS "createdAt" FROM ${clauses.from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
  return db().$queryRawUnsafe<IdRow[]>(sql, ...params.values);
}

async function loadRows(ids: string[]): Promise<TaskRow[]> {
  const rows = await db().task.findMany({ where: { id: { in: ids } }, include: withImage });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function page(filter: GalleryFilter, cursorText: string | null | undefined, limit: number) {
  const cursor = decodeCursor(cursorText);
  const ids = await selectIds(filter, cursor, limit + 1);
  const more = ids.length > limit;
  const shown = ids.slice(0, limit);
  let nextCursor: string | null = null;
  if (more) {
    const last = shown[shown.length - 1];
    nextCursor =
      effectiveSort(filter) === 'relevance'
        ? encodeCursor({ kind: 'offset', offset: (cursor?.kind === 'offset' ? cursor.offset : 0) + limit })
        : encodeCursor({ kind: 'time', createdAt: last.createdAt, id: last.id });
  }
  return { rows: await loadRows(shown.map((r) => r.id)), nextCursor };
}

export async function listTasks(filter: GalleryFilter, cursor?: string | null, limit = 48): Promise<TaskPage> {
  const { rows, nextCursor } = await page(filter, cursor, limit);
  return { tasks: rows.map(toView), nextCursor };
}

/** Every task matching a filter, in pages, for export and bulk actions on a whole filter. */
export async function* tasksMatching(filter: GalleryFilter, batchSize = 200): AsyncGenerator<TaskRow[]> {
  let cursor: string | null = null;
  do {
    const result: { rows: TaskRow[]; nextCursor: string | null } = await page(filter, cursor, batchSize);
    if (result.rows.length) yield result.rows;
    cursor = result.nextCursor;
  } while (cursor);
}
