import { afterAll, beforeAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { RunningSimulator } from '@/lib/simulator/server';
import { startIntegration, stopIntegration } from '../support/integration';

// A previous server process submitted a task and stopped before it finished.
// A new process (a fresh module registry here) must pick it up and finish it.
const KEY = 'resume-key-0123456789';
let sim: RunningSimulator;
let dbFile: string;

beforeAll(async () => {
  ({ sim, dbFile } = await startIntegration('resume', { key: KEY, sim: { completeAfterMs: 300 } }));
});

afterAll(() => stopIntegration(sim));

it('resumes unfinished tasks left by a previous process', async () => {
  const response = await fetch(`${sim.url}/v1/ai/text-to-image/runway`, {
    method: 'POST',
    headers: { 'x-freepik-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'left behind', ratio: '1360:768', seed: 8 }),
  });
  const { data } = (await response.json()) as { data: { task_id: string } };
  const sqlite = new Database(dbFile);
  const now = new Date().toISOString();
  sqlite
    .prepare(
      `INSERT INTO Task (id, prompt, ratio, seed, status, origin, providerTaskId, providerStatus, createdAt, updatedAt, submittedAt, nextCheckAt)
       VALUES ('00000000-0000-4000-8000-000000000001', 'left behind', '1360:768', 8, 'GENERATING', 'new', ?, 'IN_PROGRESS', ?, ?, ?, ?)`,
    )
    .run(data.task_id, now, now, now, now);
  sqlite.close();

  const { follower } = await import('@/lib/tasks/follower-instance');
  const repo = await import('@/lib/tasks/repository');
  follower(); // what instrumentation.ts does at start-up
  await expect
    .poll(async () => (await repo.findTask('00000000-0000-4000-8000-000000000001'))?.status, { timeout: 10_000 })
    .toBe('COMPLETED');
  expect(sim.log.creates).toHaveLength(1); // resumed by polling, not resubmitted
});
