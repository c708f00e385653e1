import 'server-only';
import { db, dbDialect } from '../db/client';
import { SqlParams, timestampValue, type Dialect } from '../db/dialect';
import { DEFAULT_FILTER, monthOf, monthStart, type GalleryFilter } from './filters';
import { boardJoinFor, filterSql } from './query';
import type { GallerySummary } from './summary-view';

/**
 * The gallery's total and its tasks per month, for the count and the month scrubber ("jump to
 * date"). Every count uses the very conditions the listing uses (filterSql), minus `from` and the
 * sort, so every number is what the gallery would list. Months are UTC months.
 *
 * How createdAt is stored decides how months are found: SQLite keeps a DateTime as ISO 8601 text
 * (`2026-10-31T23:59:59.999+00:00`, as Prisma's better-sqlite3 adapter writes it; lib/db/dialect.ts),
 * so a row's month is its first seven characters; PostgreSQL's `TIMESTAMP(3)` columns hold UTC
 * (every session runs with TimeZone=UTC), so `to_char(…, 'YYYY-MM')` is the UTC month.
 *
 * - The gallery without a search: a `GROUP BY` of a month expression cannot use the (deletedAt,
 *   createdAt, id) index's order, so the database sorts every row (SQLite in a temporary B-tree, ≈ 60 ms
 *   at 100,000 rows; PostgreSQL ≈ 150 ms with to_char, ≈ 40–70 ms with date_trunc). Instead each month
 *   is counted over its index range (`deletedAt IS NULL AND createdAt >= month start AND < next month
 *   start`), from the newest to the oldest month (two index seeks find them): each row is visited once
 *   and nothing is sorted (≈ 10–30 ms; an index-only scan on PostgreSQL once vacuumed).
 * - Otherwise one `GROUP BY` month over the matching rows: there the search's matches drive (and only
 *   they are grouped), or the Trash's own index range (`deletedAt IS NOT NULL` is a range, so per-month
 *   ranges there would walk every task by createdAt), or a board's links (on SQLite up to 20,000 of them;
 *   a bigger board probes its links along the index — query.ts, boardJoinFor).
 * tests/integration/gallery-summary.test.ts checks every count against the listing itself.
 */
export async function gallerySummary(filter: GalleryFilter): Promise<GallerySummary> {
  const dialect = dbDialect();
  const counted = { ...filter, from: undefined };
  // A board: its rows are found through its links (query.ts, boardJoinFor), and grouped.
  const byRanges = filter.view === 'gallery' && !filter.q.trim() && !filter.board;
  const months = byRanges ? await countByMonthRanges(counted, dialect) : await countGrouped(counted, dialect);
  return { total: months.reduce((sum, m) => sum + m.count, 0), months };
}

type MonthCount = GallerySummary['months'][number];
type CountRow = { month: string; count: number | bigint };

/** Drops empty months; COUNT(*) is a bigint on PostgreSQL (a BigInt here), a number on SQLite. */
const monthCounts = (rows: CountRow[]): MonthCount[] =>
  rows.map((row) => ({ month: row.month, count: Number(row.count) })).filter((m) => m.count > 0);

async function countGrouped(filter: GalleryFilter, dialect: Dialect): Promise<MonthCount[]> {
  const params = new SqlParams(dialect);
  const clauses = filterSql(filter, dialect, params, await boardJoinFor(filter, dialect, 'count'));
  if (!clauses) return [];
  // PostgreSQL: grouped by date_trunc (cheap), formatted once per month (to_char per row costs 3×).
  const [group, month] =
    dialect === 'postgres'
      ? [`date_trunc('month', t."createdAt")`, `to_char(date_trunc('month', t."createdAt"), 'YYYY-MM')`]
      : [`substr(t."createdAt", 1, 7)`, `substr(t."createdAt", 1, 7)`];
  const sql = `SELECT ${month} AS "month", COUNT(*) AS "count" FROM ${clauses.from} WHERE ${clauses.where.join(' AND ')} GROUP BY ${group} ORDER BY 1 DESC`;
  return monthCounts(await db().$queryRawUnsafe<CountRow[]>(sql, ...params.values));
}

/** More months than this between a view's newest and oldest task (imported antiques?): group instead. */
const MAX_RANGE_MONTHS = 1200;

async function countByMonthRanges(filter: GalleryFilter, dialect: Dialect): Promise<MonthCount[]> {
  // The months to count: from the gallery's newest task to its oldest.
  const viewParams = new SqlParams(dialect);
  const view = filterSql(DEFAULT_FILTER, dialect, viewParams)!;
  const monthOfRow = dialect === 'postgres' ? `to_char(t."createdAt", 'YYYY-MM')` : `substr(t."createdAt", 1, 7)`;
  const end = (order: 'ASC' | 'DESC') =>
    `(SELECT ${monthOfRow} FROM ${view.from} WHERE ${view.where.join(' AND ')} ORDER BY t."createdAt" ${order} LIMIT 1)`;
  const [span] = await db().$queryRawUnsafe<Array<{ newest: string | null; oldest: string | null }>>(
    `SELECT ${end('DESC')} AS "newest", ${end('ASC')} AS "oldest"`,
    ...viewParams.values,
  );
  if (!span?.newest || !span.oldest) return [];
  const months: string[] = [];
  for (let m = span.newest; m >= span.oldest && months.length <= MAX_RANGE_MONTHS; m = monthOf(monthStart(m, -1))) months.push(m);
  if (months.length > MAX_RANGE_MONTHS) return countGrouped(filter, dialect);

  // One correlated COUNT per month, each an index range; parameters in the order they appear.
  const params = new SqlParams(dialect);
  const bound = (m: string, offset: number) => params.addTimestamp(timestampValue(dialect, monthStart(m, offset)));
  const rows = months.map((m) => `(${params.add(m)}, ${bound(m, 0)}, ${bound(m, 1)})`);
  const clauses = filterSql(filter, dialect, params)!; // no search here, so never "nothing can match"
  const where = [...clauses.where, 't."createdAt" >= "m"."lo"', 't."createdAt" < "m"."hi"'].join(' AND ');
  const sql = `WITH "m"("month", "lo", "hi") AS (VALUES ${rows.join(', ')}) SELECT "m"."month" AS "month", (SELECT COUNT(*) FROM ${clauses.from} WHERE ${where}) AS "count" FROM "m" ORDER BY "m"."month" DESC`;
  return monthCounts(await db().$queryRawUnsafe<CountRow[]>(sql, ...params.values));
}
