import 'server-only';
import { db, dbDialect } from '../db/client';
import { SqlParams, timestampValue } from '../db/dialect';
import type { FollowerBudget } from '../tasks/follower-deps';
import { spendingLimits } from './limits';
import {
  blockedUntilOf,
  capsOf,
  dayKey,
  holdDetail,
  lastDays,
  periodEnd,
  periodStart,
  refusalMessage,
  type BudgetState,
  type Period,
} from './rules';
import type { SpendingView } from './view';

/**
 * The spending guard (issue #12): DAILY_LIMIT / MONTHLY_LIMIT (or the limits saved on the Settings page,
 * lib/spending/limits.ts) cap the pictures **sent upstream** per UTC day and UTC month.
 *
 * What counts: every task whose create was attempted — `Task.submittedAt`, set by the state machine just
 * before the create call — in the UTC day (month) of that instant, whatever became of it: completed,
 * failed, in the Trash, or of unknown outcome (the provider may have made and charged it). Counted from
 * the Task table itself (index on submittedAt), never kept as a separate tally. A 429/503 answer means the
 * provider did not take the request: the task is Queued again with submittedAt cleared, and counts once,
 * when it is finally taken. A create whose outcome is unknown keeps submittedAt and counts once; if the
 * provider's list later shows it never arrived, it is sent again and counts once, then.
 *
 * Who asks: the follower, as it is about to send a task (followerBudget; the check and the mark are one
 * statement in the state machine, so instances racing for the last allowed picture cannot both send it);
 * Generate and the other requests (refusalFor: nothing is stored when the request does not fit); the
 * composer's meter and the Settings page (spendingView, through GET /api/spending).
 */

/** How many tasks were sent upstream in [from, to) (an index range on submittedAt). */
function sentBetween(from: Date, to: Date): Promise<number> {
  return db().task.count({ where: { submittedAt: { gte: from, lt: to } } });
}

/** Queued tasks not sent yet: they will count when they are. */
function queuedUnsent(): Promise<number> {
  return db().task.count({ where: { status: 'QUEUED', submittedAt: null, providerTaskId: null } });
}

/** The budget at `now`: pictures sent this UTC day and month against the limits in force. */
export async function budgetState(now: Date): Promise<BudgetState> {
  const limits = await spendingLimits();
  const [dayUsed, monthUsed, queued] = await Promise.all([
    sentBetween(periodStart('day', now), periodEnd('day', now)),
    sentBetween(periodStart('month', now), periodEnd('month', now)),
    queuedUnsent(),
  ]);
  const day = { used: dayUsed, limit: limits.daily };
  const month = { used: monthUsed, limit: limits.monthly };
  return { day, month, queued, blockedUntil: blockedUntilOf({ day, month }, now) };
}

/**
 * Why a request for `requested` new pictures must be refused now (the sentence to show), or null when the
 * budget has room for all of them — beside those already sent and those still queued. Costs one small
 * read when no limit is set.
 */
export async function refusalFor(requested: number, now = new Date()): Promise<string | null> {
  const limits = await spendingLimits();
  if (limits.daily === null && limits.monthly === null) return null;
  return refusalMessage(await budgetState(now), requested, now);
}

/** The follower's budget (lib/tasks/follower-deps.ts): the caps its task store checks as it marks a task sent. */
export const followerBudget: FollowerBudget = {
  caps: async (now) => capsOf(await spendingLimits(), now),
  hold: async (now) => {
    const state = await budgetState(now);
    const detail = holdDetail(state, now);
    return detail && state.blockedUntil ? { until: state.blockedUntil, detail } : null;
  },
};

/** Tasks sent per UTC day over the last 30 days (today included), oldest first, empty days as 0. */
async function lastThirtyDays(now: Date): Promise<SpendingView['last30']> {
  const days = lastDays(now, 30);
  const dialect = dbDialect();
  const p = new SqlParams(dialect);
  const from = p.addTimestamp(timestampValue(dialect, new Date(`${days[0]}T00:00:00.000Z`)));
  const to = p.addTimestamp(timestampValue(dialect, periodEnd('day', now)));
  // SQLite keeps a DateTime as ISO text with +00:00 (lib/db/dialect.ts): its first ten characters are the
  // UTC day. PostgreSQL's TIMESTAMP(3) holds UTC (every session runs with TimeZone=UTC).
  const day = dialect === 'postgres' ? `to_char("submittedAt", 'YYYY-MM-DD')` : `substr("submittedAt", 1, 10)`;
  const rows = await db().$queryRawUnsafe<Array<{ day: string; count: number | bigint }>>(
    `SELECT ${day} AS "day", COUNT(*) AS "count" FROM "Task" WHERE "submittedAt" >= ${from} AND "submittedAt" < ${to} GROUP BY 1`,
    ...p.values,
  );
  const counts = new Map(rows.map((row) => [row.day, Number(row.count)]));
  return days.map((d) => ({ day: d, count: counts.get(d) ?? 0 }));
}

/** What GET /api/spending answers and the Settings page shows. */
export async function spendingView(now = new Date()): Promise<SpendingView> {
  const [state, last30] = await Promise.all([budgetState(now), lastThirtyDays(now)]);
  const period = (p: Period) => ({ ...state[p], resetsAt: periodEnd(p, now).toISOString() });
  const view = { day: period('day'), month: period('month'), last30 };
  // The chart's today and the day's count are one number, counted once (a picture sent between the two reads).
  view.last30[view.last30.length - 1] = { day: dayKey(now), count: view.day.used };
  return view;
}
