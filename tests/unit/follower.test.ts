import { describe, expect, it } from 'vitest';
import { MAX_DOWNLOAD_TRIES, RECONCILE_AFTER_MS, SETTLE_MS, TaskFollower } from '@/lib/tasks/follower';
import { fakeWorld, type FakeTask } from '../support/fake-follower-world';

/**
 * The follower's decisions, driven by a fake clock, an in-memory task store
 * and a scripted provider: nothing here waits on wall time.
 */
function setup(config: Parameters<typeof fakeWorld>[0] = {}) {
  const world = fakeWorld(config);
  const follower = new TaskFollower(world.deps);
  const { clock, tasks } = world;
  /** Let `ms` pass, then run one pass over the due tasks. */
  const tick = async (ms = 0) => {
    await clock.advance(ms);
    await follower.step();
  };
  /** Jump to when the task asked to be looked at again, then run one pass. */
  const next = (task: FakeTask) => tick(Math.max(0, (tasks.get(task.id).nextCheckAt?.getTime() ?? clock.now()) - clock.now()));
  const waitFor = (task: FakeTask) => tasks.get(task.id).nextCheckAt!.getTime() - clock.now();
  return { ...world, follower, tick, next, waitFor };
}

describe('follower: submit', () => {
  it('sends a queued task once with exactly its prompt, ratio and seed, then polls, collects and completes', async () => {
    const { tasks, provider, downloads, tick, next, waitFor } = setup();
    const task = tasks.add({ body: { prompt: 'a lighthouse', ratio: '1920:1080', seed: 42 }, ratio: '1920:1080' });
    await tick();
    expect(provider.calls.create).toEqual([{ model: 'runway', prompt: 'a lighthouse', ratio: '1920:1080', seed: 42 }]);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1', providerStatus: 'IN_PROGRESS' });
    expect(waitFor(task)).toBe(1_000);

    await tick(500); // not due yet
    expect(provider.calls.get).toEqual([]);
    await next(task);
    expect(provider.calls.get).toEqual(['up-1']);
    expect(tasks.get(task.id).status).toBe('GENERATING');

    provider.finish('up-1');
    await next(task);
    expect(tasks.get(task.id)).toMatchObject({ status: 'COMPLETED', statusDetail: null });
    expect(tasks.get(task.id).picture?.sourceUrl).toBe(downloads[0]);
    expect(provider.calls.create).toHaveLength(1);
  });

  it('passes the webhook URL and polls five times slower when webhooks report', async () => {
    const { tasks, provider, tick, waitFor } = setup({ webhookUrl: 'https://studio.example/api/webhooks/freepik' });
    const task = tasks.add();
    await tick();
    expect(provider.calls.create[0]).toMatchObject({ webhookUrl: 'https://studio.example/api/webhooks/freepik' });
    expect(waitFor(task)).toBe(5_000);
  });
});

describe('follower: 429 / 503 on create', () => {
  it('waits with backoff and sends the same request again; the provider never took it', async () => {
    const { tasks, provider, tick, next, waitFor } = setup();
    provider.createScript = ['rate-limited', 'unavailable'];
    const task = tasks.add();
    await tick();
    expect(tasks.get(task.id)).toMatchObject({ status: 'QUEUED', statusDetail: 'Waiting for provider', attempts: 1, providerTaskId: null });
    expect(waitFor(task)).toBe(750); // backoff 0: between 500 and 1000 ms (jitter fixed at ½)
    await tick(700);
    expect(provider.calls.create).toHaveLength(1); // not before the wait is over
    await next(task);
    expect(tasks.get(task.id).attempts).toBe(2);
    expect(waitFor(task)).toBe(1_500); // backoff doubles
    await next(task);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1', attempts: 0 });
    expect(provider.calls.create).toHaveLength(3);
    expect(new Set(provider.calls.create.map((c) => JSON.stringify(c))).size).toBe(1);
  });
});

