import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '@/lib/config/env-schema';
import { parseLimitsForm } from '@/lib/spending/limits-form';
import {
  blockedUntilOf,
  capsOf,
  holdDetail,
  lastDays,
  levelOf,
  meterText,
  periodEnd,
  periodStart,
  refusalMessage,
  waitText,
  type BudgetState,
} from '@/lib/spending/rules';
import { spendingViewSchema } from '@/lib/spending/view';

/** The spending guard's pure rules: configuration, UTC periods, and the sentences people read. */

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const state = (day: [number, number | null], month: [number, number | null], queued = 0): BudgetState => ({
  day: { used: day[0], limit: day[1] },
  month: { used: month[0], limit: month[1] },
  queued,
  blockedUntil: null,
});

// 20:48 UTC on 15 December 2026: 3 h 12 min before the day resets, 16 d 3 h 12 min before the month does.
const NOW = new Date('2026-12-15T20:48:00Z');

describe('DAILY_LIMIT and MONTHLY_LIMIT', () => {
  it('are unset (no limit) by default and when empty, whole numbers of pictures when set', () => {
    const unset = parseEnv({});
    expect([unset.DAILY_LIMIT, unset.MONTHLY_LIMIT]).toEqual([undefined, undefined]);
    const empty = parseEnv({ DAILY_LIMIT: '', MONTHLY_LIMIT: ' ' });
    expect([empty.DAILY_LIMIT, empty.MONTHLY_LIMIT]).toEqual([undefined, undefined]);
    expect(parseEnv({ DAILY_LIMIT: '50', MONTHLY_LIMIT: ' 1000 ' })).toMatchObject({ DAILY_LIMIT: 50, MONTHLY_LIMIT: 1000 });
    expect(parseEnv({ DAILY_LIMIT: '1000000' }).DAILY_LIMIT).toBe(1_000_000);
  });

  it('stop start-up with a message naming the variable for anything but a positive whole number', () => {
    for (const bad of ['0', '-5', '2.5', '1e3', 'fifty', '50 pictures', '0x10', '1000001']) {
      expect(problemsOf({ DAILY_LIMIT: bad }), bad).toEqual([expect.stringMatching(/^DAILY_LIMIT: must be /)]);
      expect(problemsOf({ MONTHLY_LIMIT: bad }), bad).toEqual([expect.stringMatching(/^MONTHLY_LIMIT: must be /)]);
    }
    expect(problemsOf({ DAILY_LIMIT: '0' })).toEqual(['DAILY_LIMIT: must be at least 1 (leave it empty for no limit)']);
  });
});

