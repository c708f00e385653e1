import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '@/lib/simulator/server';
import type { TaskFollower } from '@/lib/tasks/follower';
import { dayKey, periodEnd } from '@/lib/spending/rules';
import { spendingViewSchema } from '@/lib/spending/view';
import { FakeClock } from '../support/fake-clock';
import { startIntegration, stopIntegration } from '../support/integration';
import { insertTask } from '../support/test-db';

/**
 * The spending guard (issue #12) against the real database — SQLite and PostgreSQL — the real follower
 * pieces and the simulator: what counts (tasks by submittedAt, UTC days and months), a queued task that
 * waits for the reset, refused requests, 429s and unknown outcomes counted once, saved limits over the
 * environment's, and instances racing for the last allowed picture.
 *
 * Followers here are driven step by step (most with a fake clock, so a day can pass at once); the
 * process's own follower is parked, never started, so nothing runs behind a test's back. Each test uses
 * days and months of its own (years ahead for the fake clocks), so counts do not mix.
 */
const PASSWORD = 'spending-guard-password';
let sim: RunningSimulator;
let db: typeof import('@/lib/db/client').db;
let budget: typeof import('@/lib/spending/budget');
let limits: typeof import('@/lib/spending/limits');
let machine: typeof import('@/lib/tasks/state-machine');
let service: typeof import('@/lib/tasks/service');
let newFollower: (owner: string, clock?: FakeClock) => TaskFollower;

beforeAll(async () => {
  // The gate on: saved limits count only then (lib/spending/limits.ts).
  ({ sim } = await startIntegration('spending', { env: { APP_PASSWORD: PASSWORD } }));
  db = (await import('@/lib/db/client')).db;
  budget = await import('@/lib/spending/budget');
  limits = await import('@/lib/spending/limits');
  machine = await import('@/lib/tasks/state-machine');
  service = await import('@/lib/tasks/service');
  const { TaskFollower } = await import('@/lib/tasks/follower');
  const { productionFollowerDeps } = await import('@/lib/tasks/follower-instance');
  const { singleton } = await import('@/lib/singleton');
  // Park the process's follower: requestGeneration kicks it, and it must not act on its own here.
  singleton('Follower', () => new TaskFollower(productionFollowerDeps('parked')));
  newFollower = (owner, clock) => new TaskFollower(productionFollowerDeps(owner, clock ? { clock } : {}));
});

afterEach(async () => {
  delete process.env.DAILY_LIMIT;
  delete process.env.MONTHLY_LIMIT;
  process.env.APP_PASSWORD = PASSWORD;
  await limits.clearSavedSpendingLimits();
  // Nothing a test left unfinished may be sent by the next one.
  await db().task.updateMany({ where: { status: { in: ['QUEUED', 'GENERATING'] } }, data: { status: 'FAILED', nextCheckAt: null } });
});

afterAll(() => stopIntegration(sim));

const at = (iso: string) => new Date(iso);
const createsFor = (prompt: string) => sim.log.creates.filter((c) => (c.body as { prompt?: string } | undefined)?.prompt === prompt);

/** A task row as the follower leaves one it sent (FAILED or COMPLETED alike: sent is sent). */
function sentTask(prompt: string, submittedAt: Date, fields: Partial<Parameters<typeof insertTask>[0]> = {}) {
  return insertTask({ prompt, status: 'COMPLETED', createdAt: submittedAt, submittedAt, ...fields });
}

/** A Queued task, created (and due) at `now`. */
function queuedTask(prompt: string, now: Date) {
  return insertTask({ prompt, status: 'QUEUED', createdAt: now, nextCheckAt: now, seed: 7n, ratio: '720:720' });
}

