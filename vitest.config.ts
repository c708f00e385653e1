import { configDefaults, defineConfig } from 'vitest/config';
import path from 'node:path';

/**
 * Three projects in one `vitest run`:
 * - unit: tests/unit, no database server;
 * - sqlite: tests/integration against SQLite files (each test file its own);
 * - postgres: the same tests/integration against PostgreSQL 15 — one throwaway cluster for the run
 *   (tests/support/postgres-global-setup.ts installs it with apt if missing, starts and removes it),
 *   a fresh database per test file (tests/support/test-db.ts).
 * A test file picks its database through tests/support/test-db.ts (`useDatabase`, `startIntegration`),
 * never by opening one itself, so the same file runs in both projects.
 */

/** Integration tests of SQLite itself (the migration runner's file handling): not run on PostgreSQL. */
const SQLITE_ONLY = ['tests/integration/migration-runner.test.ts'];
/** Integration tests of PostgreSQL itself (runner under the advisory lock, time zone, schema parity). */
const POSTGRES_ONLY = ['tests/integration/postgres-*.test.ts'];

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests are server code.
      'server-only': path.resolve(import.meta.dirname, 'tests/support/server-only-stub.ts'),
    },
  },
  test: {
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // Two files at a time, even on 2 cores (Vitest's default there is 1): integration tests mostly wait on the
    // simulator, the databases and sharp, and each file has its own database and data directory. Measured on
    // the 2-core CI machine: 246 s instead of 465 s for the three projects, same results.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...POSTGRES_ONLY],
          provide: { testDatabase: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SQLITE_ONLY],
          globalSetup: ['tests/support/postgres-global-setup.ts'],
          provide: { testDatabase: 'postgres' },
        },
      },
    ],
  },
});