describe('follower: unknown outcome of a create → reconcile (ADR 0005)', () => {
  it('adopts the one task the provider has that we do not know, and never sends again', async () => {
    const { tasks, provider, tick, waitFor } = setup();
    provider.createScript = [{ createdAnyway: 'timeout' }];
    const task = tasks.add();
    await tick();
    expect(tasks.get(task.id)).toMatchObject({ status: 'QUEUED', providerTaskId: null, needsDecision: false });
    expect(tasks.get(task.id).statusDetail).toMatch(/Checking whether the provider received/);
    expect(waitFor(task)).toBe(RECONCILE_AFTER_MS);

    await tick(RECONCILE_AFTER_MS);
    expect(provider.calls.list).toBe(1);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1' });
    await tick(60_000);
    expect(provider.calls.create).toHaveLength(1);
  });

  it('sends again once a request sent that long ago would have arrived, not before', async () => {
    const { tasks, provider, tick, next } = setup();
    provider.createScript = ['server-error']; // it never reached the provider
    const task = tasks.add();
    await tick();
    await tick(RECONCILE_AFTER_MS);
    // Not listed, but sent only 3 s ago: it may still be in flight.
    expect(provider.calls.create).toHaveLength(1);
    expect(tasks.get(task.id).nextCheckAt!.getTime()).toBe(tasks.get(task.id).submittedAt!.getTime() + SETTLE_MS);
    await next(task);
    expect(tasks.get(task.id).statusDetail).toBe('Sending again: the provider never received it');
    await next(task);
    expect(provider.calls.create).toHaveLength(2);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1' });
  });

  it('asks a person when it cannot tell which unknown task is whose', async () => {
    const { tasks, provider, tick } = setup();
    provider.createScript = [{ createdAnyway: 'network' }, { createdAnyway: 'network' }];
    const a = tasks.add();
    const b = tasks.add();
    await tick();
    await tick(RECONCILE_AFTER_MS);
    for (const task of [a, b]) {
      expect(tasks.get(task.id)).toMatchObject({ status: 'QUEUED', needsDecision: true, providerTaskId: null });
      expect(tasks.get(task.id).statusDetail).toMatch(/Send it again \(it may be charged twice\) or discard it/);
    }
    await tick(10 * 60_000 - RECONCILE_AFTER_MS - 1);
    expect(provider.calls.create).toHaveLength(2);
  });
});

describe('follower: poll and collect', () => {
  async function accepted(world: ReturnType<typeof setup>) {
    const task = world.tasks.add();
    await world.tick();
    expect(world.tasks.get(task.id).providerTaskId).toBe('up-1');
    return task;
  }

  it('retries failed status reads with backoff, without failing the task', async () => {
    const world = setup();
    const task = await accepted(world);
    world.provider.getScript = ['server-error', 'rate-limited'];
    await world.next(task);
    expect(world.tasks.get(task.id)).toMatchObject({ status: 'GENERATING', attempts: 1 });
    await world.next(task);
    expect(world.tasks.get(task.id).attempts).toBe(2);
    await world.next(task);
    expect(world.tasks.get(task.id)).toMatchObject({ status: 'GENERATING', attempts: 0 });
  });

  it('an expired link is healed by a fresh status read, and failed reads before never use up the download tries', async () => {
    const world = setup();
    const task = await accepted(world);
    // Status reads under provider faults: six failures in a row raise `attempts` to 6 …
    world.provider.getScript = ['rate-limited', 'server-error', 'unavailable', 'rate-limited', 'rate-limited', 'timeout'];
    for (let i = 0; i < 6; i++) await world.next(task);
    expect(world.tasks.get(task.id).attempts).toBe(6);
    // … then the picture is done, but its first link fails (expired / refused).
    world.provider.finish('up-1');
    world.downloadScript.push('forbidden');
    await world.next(task);
    expect(world.tasks.get(task.id)).toMatchObject({ status: 'GENERATING', statusDetail: 'Saving picture', downloadAttempts: 1 });
    await world.next(task);
    expect(world.tasks.get(task.id).status).toBe('COMPLETED');
    expect(world.downloads).toHaveLength(2);
    expect(world.downloads[1]).not.toBe(world.downloads[0]); // a fresh signed link
    expect(world.provider.calls.create).toHaveLength(1);
  });

  it('a picture that cannot be fetched ends Unsaved — and Fetch again reads the same provider task, never a new generation', async () => {
    const world = setup();
    const task = await accepted(world);
    world.provider.finish('up-1');
    for (let i = 0; i < MAX_DOWNLOAD_TRIES; i++) world.downloadScript.push(i % 2 ? 'network' : 'forbidden');
    for (let i = 0; i < MAX_DOWNLOAD_TRIES + 2 && world.tasks.get(task.id).status !== 'UNSAVED'; i++) await world.next(task);
    expect(world.tasks.get(task.id)).toMatchObject({ status: 'UNSAVED', downloadAttempts: MAX_DOWNLOAD_TRIES });
    expect(world.tasks.get(task.id).statusDetail).toMatch(/^The picture was made but could not be saved: /);
    expect(world.downloads).toHaveLength(MAX_DOWNLOAD_TRIES);
    await world.tick(60 * 60_000); // nothing happens to it on its own
    expect(world.downloads).toHaveLength(MAX_DOWNLOAD_TRIES);

    expect(world.tasks.refetch(task.id)).toBe(true);
    await world.next(task);
    expect(world.tasks.get(task.id).status).toBe('COMPLETED');
    expect(world.provider.calls.get.every((id) => id === 'up-1')).toBe(true);
    expect(world.provider.calls.create).toHaveLength(1);
  });

  it('applies a webhook report without a status read', async () => {
    const world = setup();
    const task = await accepted(world);
    await world.follower.report({ task_id: 'up-1', status: 'COMPLETED', generated: ['https://cdn.example/pushed.png'] });
    expect(world.tasks.get(task.id).status).toBe('COMPLETED');
    expect(world.provider.calls.get).toEqual([]);
    expect(world.downloads).toEqual(['https://cdn.example/pushed.png']);
  });

  it('fails the task when the provider reports FAILED', async () => {
    const world = setup();
    const task = await accepted(world);
    world.provider.getScript = ['FAILED'];
    await world.next(task);
    expect(world.tasks.get(task.id)).toMatchObject({ status: 'FAILED', statusDetail: 'The provider could not generate this picture.' });
  });
});