describe('what counts', () => {
  it('counts tasks by submittedAt in the UTC day and month, boundaries included, whatever their status', async () => {
    await sentTask('count: last instant of January', at('2031-01-31T23:59:59.999Z'));
    await sentTask('count: first instant of February', at('2031-02-01T00:00:00.000Z'));
    await sentTask('count: failed, still sent', at('2031-02-01T09:30:00.000Z'), { status: 'FAILED' });
    await sentTask('count: in the Trash, still sent', at('2031-02-01T10:00:00.000Z'), { deletedAt: at('2031-02-01T11:00:00Z') });
    await sentTask('count: unknown outcome', at('2031-02-01T11:00:00.000Z'), {
      status: 'QUEUED',
      unconfirmedAt: at('2031-02-01T11:00:01Z'),
    });
    await sentTask('count: later in February', at('2031-02-14T08:00:00.000Z'));
    await sentTask('count: last instant of February', at('2031-02-28T23:59:59.999Z'));
    await sentTask('count: first instant of March', at('2031-03-01T00:00:00.000Z'));
    await insertTask({ prompt: 'count: never sent', status: 'FAILED', createdAt: at('2031-02-01T12:00:00Z') });

    const feb1 = await budget.budgetState(at('2031-02-01T12:00:00Z'));
    expect(feb1.day).toEqual({ used: 4, limit: null });
    expect(feb1.month).toEqual({ used: 6, limit: null });
    expect(feb1.blockedUntil).toBeNull();
    expect((await budget.budgetState(at('2031-01-31T23:59:59.999Z'))).day.used).toBe(1);
    expect((await budget.budgetState(at('2031-02-28T23:59:59.999Z'))).day.used).toBe(1);
    expect((await budget.budgetState(at('2031-03-01T00:00:00Z'))).month.used).toBe(1);

    const view = await budget.spendingView(at('2031-03-01T06:00:00Z'));
    expect(view.last30).toHaveLength(30);
    expect(view.last30[0].day).toBe('2031-01-31');
    expect(view.last30.at(-1)).toEqual({ day: '2031-03-01', count: 1 });
    const counts = Object.fromEntries(view.last30.filter((d) => d.count).map((d) => [d.day, d.count]));
    expect(counts).toEqual({ '2031-01-31': 1, '2031-02-01': 4, '2031-02-14': 1, '2031-02-28': 1, '2031-03-01': 1 });
    expect(view.day).toEqual({ used: 1, limit: null, resetsAt: '2031-03-02T00:00:00.000Z' });
    expect(view.month).toEqual({ used: 1, limit: null, resetsAt: '2031-04-01T00:00:00.000Z' });
  });
});

