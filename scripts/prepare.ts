/**
 * Start-up preparation shared by `npm start` and the test servers: validate the
 * configuration (stop with a message naming the bad variable) and bring the
 * database up to date — SQLite or PostgreSQL, as DATABASE_URL's scheme says
 * (PostgreSQL under an advisory lock, so instances booting together apply each
 * migration once).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError } from '../lib/config/env-schema';
import { databaseFile, loadEnv } from '../lib/config/load-env';
import { describeDatabaseUrl, dialectOf } from '../lib/db/dialect';
import { migrateDatabase } from '../lib/db/migrate';

if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');

try {
  const env = loadEnv();
  const cwd = process.cwd();
  const result = await migrateDatabase(env.DATABASE_URL, cwd);
  const applied = result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date';
  const where =
    dialectOf(env.DATABASE_URL) === 'postgres' ? `PostgreSQL ${describeDatabaseUrl(env.DATABASE_URL)}` : path.relative(cwd, databaseFile());
  console.log(`[prepare] database ${where}: ${applied}`);
  console.log(
    env.FREEPIK_API_KEY
      ? `[prepare] using the Freepik API at ${env.FREEPIK_API_BASE_URL}`
      : '[prepare] no FREEPIK_API_KEY: demo mode with the built-in simulator',
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
