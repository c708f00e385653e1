import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateSqlite } from '@/lib/db/migrate';
import { startSimulator, type RunningSimulator, type SimulatorPatch } from '@/lib/simulator/server';

/**
 * The common start of an integration test: a simulator on loopback, a fresh
 * data directory with a migrated SQLite database, and the environment that
 * points the app's server modules at both. Server modules must be imported
 * (dynamically) only after this ran, since they read the environment once.
 */
export async function startIntegration(
  name: string,
  {
    key = `${name}-key-0123456789`,
    sim: simOptions = {},
    env = {},
  }: { key?: string; sim?: SimulatorPatch; env?: Record<string, string> } = {},
): Promise<{ sim: RunningSimulator; key: string; dataDir: string; dbFile: string }> {
  const sim = await startSimulator({ apiKey: key, inProgressAfterMs: 50, completeAfterMs: 250, ...simOptions });
  const dataDir = mkdtempSync(path.join(tmpdir(), `darkroom-${name}-`));
  const dbFile = `${dataDir}/darkroom.db`;
  Object.assign(process.env, { DATABASE_URL: `file:${dbFile}`, FREEPIK_API_KEY: key, FREEPIK_API_BASE_URL: sim.url, ...env });
  migrateSqlite(dbFile, path.resolve('prisma/migrations'));
  return { sim, key, dataDir, dbFile };
}

/** Stops the follower this test process started, then the simulator. */
export async function stopIntegration(sim: RunningSimulator) {
  (await import('@/lib/tasks/follower-instance')).follower().stop();
  await sim.close();
}
