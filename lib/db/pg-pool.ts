import pg from 'pg';
import { singleton } from '../singleton';
import { postgresConnection } from './dialect';

/**
 * One small `pg` pool per process and database URL, for the few PostgreSQL
 * statements that do not go through Prisma (auth state, the shared rate
 * budget, NOTIFY): the proxy bundle cannot load Prisma's native adapter, and
 * these are single statements. Pure JavaScript, so it loads in every bundle.
 */
export function pgPool(connectionString: string): pg.Pool {
  return singleton(`PgPool:${connectionString}`, () => {
    // TimeZone=UTC like every other connection (lib/db/dialect.ts): TIMESTAMP(3) columns hold UTC.
    const pool = new pg.Pool({ ...postgresConnection(connectionString), max: 4, idleTimeoutMillis: 30_000 });
    pool.on('error', () => undefined); // an idle client's error: the next query opens a new one
    return pool;
  });
}
