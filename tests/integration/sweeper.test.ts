import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@/lib/simulator/server';
import { migrateSqlite } from '@/lib/db/migrate';

// A provider that never finishes: the sweeper fails the task after TASK_TIMEOUT_MINUTES.
const KEY = 'sweeper-key-0123456789';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, inProgressAfterMs: 50, completeAfterMs: 10 * 60_000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-sweeper-'));
  process.env.DATABASE_URL = `file:${dir}/darkroom.db`;
  process.env.FREEPIK_API_KEY = KEY;
  process.env.FREEPIK_API_BASE_URL = sim.url;
  process.env.TASK_TIMEOUT_MINUTES = '0.03'; // 1.8 s
  migrateSqlite(`${dir}/darkroom.db`, path.resolve('prisma/migrations'));
});

afterAll(async () => {
  (await import('@/lib/tasks/follower')).follower().stop();
  await sim.close();
});

it('fails a task that never finishes with the reason "Timed out"', async () => {
  const service = await import('@/lib/tasks/service');
  const repo = await import('@/lib/tasks/repository');
  const result = await service.requestGeneration({ prompt: 'endless dusk', ratio: '720:720', seed: '' });
  if (!result.ok) throw new Error(result.error);
  await expect.poll(() => sim.log.creates.filter((c) => c.status === 200).length).toBe(1);
  await expect
    .poll(async () => await repo.findTask(result.task.id), { timeout: 8_000 })
    .toMatchObject({ status: 'FAILED', statusDetail: 'Timed out' });
});
