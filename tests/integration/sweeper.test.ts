import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '@/lib/simulator/server';
import { startIntegration, stopIntegration } from '../support/integration';

// A provider that never finishes: the sweeper fails the task after TASK_TIMEOUT_MINUTES.
const KEY = 'sweeper-key-0123456789';
let sim: RunningSimulator;

beforeAll(async () => {
  ({ sim } = await startIntegration('sweeper', {
    key: KEY,
    sim: { completeAfterMs: 10 * 60_000 },
    env: { TASK_TIMEOUT_MINUTES: '0.03' }, // 1.8 s
  }));
});

afterAll(() => stopIntegration(sim));

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
