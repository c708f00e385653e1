import { startSimulator, type RunningSimulator, type SimulatorPatch } from '@/lib/simulator/server';
import type { Dialect } from '@/lib/db/dialect';
import type { Ratio } from '@/lib/generation/schema';
import { setupDatabase } from './test-db';

/**
 * The common start of an integration test: a simulator on loopback, a fresh
 * data directory with a fresh, migrated database — SQLite or PostgreSQL, as the
 * vitest project says (tests/support/test-db.ts) — and the environment that
 * points the app's server modules at them. Server modules must be imported
 * (dynamically) only after this ran, since they read the environment once.
 */
export async function startIntegration(
  name: string,
  {
    key = `${name}-key-0123456789`,
    sim: simOptions = {},
    env = {},
  }: { key?: string; sim?: SimulatorPatch; env?: Record<string, string> } = {},
): Promise<{ sim: RunningSimulator; key: string; dataDir: string; databaseUrl: string; dialect: Dialect }> {
  const sim = await startSimulator({ apiKey: key, inProgressAfterMs: 50, completeAfterMs: 250, ...simOptions });
  const database = await setupDatabase(name, { FREEPIK_API_KEY: key, FREEPIK_API_BASE_URL: sim.url, ...env });
  return { sim, key, dataDir: database.dataDir, databaseUrl: database.url, dialect: database.dialect };
}

/** Stops the follower this test process started, then the simulator. */
export async function stopIntegration(sim: RunningSimulator) {
  (await import('@/lib/tasks/follower-instance')).follower().stop();
  await sim.close();
}

/** Waits until the task is finished (Completed, Failed or Unsaved) and returns its view; throws after `timeoutMs`. */
export async function waitForFinish(id: string, timeoutMs = 10_000) {
  const { findTask } = await import('@/lib/tasks/repository');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await findTask(id);
    if (task && (task.status === 'COMPLETED' || task.status === 'FAILED' || task.status === 'UNSAVED')) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task?.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asks for a picture as the form does and waits until it is Completed (throws if it ends otherwise). */
export async function generateCompleted(prompt: string, ratio: Ratio, seed: number) {
  const { requestGeneration } = await import('@/lib/tasks/service');
  const result = await requestGeneration({ prompt, ratio, seed: String(seed) });
  if (!result.ok) throw new Error(result.error);
  const task = await waitForFinish(result.task.id);
  if (task.status !== 'COMPLETED') throw new Error(`task ${result.task.id} ended ${task.status}`);
  return task;
}
