import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../scripts/lib/postgres.mjs';

/**
 * Global setup of the `postgres` vitest project (vitest.config.ts): installs Debian's PostgreSQL 15
 * with apt when it is missing (as root; otherwise it fails and says what to run — never a silent
 * skip), starts ONE throwaway cluster on a free loopback port for the whole run, and stops it by PID
 * and removes it afterwards. Each test file then makes its own database in it
 * (tests/support/test-db.ts).
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const cluster = await startPostgresCluster({ log: (message) => console.log(`[postgres] ${message}`) });
  console.log(`[postgres] cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('postgresAdminUrl', cluster.url);
  return async () => {
    await cluster.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which database the integration tests of this project run against (vitest.config.ts). */
    testDatabase: 'sqlite' | 'postgres';
    /** The postgres project's cluster: superuser URL of its `postgres` database. */
    postgresAdminUrl: string;
  }
}
