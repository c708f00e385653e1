import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '@/lib/simulator/server';
import { startIntegration, stopIntegration } from '../support/integration';
import { insertTask } from '../support/test-db';

// A previous server process submitted a task and stopped before it finished.
// A new process (a fresh module registry here) must pick it up and finish it.
const KEY = 'resume-key-0123456789';
let sim: RunningSimulator;

beforeAll(async () => {
  ({ sim } = await startIntegration('resume', { key: KEY, sim: { completeAfterMs: 300 } }));
});

afterAll(() => stopIntegration(sim));

it('resumes unfinished tasks left by a previous process', async () => {
  const response = await fetch(`${sim.url}/v1/ai/text-to-image/runway`, {
    method: 'POST',
    headers: { 'x-freepik-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'left behind', ratio: '1360:768', seed: 8 }),
  });
  const { data } = (await response.json()) as { data: { task_id: string } };
  const now = new Date();
  await insertTask({
    id: '00000000-0000-4000-8000-000000000001',
    prompt: 'left behind',
    ratio: '1360:768',
    seed: 8n,
    status: 'GENERATING',
    providerTaskId: data.task_id,
    providerStatus: 'IN_PROGRESS',
    createdAt: now,
    updatedAt: now,
    submittedAt: now,
    nextCheckAt: now,
  });

  const { follower } = await import('@/lib/tasks/follower-instance');
  const repo = await import('@/lib/tasks/repository');
  follower(); // what instrumentation.ts does at start-up
  await expect
    .poll(async () => (await repo.findTask('00000000-0000-4000-8000-000000000001'))?.status, { timeout: 10_000 })
    .toBe('COMPLETED');
  expect(sim.log.creates).toHaveLength(1); // resumed by polling, not resubmitted
});