describe('follower: time out', () => {
  it('fails a task that never finished, and keeps a finished-upstream one as Unsaved', async () => {
    const { tasks, provider, clock, tick } = setup({ taskTimeoutMs: 60_000 });
    const old = new Date(clock.now() - 61_000);
    const never = tasks.add({ createdAt: old, providerTaskId: 'up-9', status: 'GENERATING', providerStatus: 'IN_PROGRESS' });
    const made = tasks.add({ createdAt: old, providerTaskId: 'up-8', status: 'GENERATING', providerStatus: 'COMPLETED' });
    const queued = tasks.add({ createdAt: old });
    await tick();
    expect(tasks.get(never.id)).toMatchObject({ status: 'FAILED', statusDetail: 'Timed out' });
    expect(tasks.get(queued.id)).toMatchObject({ status: 'FAILED', statusDetail: 'Timed out' });
    expect(tasks.get(made.id)).toMatchObject({ status: 'UNSAVED', statusDetail: 'Timed out while saving the picture.' });
    expect(provider.calls.create).toEqual([]);
  });
});

describe('follower: the spending budget', () => {
  const MIDNIGHT = Date.UTC(2026, 11, 3); // the fake clock starts at 12:00 UTC on 2 December

  it('keeps a queued task Queued and unsent while the daily limit is reached, then sends it when the day rolls over', async () => {
    const { tasks, budget, provider, clock, tick, next } = setup({ taskTimeoutMs: 10 * 60_000 });
    budget.limits.daily = 2;
    tasks.add({ status: 'COMPLETED', submittedAt: new Date(clock.now() - 3_600_000) });
    tasks.add({ status: 'FAILED', submittedAt: new Date(clock.now() - 60_000) }); // failed, but it was sent
    const task = tasks.add();
    await tick();
    expect(provider.calls.create).toEqual([]);
    expect(tasks.get(task.id)).toMatchObject({
      status: 'QUEUED',
      submittedAt: null,
      statusDetail: 'Daily limit reached (2 of 2) — waits until 00:00 UTC',
      leaseOwner: null,
    });
    expect(tasks.get(task.id).nextCheckAt!.getTime()).toBe(MIDNIGHT);

    await tick(11 * 3_600_000); // 23:00: still waiting, and twelve hours are no time-out
    expect(provider.calls.create).toEqual([]);
    await next(task); // 00:00 UTC
    expect(provider.calls.create).toHaveLength(1);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1' });
    expect(tasks.get(task.id).submittedAt!.getTime()).toBe(MIDNIGHT);
  });

  it('waits for the 1st of next month when the monthly limit is reached, even if today has room', async () => {
    const { tasks, budget, provider, tick, clock } = setup();
    budget.limits = { daily: 10, monthly: 3 };
    for (const day of [1, 1, 2]) tasks.add({ status: 'COMPLETED', submittedAt: new Date(Date.UTC(2026, 11, day, 9)) });
    const task = tasks.add();
    await tick();
    expect(provider.calls.create).toEqual([]);
    expect(tasks.get(task.id).statusDetail).toBe('Monthly limit reached (3 of 3) — waits until 00:00 UTC on 1 January');
    expect(tasks.get(task.id).nextCheckAt!.getTime()).toBe(Date.UTC(2027, 0, 1));
    await tick(Date.UTC(2027, 0, 1) - clock.now());
    expect(provider.calls.create).toHaveLength(1);
  });

  it('sends only what the limit allows of several queued tasks; the others wait', async () => {
    const { tasks, budget, provider, tick } = setup();
    budget.limits.daily = 2;
    const queued = [tasks.add(), tasks.add(), tasks.add(), tasks.add()];
    await tick();
    expect(provider.calls.create).toHaveLength(2);
    const held = queued.filter((t) => tasks.get(t.id).submittedAt === null);
    expect(held).toHaveLength(2);
    for (const t of held)
      expect(tasks.get(t.id)).toMatchObject({ status: 'QUEUED', statusDetail: expect.stringMatching(/^Daily limit reached/) });
  });

  it('a 429 retry does not count twice: with room for one picture, the retry still goes, and it is counted once', async () => {
    const { tasks, budget, provider, tick, next, clock } = setup();
    budget.limits.daily = 1;
    provider.createScript = ['rate-limited'];
    const task = tasks.add();
    await tick();
    expect(tasks.get(task.id)).toMatchObject({ status: 'QUEUED', statusDetail: 'Waiting for provider', submittedAt: null });
    await next(task);
    expect(provider.calls.create).toHaveLength(2);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1' });
    expect(tasks.sentBetween(new Date(Date.UTC(2026, 11, 2)), new Date(clock.now() + 1))).toBe(1);
  });

  it('an unknown-outcome create counts once, while it is reconciled and after it is adopted', async () => {
    const { tasks, budget, provider, tick } = setup();
    budget.limits.daily = 1;
    provider.createScript = [{ createdAnyway: 'timeout' }];
    const task = tasks.add();
    await tick();
    const other = tasks.add();
    await tick();
    expect(tasks.get(other.id).statusDetail).toBe('Daily limit reached (1 of 1) — waits until 00:00 UTC'); // the unknown one counts
    await tick(RECONCILE_AFTER_MS);
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1' });
    expect(provider.calls.create).toHaveLength(1);
    expect(tasks.get(other.id)).toMatchObject({ status: 'QUEUED', submittedAt: null });
  });

  it('two instances racing for the last allowed picture send it once', async () => {
    const world = setup();
    world.budget.limits.daily = 1;
    const other = new TaskFollower({ ...world.deps, tasks: world.tasks.as('instance-b') });
    const a = world.tasks.add();
    const b = world.tasks.add();
    await Promise.all([world.follower.step(), other.step()]);
    expect(world.provider.calls.create).toHaveLength(1);
    const held = [a, b].filter((t) => world.tasks.get(t.id).submittedAt === null);
    expect(held).toHaveLength(1);
    expect(world.tasks.get(held[0].id).statusDetail).toMatch(/^Daily limit reached \(1 of 1\)/);
  });

  it('without limits, sends everything at once', async () => {
    const { tasks, provider, tick } = setup();
    for (let i = 0; i < 5; i++) tasks.add();
    await tick();
    expect(provider.calls.create).toHaveLength(5);
  });
});

