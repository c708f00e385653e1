/**
 * Start-up preparation shared by `npm start` and the test servers: validate the
 * configuration (stop with a message naming the bad variable) and bring the
 * database up to date.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError } from '../lib/config/env-schema';
import { databaseFile, loadEnv } from '../lib/config/load-env';
import { migrateSqlite } from '../lib/db/migrate';

if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');

try {
  const env = loadEnv();
  const file = databaseFile();
  const result = migrateSqlite(file, path.join(process.cwd(), 'prisma/migrations'));
  const applied = result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date';
  console.log(`[prepare] database ${path.relative(process.cwd(), file)}: ${applied}`);
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
