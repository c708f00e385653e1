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
 * The rows a filter lists, as SQL: the FROM clause (with the search's join on SQLite), the WHERE
 * conditions (`from`'s month bound included) and the search (null without one), or null when nothing
 * can match (a search of punctuation only). Shared by the listing and the summary
 * (lib/gallery/summary.ts, which leaves `from` out), so a count is exactly what the gallery lists.
 */
export function filterSql(
  filter: GalleryFilter,
  dialect: Dialect,
  params: SqlParams,
): { from: string; where: string[]; search: ReturnType<typeof searchClauses> } | null {
  const where: string[] = [filter.view === 'trash' ? 't."deletedAt" IS NOT NULL' : 't."deletedAt" IS NULL'];
  if (filter.ratio) where.push(`t."ratio" = ${params.add(filter.ratio)}`);
  if (filter.status) where.push(`t."status" = ${params.add(filter.status)}`);
  if (filter.favorites) where.push(`t."favorite" = ${sqlBool(dialect, true)}`);
  const search = filter.q.trim() ? searchClauses(dialect, filter.q, params) : null;
  if (filter.q.trim() && !search) return null; // only punctuation: nothing can match
  if (search) where.push(search.where);
  const bound = fromBound(filter);
  if (bound) {
    // Without a search, a range the (deletedAt, createdAt, id) index starts at, like a page cursor.
    // With one on SQLite, `+` keeps the index out of it: offered a createdAt range, SQLite walks that
    // index and probes FTS5 once per task (17 s instead of 5 ms for "lighthouse dusk" at 100,000
    // rows); the search's matches must drive, as they do without `from`.
    const column = search && dialect === 'sqlite' ? '+t."createdAt"' : 't."createdAt"';
    where.push(`${column} ${bound.op} ${params.addTimestamp(timestampValue(dialect, bound.at))}`);
  }
  return { from: search?.from ?? '"Task" t', where, search };
}

async function selectIds(filter: GalleryFilter, cursor: Cursor | null, limit: number): Promise<IdRow[]> {
  const dialect = dbDialect();
  const params = new SqlParams(dialect);
  const clauses = filterSql(filter, dialect, params);
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
      } else {
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
