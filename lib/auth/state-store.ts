import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { loadEnv } from '../config/load-env';
import { dataDirOf } from '../config/env-schema';
import { dialectOf } from '../db/dialect';
import { pgPool } from '../db/pg-pool';
import { singleton } from '../singleton';
import { isRevoked as isRevokedInFile, revokeSession as revokeInFile } from './revocations';
import { loadOrCreateSecret, SECRET_FILE } from './secret';

/**
 * Where the access gate keeps what must outlive a request: the session
 * signing secret and the signed-out sessions. SQLite (one machine): files in
 * the data directory, as ADR 0008 describes. PostgreSQL (several instances):
 * tables in the database, so a cookie issued by one instance works on every
 * other, and Sign out on one is honoured by all. No `server-only`: the proxy
 * bundle uses it.
 */
export type AuthStateStore = {
  /** The secret, created on first use; a changed or deleted secret is picked up within `SECRET_RECHECK_MS`. */
  secret(): Promise<{ bytes: Buffer; version: string }>;
  isRevoked(id: string): Promise<boolean>;
  revoke(id: string, expiresAt: number): Promise<void>;
};

/** PostgreSQL: how long a read secret is trusted before it is read again (rotation reaches every instance). */
const SECRET_RECHECK_MS = 2_000;

function fileStore(dataDir: string): AuthStateStore {
  return {
    async secret() {
      const bytes = loadOrCreateSecret(dataDir);
      let version = 'missing';
      try {
        const info = statSync(path.join(dataDir, SECRET_FILE));
        version = `${info.ino}:${info.size}:${info.mtimeMs}`;
      } catch {
        // created just now by another bundle and already gone: read again next time
      }
      return { bytes, version };
    },
    async isRevoked(id) {
      return isRevokedInFile(dataDir, id);
    },
    async revoke(id, expiresAt) {
      revokeInFile(dataDir, id, expiresAt);
    },
  };
}

function postgresStore(url: string): AuthStateStore {
  let cached: { bytes: Buffer; version: string; readAt: number } | undefined;
  return {
    async secret() {
      if (cached && Date.now() - cached.readAt < SECRET_RECHECK_MS) return cached;
      const pool = pgPool(url);
      // First instance to need it creates it; everyone reads the winner.
      await pool.query('INSERT INTO "AppSecret" ("name", "value") VALUES ($1, $2) ON CONFLICT ("name") DO NOTHING', [
        'session',
        randomBytes(32).toString('base64'),
      ]);
      const { rows } = await pool.query<{ value: string }>('SELECT "value" FROM "AppSecret" WHERE "name" = $1', ['session']);
      const bytes = Buffer.from(rows[0].value, 'base64');
      if (bytes.length < 32)
        throw new Error('The session secret in the database is damaged; delete its "AppSecret" row to make a new one.');
      cached = { bytes, version: rows[0].value.slice(0, 16), readAt: Date.now() };
      return cached;
    },
    async isRevoked(id) {
      const { rowCount } = await pgPool(url).query('SELECT 1 FROM "RevokedSession" WHERE "id" = $1', [id]);
      return (rowCount ?? 0) > 0;
    },
    async revoke(id, expiresAt) {
      const pool = pgPool(url);
      await pool.query('INSERT INTO "RevokedSession" ("id", "expiresAt") VALUES ($1, to_timestamp($2)) ON CONFLICT ("id") DO NOTHING', [
        id,
        expiresAt,
      ]);
      // Entries past their cookie's expiry can go: such a cookie fails verification anyway.
      await pool.query('DELETE FROM "RevokedSession" WHERE "expiresAt" < now()');
    },
  };
}

export function authStateStore(): AuthStateStore {
  const env = loadEnv();
  if (dialectOf(env.DATABASE_URL) === 'postgres') return singleton(`AuthState:${env.DATABASE_URL}`, () => postgresStore(env.DATABASE_URL));
  return fileStore(dataDirOf(env, process.cwd()));
}
