import { authStateStore } from './state-store';
import { deriveKeys, verifyToken, type SessionKeys } from './session';
import { authSettings } from './settings';

/**
 * The derived keys for the configured password, computed once per module
 * instance (proxy and app bundles each hold their own) and again whenever the
 * secret changes: deleting `<data dir>/session-secret` (SQLite) or the
 * "AppSecret" row (PostgreSQL) signs everyone out at once, no restart needed.
 * Never logged, never sent anywhere: only HMACs leave this module.
 */
let cached: { password: string; version: string; keys: SessionKeys } | undefined;

export async function sessionKeys(): Promise<SessionKeys> {
  const { password } = authSettings();
  if (password === undefined) throw new Error('The access gate is off (APP_PASSWORD is not set)');
  const secret = await authStateStore().secret();
  if (!cached || cached.password !== password || cached.version !== secret.version) {
    cached = { password, version: secret.version, keys: deriveKeys(secret.bytes, password) };
  }
  return cached.keys;
}

/** The session a cookie holds, if it is valid, unexpired and not signed out. */
export async function validSession(token: string | undefined): Promise<{ id: string; expiresAt: number } | null> {
  const verdict = verifyToken((await sessionKeys()).cookie, token, Date.now());
  if (!verdict.ok || (await authStateStore().isRevoked(verdict.id))) return null;
  return { id: verdict.id, expiresAt: verdict.expiresAt };
}

/** True when the gate is off, or the cookie value is a valid, unexpired, not signed-out session. */
export async function hasValidSession(token: string | undefined): Promise<boolean> {
  if (authSettings().password === undefined) return true;
  return (await validSession(token)) !== null;
}