describe('the follower and the budget', () => {
  it('a queued task waits — still Queued, nothing sent, no time-out — while the daily limit is reached, and goes once the day rolls over', async () => {
    process.env.DAILY_LIMIT = '2';
    const clock = new FakeClock(Date.parse('2031-05-10T12:00:00Z'));
    await sentTask('roll: earlier today 1', at('2031-05-10T08:00:00Z'));
    await sentTask('roll: earlier today 2', at('2031-05-10T09:00:00Z'));
    const prompt = 'roll: waits for tomorrow';
    const id = await queuedTask(prompt, new Date(clock.now()));
    const follower = newFollower('roller', clock);

    await follower.step();
    let row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      status: 'QUEUED',
      statusDetail: 'Daily limit reached (2 of 2) — waits until 00:00 UTC',
      submittedAt: null,
      providerTaskId: null,
      leaseOwner: null,
    });
    expect(row.nextCheckAt?.toISOString()).toBe('2031-05-11T00:00:00.000Z');
    expect(createsFor(prompt)).toEqual([]);

    await clock.advance(11 * 3_600_000 + 59 * 60_000); // 23:59, twelve hours after it was asked for
    await follower.step();
    expect(createsFor(prompt)).toEqual([]);
    expect((await db().task.findUniqueOrThrow({ where: { id } })).status).toBe('QUEUED');

    await clock.advance(61_000); // 00:00:01 the next day: a fresh budget
    await follower.step();
    row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row.status).not.toBe('FAILED'); // waiting for the budget was no reason to time out
    expect(row.providerTaskId).not.toBeNull();
    expect(row.submittedAt?.toISOString()).toBe('2031-05-11T00:00:01.000Z');
    expect(createsFor(prompt)).toHaveLength(1);
    expect((await budget.budgetState(at('2031-05-11T00:00:01Z'))).day).toEqual({ used: 1, limit: 2 });
  });

  it('a 429 and then a success count once — and a limit with room for one still lets the retry through', async () => {
    const clock = new FakeClock(Date.now());
    const now = () => new Date(clock.now());
    const before = await budget.budgetState(now());
    process.env.DAILY_LIMIT = String(before.day.used + 1);
    const prompt = 'retry: 429 first';
    const id = await queuedTask(prompt, now());
    const follower = newFollower('retrier', clock);

    sim.configure({ faults: { rate429: 1 } });
    await follower.step();
    sim.configure({ faults: { rate429: 0 } });
    let row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'QUEUED', statusDetail: 'Waiting for provider', submittedAt: null });
    expect((await budget.budgetState(now())).day.used).toBe(before.day.used); // not taken, not counted

    await clock.advance(row.nextCheckAt!.getTime() - clock.now());
    await follower.step();
    row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row.providerTaskId).not.toBeNull();
    expect(createsFor(prompt).map((c) => c.status)).toEqual([429, 200]);
    const after = await budget.budgetState(now());
    expect(after.day.used).toBe(before.day.used + 1);
    expect(after.blockedUntil).not.toBeNull(); // that one picture used the room
  });

  it('a create whose outcome is unknown counts once: while it is reconciled, and after it is adopted', async () => {
    const clock = new FakeClock(Date.now());
    const now = () => new Date(clock.now());
    const before = (await budget.budgetState(now())).day.used;
    const prompt = 'unknown: answer lost';
    const id = await queuedTask(prompt, now());
    const follower = newFollower('reconciler', clock);

    sim.configure({ faults: { lostResponseRate: 1 } });
    await follower.step();
    sim.configure({ faults: { lostResponseRate: 0 } });
    let row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row.unconfirmedAt).not.toBeNull();
    expect(row.providerTaskId).toBeNull();
    expect((await budget.budgetState(now())).day.used).toBe(before + 1); // may have been made: counted

    await clock.advance(row.nextCheckAt!.getTime() - clock.now());
    await follower.step();
    row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row.providerTaskId).not.toBeNull(); // the provider's one unknown task: adopted
    expect(createsFor(prompt)).toHaveLength(1);
    expect((await budget.budgetState(now())).day.used).toBe(before + 1);
  });

  it('instances racing over queued tasks send no more than the limit allows; the rest wait', async () => {
    process.env.DAILY_LIMIT = '3';
    const clock = new FakeClock(Date.parse('2031-07-15T08:00:00Z'));
    const prompts = Array.from({ length: 8 }, (_, i) => `race: picture ${i}`);
    const ids = await Promise.all(prompts.map((p) => queuedTask(p, new Date(clock.now()))));
    const followers = ['instance-1', 'instance-2', 'instance-3'].map((owner) => newFollower(owner, clock));

    await Promise.all(followers.map((f) => f.step()));
    await Promise.all(followers.map((f) => f.step()));
    expect(prompts.flatMap(createsFor)).toHaveLength(3);
    const rows = await db().task.findMany({ where: { id: { in: ids } } });
    expect(rows.filter((r) => r.submittedAt !== null)).toHaveLength(3);
    const waiting = rows.filter((r) => r.submittedAt === null);
    expect(waiting).toHaveLength(5);
    for (const row of waiting) {
      expect(row).toMatchObject({ status: 'QUEUED', statusDetail: 'Daily limit reached (3 of 3) — waits until 00:00 UTC' });
    }
    expect((await budget.budgetState(new Date(clock.now()))).day.used).toBe(3);
  });

  it('concurrent submit decisions for one last picture: exactly as many win as the cap allows', async () => {
    const now = at('2031-08-20T10:00:00Z');
    await sentTask('cap: sent before', at('2031-08-20T09:00:00Z'));
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => queuedTask(`cap: contender ${i}`, now)));
    const caps = [{ from: at('2031-08-20T00:00:00Z'), to: at('2031-08-21T00:00:00Z'), limit: 5 }];
    const won = await Promise.all(ids.map((id) => machine.markSubmitting(id, now, caps)));
    expect(won.filter(Boolean)).toHaveLength(4);
    expect(await db().task.count({ where: { submittedAt: { gte: caps[0].from, lt: caps[0].to } } })).toBe(5);
  });

  it('saving higher limits releases the held tasks at once, without waiting for the reset', async () => {
    process.env.DAILY_LIMIT = '1';
    const clock = new FakeClock(Date.parse('2031-09-03T15:00:00Z'));
    await sentTask('release: earlier', at('2031-09-03T10:00:00Z'));
    const prompt = 'release: held, then let go';
    const id = await queuedTask(prompt, new Date(clock.now()));
    const follower = newFollower('releaser', clock);
    await follower.step();
    expect((await db().task.findUniqueOrThrow({ where: { id } })).nextCheckAt?.toISOString()).toBe('2031-09-04T00:00:00.000Z');

    await limits.saveSpendingLimits({ daily: 5, monthly: null });
    expect(await machine.releaseBudgetHolds(new Date(clock.now()))).toBe(1);
    await follower.step();
    expect(createsFor(prompt)).toHaveLength(1);
  });
});