describe('UTC periods', () => {
  it('days and months start and reset at 00:00 UTC, across month and year ends and leap days', () => {
    expect(periodStart('day', NOW).toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(periodEnd('day', NOW).toISOString()).toBe('2026-12-16T00:00:00.000Z');
    expect(periodStart('month', NOW).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(periodEnd('month', NOW).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEnd('day', new Date('2026-12-31T23:59:59.999Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEnd('day', new Date('2028-02-28T12:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(periodStart('day', new Date('2027-01-01T00:00:00.000Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('lists the last 30 days oldest first, today last', () => {
    const days = lastDays(new Date('2027-01-05T01:00:00Z'), 30);
    expect(days).toHaveLength(30);
    expect(days[0]).toBe('2026-12-07');
    expect(days.at(-1)).toBe('2027-01-05');
  });

  it('gives the database one cap per limit', () => {
    expect(capsOf({ daily: null, monthly: null }, NOW)).toEqual([]);
    expect(capsOf({ daily: 50, monthly: 500 }, NOW)).toEqual([
      { from: new Date('2026-12-15T00:00:00Z'), to: new Date('2026-12-16T00:00:00Z'), limit: 50 },
      { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), limit: 500 },
    ]);
  });

  it('blocks until the latest reset of the reached limits', () => {
    expect(blockedUntilOf(state([49, 50], [100, null]), NOW)).toBeNull();
    expect(blockedUntilOf(state([50, 50], [100, null]), NOW)?.toISOString()).toBe('2026-12-16T00:00:00.000Z');
    expect(blockedUntilOf(state([60, 50], [100, 1000]), NOW)?.toISOString()).toBe('2026-12-16T00:00:00.000Z'); // lowered below use
    expect(blockedUntilOf(state([50, 50], [500, 500]), NOW)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(blockedUntilOf(state([3, null], [500, 500]), NOW)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('what people read', () => {
  it('says how long a wait is', () => {
    expect(waitText(0)).toBe('less than a minute');
    expect(waitText(20_000)).toBe('1 min');
    expect(waitText(45 * 60_000)).toBe('45 min');
    expect(waitText(3 * 3_600_000)).toBe('3 h');
    expect(waitText(3 * 3_600_000 + 11 * 60_000 + 1)).toBe('3 h 12 min');
    expect(waitText(16 * 86_400_000 + 3 * 3_600_000)).toBe('16 d 3 h');
    expect(waitText(2 * 86_400_000)).toBe('2 d');
  });

  it('refuses a request the day has no room for, saying when it resets', () => {
    expect(refusalMessage(state([50, 50], [50, null]), 1, NOW)).toBe(
      "Today's limit of 50 pictures is reached. It resets at 00:00 UTC (in 3 h 12 min).",
    );
    expect(refusalMessage(state([1, 1], [1, null]), 1, NOW)).toBe(
      "Today's limit of 1 picture is reached. It resets at 00:00 UTC (in 3 h 12 min).",
    );
  });

  it('refuses a batch larger than the room left, saying how many remain', () => {
    expect(refusalMessage(state([48, 50], [48, null]), 4, NOW)).toBe(
      'Only 2 pictures remain today (limit 50): ask for 2 or fewer, or wait until 00:00 UTC (in 3 h 12 min).',
    );
    expect(refusalMessage(state([49, 50], [49, null]), 2, NOW)).toBe(
      'Only 1 picture remains today (limit 50): ask for 1 or fewer, or wait until 00:00 UTC (in 3 h 12 min).',
    );
    expect(refusalMessage(state([48, 50], [48, null]), 2, NOW)).toBeNull();
  });

  it('counts queued pictures, which will be sent, as taken', () => {
    expect(refusalMessage(state([46, 50], [46, null], 2), 4, NOW)).toMatch(/^Only 2 pictures remain today/);
    expect(refusalMessage(state([48, 50], [48, null], 2), 1, NOW)).toBe(
      "Today's limit of 50 pictures is reached (48 sent, 2 waiting to be sent). It resets at 00:00 UTC (in 3 h 12 min).",
    );
  });

  it('names the month when it is the tighter limit, or as tight', () => {
    expect(refusalMessage(state([3, 50], [500, 500]), 1, NOW)).toBe(
      "This month's limit of 500 pictures is reached. It resets at 00:00 UTC on 1 January (in 16 d 3 h).",
    );
    expect(refusalMessage(state([50, 50], [500, 500]), 1, NOW)).toMatch(/^This month's limit/);
    expect(refusalMessage(state([10, 50], [498, 500]), 4, NOW)).toBe(
      'Only 2 pictures remain this month (limit 500): ask for 2 or fewer, or wait until 00:00 UTC on 1 January (in 16 d 3 h).',
    );
    expect(refusalMessage(state([49, 50], [498, 500]), 2, NOW)).toMatch(/^Only 1 picture remains today/);
  });

  it('refuses nothing without limits', () => {
    expect(refusalMessage(state([10_000, null], [99_999, null], 50), 4, NOW)).toBeNull();
  });

  it('tells why a queued task waits', () => {
    expect(holdDetail(state([50, 50], [50, null]), NOW)).toBe('Daily limit reached (50 of 50) — waits until 00:00 UTC');
    expect(holdDetail(state([3, 50], [1000, 1000]), NOW)).toBe(
      'Monthly limit reached (1,000 of 1,000) — waits until 00:00 UTC on 1 January',
    );
    expect(holdDetail(state([49, 50], [49, 1000]), NOW)).toBeNull();
  });

  it('shows the composer line only when a limit is set, amber from 80 %, red when reached', () => {
    expect(meterText({ used: 12, limit: null }, { used: 140, limit: null })).toBeNull();
    expect(meterText({ used: 12, limit: 50 }, { used: 140, limit: null })).toBe('12 of 50 today');
    expect(meterText({ used: 12, limit: 50 }, { used: 140, limit: 500 })).toBe('12 of 50 today · 140 of 500 this month');
    expect(meterText({ used: 12, limit: null }, { used: 1400, limit: 5000 })).toBe('1,400 of 5,000 this month');
    expect(levelOf({ used: 39, limit: 50 })).toBe('ok');
    expect(levelOf({ used: 40, limit: 50 })).toBe('near');
    expect(levelOf({ used: 50, limit: 50 })).toBe('reached');
    expect(levelOf({ used: 999, limit: null })).toBe('ok');
  });
});

describe('the Settings form', () => {
  const form = (values: Record<string, unknown>) => ({ get: (name: string) => values[name] ?? null });

  it('reads Daily limit and Monthly limit, empty as no limit', () => {
    expect(parseLimitsForm(form({ dailyLimit: '50', monthlyLimit: '' }))).toEqual({ ok: true, daily: 50, monthly: null });
    expect(parseLimitsForm(form({}))).toEqual({ ok: true, daily: null, monthly: null });
  });

  it('names each wrong field by its label', () => {
    expect(parseLimitsForm(form({ dailyLimit: '0', monthlyLimit: 'lots' }))).toEqual({
      ok: false,
      error: 'Please fix the highlighted fields.',
      fieldErrors: {
        dailyLimit: 'Daily limit must be at least 1 (leave it empty for no limit).',
        monthlyLimit: 'Monthly limit must be a whole number of pictures, e.g. 50 (leave it empty for no limit).',
      },
    });
  });
});

describe('GET /api/spending’s shape', () => {
  it('accepts what the route answers and refuses a short chart', () => {
    const last30 = lastDays(NOW, 30).map((day) => ({ day, count: 0 }));
    const view = {
      day: { used: 2, limit: 2, resetsAt: '2026-12-16T00:00:00.000Z' },
      month: { used: 9, limit: null, resetsAt: '2027-01-01T00:00:00.000Z' },
      last30,
    };
    expect(spendingViewSchema.parse(view)).toEqual(view);
    expect(spendingViewSchema.safeParse({ ...view, last30: last30.slice(1) }).success).toBe(false);
  });
});
