/**
 * The spending guard's rules, pure (client-safe, unit-tested): UTC periods, what is left, and the
 * sentences people read. The numbers come from lib/spending/budget.ts (server), which counts tasks by
 * `submittedAt` — a task counts once it was sent upstream, in the UTC day and month it was sent.
 *
 * Days and months are UTC: a day resets at 00:00 UTC, a month at 00:00 UTC on its 1st, wherever the
 * server or the browser is. Every text says so.
 */

export type Period = 'day' | 'month';

/** One period's use: pictures sent upstream in it, and its limit (null: none). */
export type PeriodUse = { used: number; limit: number | null };

/** What the budget looks like at one instant (lib/spending/budget.ts budgetState). */
export type BudgetState = {
  day: PeriodUse;
  month: PeriodUse;
  /** Queued tasks not sent yet (they will be, and count then): room for new requests leaves them space. */
  queued: number;
  /** Nothing may be sent before this instant (a limit is reached); null when there is room. */
  blockedUntil: Date | null;
};

/** A cap the database checks as it marks a task as sent: fewer than `limit` tasks sent in [from, to). */
export type SubmitCap = { from: Date; to: Date; limit: number };

/** Where a period began (00:00 UTC of the day, or of the month's 1st). */
export function periodStart(period: Period, at: Date): Date {
  return period === 'day'
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** When the period containing `at` ends, i.e. its budget resets. */
export function periodEnd(period: Period, at: Date): Date {
  return period === 'day'
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The last `count` UTC days up to and including the one of `now`, oldest first. */
export function lastDays(now: Date, count: number): string[] {
  const today = periodStart('day', now).getTime();
  return Array.from({ length: count }, (_, i) => dayKey(new Date(today - (count - 1 - i) * 86_400_000)));
}

/** The caps to check when a task is about to be sent at `now`: one per configured limit. */
export function capsOf(limits: { daily: number | null; monthly: number | null }, now: Date): SubmitCap[] {
  const caps: SubmitCap[] = [];
  if (limits.daily !== null) caps.push({ from: periodStart('day', now), to: periodEnd('day', now), limit: limits.daily });
  if (limits.monthly !== null) caps.push({ from: periodStart('month', now), to: periodEnd('month', now), limit: limits.monthly });
  return caps;
}

const reached = (use: PeriodUse) => use.limit !== null && use.used >= use.limit;

/**
 * Until when nothing may be sent: the reset of every reached limit, the latest of them (a reached month
 * outlasts a reached day); null when both have room.
 */
export function blockedUntilOf(state: Pick<BudgetState, 'day' | 'month'>, now: Date): Date | null {
  if (reached(state.month)) return periodEnd('month', now);
  if (reached(state.day)) return periodEnd('day', now);
  return null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** When a period's budget resets, for people: "00:00 UTC", or "00:00 UTC on 1 January" for a month. */
export function resetText(period: Period, now: Date): string {
  if (period === 'day') return '00:00 UTC';
  return `00:00 UTC on 1 ${MONTHS[periodEnd('month', now).getUTCMonth()]}`;
}

/** A wait, rounded up to the minute: "less than a minute", "45 min", "3 h 12 min", "12 d 3 h". */
export function waitText(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const pictures = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'picture' : 'pictures'}`;

/** "It resets at 00:00 UTC (in 3 h 12 min)". */
function resetsIn(period: Period, now: Date): string {
  return `${resetText(period, now)} (in ${waitText(periodEnd(period, now).getTime() - now.getTime())})`;
}

/** Pictures a new request may still ask for in a period (already sent and still queued ones use it up); null: no limit. */
export function roomIn(use: PeriodUse, queued: number): number | null {
  return use.limit === null ? null : Math.max(0, use.limit - use.used - queued);
}

/**
 * Why a request for `requested` pictures is refused at `now`, or null when the budget has room for all
 * of them. Names the tighter limit (the month's when both are as tight: it lasts longer), how many
 * pictures are left and when it resets:
 * "Today's limit of 50 pictures is reached. It resets at 00:00 UTC (in 3 h 12 min)."
 * "Only 2 pictures remain today (limit 50): ask for 2 or fewer, or wait until 00:00 UTC (in 3 h 12 min)."
 */
export function refusalMessage(state: BudgetState, requested: number, now: Date): string | null {
  const candidates = (['month', 'day'] as const)
    .map((period) => ({ period, use: state[period], room: roomIn(state[period], state.queued) }))
    .filter((c): c is { period: Period; use: { used: number; limit: number }; room: number } => c.room !== null && c.room < requested)
    .sort((a, b) => a.room - b.room);
  const tightest = candidates[0];
  if (!tightest) return null;
  const { period, use, room } = tightest;
  const when = resetsIn(period, now);
  if (room === 0) {
    const whose = period === 'day' ? "Today's" : "This month's";
    const waiting = state.queued > 0 && use.used < use.limit ? ` (${use.used} sent, ${state.queued} waiting to be sent)` : '';
    return `${whose} limit of ${pictures(use.limit)} is reached${waiting}. It resets at ${when}.`;
  }
  const span = period === 'day' ? 'today' : 'this month';
  return `Only ${pictures(room)} ${room === 1 ? 'remains' : 'remain'} ${span} (limit ${use.limit.toLocaleString('en-US')}): ask for ${room} or fewer, or wait until ${when}.`;
}

/**
 * Why a Queued task is not sent (its status detail while it waits), or null when it may be:
 * "Daily limit reached (50 of 50) — waits until 00:00 UTC".
 */
export function holdDetail(state: Pick<BudgetState, 'day' | 'month'>, now: Date): string | null {
  const period: Period | null = reached(state.month) ? 'month' : reached(state.day) ? 'day' : null;
  if (!period) return null;
  const use = state[period];
  const name = period === 'day' ? 'Daily' : 'Monthly';
  return `${name} limit reached (${use.used.toLocaleString('en-US')} of ${use.limit!.toLocaleString('en-US')}) — waits until ${resetText(period, now)}`;
}

/** How full a period is: 'ok', 'near' (80 % or more) or 'reached'. */
export type MeterLevel = 'ok' | 'near' | 'reached';

export function levelOf(use: PeriodUse): MeterLevel {
  if (use.limit === null) return 'ok';
  if (use.used >= use.limit) return 'reached';
  return use.used >= use.limit * 0.8 ? 'near' : 'ok';
}

/** The composer's line: "12 of 50 today · 140 of 500 this month"; null when no limit is set. */
export function meterText(day: PeriodUse, month: PeriodUse): string | null {
  const parts = [
    day.limit === null ? null : `${day.used.toLocaleString('en-US')} of ${day.limit.toLocaleString('en-US')} today`,
    month.limit === null ? null : `${month.used.toLocaleString('en-US')} of ${month.limit.toLocaleString('en-US')} this month`,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(' · ') : null;
}

/** The Settings form's fields (lib/spending/limits-form.ts validates them) and their labels. */
export type LimitsField = 'dailyLimit' | 'monthlyLimit';
export const LIMIT_LABELS: Record<LimitsField, string> = { dailyLimit: 'Daily limit', monthlyLimit: 'Monthly limit' };
