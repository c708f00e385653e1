import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '@/lib/simulator/server';
import type { TaskFollower } from '@/lib/tasks/follower';
import { startIntegration, stopIntegration } from '../support/integration';

/**
 * Several followers on one database (what several app instances are): leases
 * on task rows let each task be sent upstream once and followed by one
 * follower at a time — against the real database and the simulator.
 */
const KEY = 'leases-key-0123456789';
let sim: RunningSimulator;
let followers: TaskFollower[] = [];
let repo: typeof import('@/lib/tasks/repository');
let leases: typeof import('@/lib/tasks/leases');
let db: typeof import('@/lib/db/client').db;

beforeAll(async () => {
  ({ sim } = await startIntegration('leases', { key: KEY, sim: { inProgressAfterMs: 50, completeAfterMs: 300 } }));
  repo = await import('@/lib/tasks/repository');
  leases = await import('@/lib/tasks/leases');
  db = (await import('@/lib/db/client')).db;
  const { TaskFollower } = await import('@/lib/tasks/follower');
  const { productionFollowerDeps } = await import('@/lib/tasks/follower-instance');
  followers = ['instance-1', 'instance-2', 'instance-3'].map((owner) => new TaskFollower(productionFollowerDeps(owner)));
});

afterAll(async () => {
  for (const f of followers) f.stop();
  await stopIntegration(sim);
});

async function insert(prompt: string) {
  const task = await repo.insertTask({
    model: 'runway',
    prompt,
    ratio: '720:720',
    seed: 5,
    body: { prompt, ratio: '720:720', seed: 5 },
    origin: 'new',
  });
  return task.id;
}

describe('task leases', () => {
  it('three followers racing over 12 tasks: each created upstream exactly once, all completed', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => insert(`lease race ${i}`)));
    for (let round = 0; round < 40; round++) {
      await Promise.all(followers.map((f) => f.step()));
      const open = await db().task.count({ where: { id: { in: ids }, status: { not: 'COMPLETED' } } });
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    const rows = await db().task.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === 'COMPLETED')).toBe(true);
    expect(rows.every((r) => r.leaseOwner === null)).toBe(true);
    for (let i = 0; i < 12; i++) {
      expect(
        sim.log.creates.filter((c) => c.status === 200 && (c.body as { prompt?: string }).prompt === `lease race ${i}`),
        `lease race ${i}`,
      ).toHaveLength(1);
    }
  });

  it('a claim excludes every other owner until it is released or expires, and a stale holder cannot write', async () => {
    const id = await insert('lease exclusive');
    const now = new Date();
    expect(await leases.claimTask(id, 'a', now, 1_000)).not.toBeNull();
    expect(await leases.claimTask(id, 'b', now, 1_000)).toBeNull();
    expect(await leases.claimDueTasks('b', now, 10)).toEqual([]);
    const later = new Date(now.getTime() + 1_001);
    expect(await leases.claimTask(id, 'b', later, 60_000)).not.toBeNull();
    const { leasedTransitions } = await import('@/lib/tasks/state-machine');
    expect(await leasedTransitions('a').markFailed(id, 'stale holder')).toBe(false);
    expect(await leasedTransitions('b').markFailed(id, 'holder')).toBe(true);
    expect((await repo.findTask(id))?.statusDetail).toBe('holder');
  });

  it('drops, at start-up, the leases of processes that no longer exist, and keeps those of live ones', async () => {
    const dead = await insert('lease of a dead process');
    const alive = await insert('lease of a live process');
    const inAnHour = new Date(Date.now() + 3_600_000);
    await db().task.update({ where: { id: dead }, data: { leaseOwner: '999999999-gone', leaseUntil: inAnHour } });
    await db().task.update({ where: { id: alive }, data: { leaseOwner: `${process.ppid}-parent`, leaseUntil: inAnHour } });
    expect(await leases.releaseLeasesOfDeadProcesses()).toBeGreaterThanOrEqual(1);
    expect((await db().task.findUnique({ where: { id: dead } }))?.leaseOwner).toBeNull();
    expect((await db().task.findUnique({ where: { id: alive } }))?.leaseOwner).toBe(`${process.ppid}-parent`);
  });
});
