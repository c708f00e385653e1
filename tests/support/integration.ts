import { startSimulator, type RunningSimulator, type SimulatorPatch } from '@/lib/simulator/server';
import type { Dialect } from '@/lib/db/dialect';
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
