import 'server-only';
import { z } from 'zod';
import { db } from '../db/client';
import { toView, withImage, type TaskRow } from '../tasks/repository';
import type { TaskPage } from '../tasks/view';
import { effectiveSort, type GalleryFilter } from './filters';

/**
 * Listing the collection: filters, full-text search (FTS5, ranked) and cursor
 * pages. Ids are selected with one SQL query that uses the indexes
 * (deletedAt, createdAt, id) or the FTS index; rows are then loaded by id.
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

/**
 * A person's words → an FTS5 query: every word must appear, as a word prefix
 * ("harb" finds "harbour"). Quoting each token keeps FTS syntax characters
 * typed by people from being read as operators.
 */
export function ftsQuery(text: string): string | null {
  const tokens =
    text
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 12) ?? [];
  return tokens.length ? tokens.map((t) => `"${t}"*`).join(' ') : null;
}

type IdRow = { id: string; createdAt: string };

async function selectIds(filter: GalleryFilter, cursor: Cursor | null, limit: number): Promise<IdRow[]> {
  const where: string[] = [filter.view === 'trash' ? 't."deletedAt" IS NOT NULL' : 't."deletedAt" IS NULL'];
  const params: unknown[] = [];
  const match = ftsQuery(filter.q);
  if (filter.q.trim() && !match) return []; // only punctuation: nothing can match
  if (filter.ratio) {
    where.push('t."ratio" = ?');
    params.push(filter.ratio);
  }
  if (filter.status) {
    where.push('t."status" = ?');
    params.push(filter.status);
  }
  if (filter.favorites) where.push('t."favorite" = 1');
  if (match) {
    where.push('"TaskSearch" MATCH ?');
    params.push(match);
  }

  const sort = effectiveSort(filter);
  let order: string;
  let offset = 0;
  if (sort === 'relevance') {
    order = '"TaskSearch".rank, t."createdAt" DESC, t."id" DESC';
    offset = cursor?.kind === 'offset' ? cursor.offset : 0;
  } else {
    const desc = sort === 'newest';
    if (cursor?.kind === 'time') {
      const op = desc ? '<' : '>';
      where.push(`(t."createdAt" ${op} ? OR (t."createdAt" = ? AND t."id" ${op} ?))`);
      params.push(cursor.createdAt, cursor.createdAt, cursor.id);
    }
    order = desc ? 't."createdAt" DESC, t."id" DESC' : 't."createdAt" ASC, t."id" ASC';
  }

  const from = match ? '"Task" t JOIN "TaskSearch" ON "TaskSearch".rowid = t.rowid' : '"Task" t';
  const sql = `SELECT t."id" AS id, CAST(t."createdAt" AS TEXT) AS createdAt FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`;
  return db().$queryRawUnsafe<IdRow[]>(sql, ...params, limit, offset);
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
