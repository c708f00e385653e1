import 'server-only';
import { loadEnv } from '../config/load-env';
import { dialectOf } from './dialect';
import { pgPool } from './pg-pool';

/**
 * Runs `work` while holding a lock that spans the deployment: a PostgreSQL
 * advisory lock (held on one pooled connection for the duration) when the
 * database is PostgreSQL, so several instances take turns; on SQLite — one
 * process — the caller's in-process queue is the whole story and this just runs.
 */
export async function withDeploymentLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const url = loadEnv().DATABASE_URL;
  if (dialectOf(url) !== 'postgres') return work();
  const client = await pgPool(url).connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`darkroom:${name}`]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`darkroom:${name}`]);
    }
  } finally {
    client.release();
  }
}