describe('follower: a rejected key', () => {
  it('fails that task with the reason and pauses instead of hammering the provider', async () => {
    const { tasks, provider, health, tick } = setup();
    provider.createScript = ['unauthorized'];
    const first = tasks.add();
    await tick();
    expect(tasks.get(first.id)).toMatchObject({ status: 'FAILED' });
    expect(tasks.get(first.id).statusDetail).toMatch(/rejected the API key/);
    expect(health.rejected).toBe(1);
    const second = tasks.add();
    await tick(10_000);
    expect(provider.calls.create).toHaveLength(1);
    await tick(20_000);
    expect(provider.calls.create).toHaveLength(2);
    expect(tasks.get(second.id).status).toBe('GENERATING');
  });
});

describe('follower: its own timer', () => {
  it('runs when kicked and keeps looking on its schedule', async () => {
    const { tasks, provider, clock, follower } = setup();
    follower.start();
    const task = tasks.add();
    follower.kick();
    await clock.advance(0);
    expect(provider.calls.create).toHaveLength(1);
    provider.finish('up-1');
    await clock.advance(1_000);
    expect(tasks.get(task.id).status).toBe('COMPLETED');
    follower.stop();
    expect(clock.pending()).toEqual([]);
  });
});

describe('follower: several instances share the tasks through leases', () => {
  function twoInstances() {
    const world = setup();
    const other = new TaskFollower({ ...world.deps, tasks: world.tasks.as('instance-b') });
    return { ...world, other };
  }

  it('sends each task upstream once, however the instances interleave', async () => {
    const { tasks, provider, follower, other, clock } = twoInstances();
    for (let i = 0; i < 10; i++) tasks.add();
    await Promise.all([follower.step(), other.step(), follower.step(), other.step()]);
    expect(provider.calls.create).toHaveLength(10);
    expect(new Set(provider.calls.create.map((c) => JSON.stringify(c))).size).toBe(10);
    for (const id of provider.upstream.keys()) provider.finish(id);
    await clock.advance(1_000);
    await Promise.all([follower.step(), other.step()]);
    expect([...tasks.tasks.values()].every((t) => t.status === 'COMPLETED' && t.leaseOwner === null)).toBe(true);
  });

  it('an instance killed mid-create: another takes over when its lease expires, and reconciles instead of resending', async () => {
    const { tasks, provider, follower, other, clock } = twoInstances();
    provider.createScript = ['create-then-hang'];
    const task = tasks.add();
    void follower.step(); // instance A sends the create and never comes back
    await clock.advance(0);
    expect(tasks.get(task.id)).toMatchObject({ leaseOwner: 'instance-a', providerTaskId: null });
    expect(tasks.get(task.id).submittedAt).not.toBeNull();

    await other.step();
    await clock.advance(60_000);
    await other.step();
    expect(provider.calls.create).toHaveLength(1); // B keeps off while A's lease lasts
    expect(tasks.get(task.id).leaseOwner).toBe('instance-a');

    await clock.advance(31_000); // A's lease (90 s) has run out
    await other.step(); // unknown outcome → the provider's list → adopt
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1' });
    expect(provider.calls.create).toHaveLength(1);
  });

  it('a holder whose lease was taken over can no longer write', async () => {
    const { tasks, clock } = twoInstances();
    const task = tasks.add();
    const a = tasks;
    const b = tasks.as('instance-b');
    expect(await a.claim(task.id)).not.toBeNull();
    expect(await b.claim(task.id)).toBeNull();
    await clock.advance(91_000);
    expect(await b.claim(task.id)).not.toBeNull();
    expect(await a.markFailed(task.id, 'stale')).toBe(false);
    expect(await b.markFailed(task.id, 'fresh')).toBe(true);
    expect(tasks.get(task.id).statusDetail).toBe('fresh');
  });

  it('a webhook report reaching an instance that does not hold the task is handed to the holder', async () => {
    const { tasks, provider, follower, other, clock } = twoInstances();
    const task = tasks.add();
    await follower.step(); // A submits
    provider.finish('up-1');
    expect(await tasks.claim(task.id)).not.toBeNull(); // A is busy with it again
    await other.report({ task_id: 'up-1', status: 'COMPLETED', generated: ['https://cdn.example/pushed.png'] });
    expect(tasks.get(task.id).status).toBe('GENERATING'); // B did not touch it …
    expect(tasks.get(task.id).nextCheckAt!.getTime()).toBe(clock.now()); // … but made it due at once
    await tasks.release(task.id);
    await follower.step();
    expect(tasks.get(task.id).status).toBe('COMPLETED');
  });

  it('renews the leases of work in progress while it runs', async () => {
    const { tasks, provider, clock, follower } = setup();
    provider.createScript = ['create-then-hang'];
    const task = tasks.add();
    follower.start();
    await clock.advance(0);
    const first = tasks.get(task.id).leaseUntil!;
    await clock.advance(31_000);
    expect(tasks.get(task.id).leaseUntil!).toBeGreaterThan(first);
    follower.stop();
  });
});
