import 'server-only';
import { loadEnv } from '../config/load-env';
import { dialectOf } from '../db/dialect';
import { pgPool } from '../db/pg-pool';
import { singleton } from '../singleton';

/**
 * What the followers have learned about the provider connection, for the UI
 * banner ("the API key was rejected"). SQLite (one process): kept in memory.
 * PostgreSQL (several instances): also written to "DeploymentState", so every
 * instance's banner says so, whichever follower met the refusal; the first
 * accepted call (anywhere) clears it.
 */
export type ProviderHealth = {
  keyRejectedAt: number | null;
  /** Whether this instance has already cleared the shared note since it last changed. */
  sharedCleared: boolean;
};

const KEY_REJECTED = 'provider-key-rejected-at';

export function providerHealth(): ProviderHealth {
  return singleton<ProviderHealth>('ProviderHealth', () => ({ keyRejectedAt: null, sharedCleared: false }));
}

function sharedDatabase(): string | null {
  const url = loadEnv().DATABASE_URL;
  return dialectOf(url) === 'postgres' ? url : null;
}

function remember(value: number | null) {
  const url = sharedDatabase();
  if (!url) return;
  void pgPool(url)
    .query(
      `INSERT INTO "DeploymentState" ("name", "value", "updatedAt") VALUES ($1, $2, now())
       ON CONFLICT ("name") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = now()`,
      [KEY_REJECTED, value === null ? null : String(value)],
    )
    .catch((error) => console.error('[provider] could not share the key state:', error instanceof Error ? error.message : error));
}

export function noteKeyRejected() {
  const health = providerHealth();
  health.keyRejectedAt = Date.now();
  health.sharedCleared = false;
  remember(health.keyRejectedAt);
}

export function noteKeyAccepted() {
  const health = providerHealth();
  health.keyRejectedAt = null;
  // Not a write per accepted call: once, to clear a note another instance may have left.
  if (!health.sharedCleared) {
    health.sharedCleared = true;
    remember(null);
  }
}

/** Whether any instance has seen the key rejected since the last accepted call. */
export async function keyRejected(): Promise<boolean> {
  if (providerHealth().keyRejectedAt !== null) return true;
  const url = sharedDatabase();
  if (!url) return false;
  const { rows } = await pgPool(url).query<{ value: string | null }>('SELECT "value" FROM "DeploymentState" WHERE "name" = $1', [
    KEY_REJECTED,
  ]);
  return !!rows[0]?.value;
}