describe('requests the budget has no room for', () => {
  it('a batch larger than the room left is refused, saying how many remain and when it resets; nothing is stored', async () => {
    const state = await budget.budgetState(new Date());
    process.env.DAILY_LIMIT = String(state.day.used + state.queued + 2);
    const prompt = 'refused: a batch of four';
    const result = await service.requestGeneration({ prompt, ratio: '720:720', seed: '', variations: '4' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /^Only 2 pictures remain today \(limit \d+\): ask for 2 or fewer, or wait until 00:00 UTC \(in (\d+ h|\d+ h \d+ min|\d+ min)\)\.$/,
    );
    expect(await db().task.count({ where: { prompt } })).toBe(0);

    // Two fit.
    const two = await service.requestGeneration({ prompt: 'refused: two fit', ratio: '720:720', seed: '', variations: '2' });
    expect(two.ok && two.tasks).toHaveLength(2);
    // Now nothing does (the two are queued: they will be sent today).
    const one = await service.requestGeneration({ prompt: 'refused: one more', ratio: '720:720', seed: '' });
    expect(!one.ok && one.error).toMatch(
      /^Today's limit of \d+ pictures is reached \(\d+ sent, \d+ waiting to be sent\)\. It resets at 00:00 UTC/,
    );
    expect(await db().task.count({ where: { prompt: 'refused: one more' } })).toBe(0);
  });

  it('a reached monthly limit refuses too, naming the month’s reset', async () => {
    const state = await budget.budgetState(new Date());
    process.env.MONTHLY_LIMIT = String(Math.max(1, state.month.used));
    if (state.month.used === 0) await sentTask('monthly: one sent', new Date());
    const result = await service.requestGeneration({ prompt: 'refused: monthly', ratio: '720:720', seed: '' });
    expect(!result.ok && result.error).toMatch(
      /^This month's limit of [\d,]+ pictures? is reached(?: \(.*\))?\. It resets at 00:00 UTC on 1 [A-Z][a-z]+ \(in .+\)\.$/,
    );
  });
});

describe('GET /api/spending', () => {
  it('answers today’s and this month’s counts with their limits and resets, and the last 30 days; never cached', async () => {
    process.env.DAILY_LIMIT = '40';
    const route = await import('@/app/api/spending/route');
    const answer = await route.GET();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const view = spendingViewSchema.parse(await answer.json());
    expect(view.day.limit).toBe(40);
    expect(view.month.limit).toBeNull();
    expect(view.day.resetsAt).toBe(periodEnd('day', new Date()).toISOString());
    expect(view.last30.at(-1)).toEqual({ day: dayKey(new Date()), count: view.day.used });
  });
});

describe('limits: saved on the Settings page, or the environment', () => {
  it('the Settings action refuses to change limits without the gate, and names wrong fields; nothing is saved', async () => {
    const { spendingLimitsAction } = await import('@/app/settings/actions');
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.set(name, value);
      return data;
    };
    const invalid = await spendingLimitsAction(null, form({ intent: 'save', dailyLimit: '0', monthlyLimit: 'many' }));
    expect(invalid).toEqual({
      ok: false,
      error: 'Please fix the highlighted fields.',
      fieldErrors: {
        dailyLimit: 'Daily limit must be at least 1 (leave it empty for no limit).',
        monthlyLimit: 'Monthly limit must be a whole number of pictures, e.g. 50 (leave it empty for no limit).',
      },
    });
    delete process.env.APP_PASSWORD;
    const refused = await spendingLimitsAction(null, form({ intent: 'save', dailyLimit: '999', monthlyLimit: '' }));
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/only when Darkroom has a password \(APP_PASSWORD\)/) });
    process.env.APP_PASSWORD = PASSWORD;
    expect(await db().spendingLimit.count()).toBe(0);
  });

  it('saved limits win over the environment (an empty one is no limit); resetting goes back to it; without the gate only the environment counts', async () => {
    process.env.DAILY_LIMIT = '7';
    expect(await limits.spendingLimits()).toMatchObject({ daily: 7, monthly: null, source: 'environment' });

    await limits.saveSpendingLimits({ daily: 3, monthly: 100 });
    expect(await limits.spendingLimits()).toMatchObject({ daily: 3, monthly: 100, source: 'settings', environment: { daily: 7 } });
    expect((await budget.budgetState(at('2031-10-01T12:00:00Z'))).day.limit).toBe(3);

    await limits.saveSpendingLimits({ daily: null, monthly: 100 });
    expect(await limits.spendingLimits()).toMatchObject({ daily: null, monthly: 100, source: 'settings' });

    delete process.env.APP_PASSWORD; // the gate off: saved limits cannot be changed, so they do not count
    expect(await limits.spendingLimits()).toMatchObject({ daily: 7, monthly: null, source: 'environment' });
    process.env.APP_PASSWORD = PASSWORD;

    await limits.clearSavedSpendingLimits();
    expect(await limits.spendingLimits()).toMatchObject({ daily: 7, monthly: null, source: 'environment' });
  });
});
