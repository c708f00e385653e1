import { statSync } from 'node:fs';
import path from 'node:path';
import { isRevoked } from './revocations';
import { loadOrCreateSecret, SECRET_FILE } from './secret';
import { deriveKeys, verifyToken, type SessionKeys } from './session';
import { authSettings } from './settings';

/**
 * The derived keys for the configured password, computed once per module
 * instance (proxy and app each load the same secret file) and again whenever
 * that file changes: deleting it signs everyone out at once, no restart
 * needed. Never logged, never sent anywhere: only HMACs leave this module.
 */
let cached: { password: string; dataDir: string; secretFile: string | null; keys: SessionKeys } | undefined;

function secretFileState(dataDir: string): string | null {
  try {
    const info = statSync(path.join(dataDir, SECRET_FILE));
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return null;
  }
}

export function sessionKeys(): SessionKeys {
  const { password, dataDir } = authSettings();
  if (password === undefined) throw new Error('The access gate is off (APP_PASSWORD is not set)');
  const state = secretFileState(dataDir);
  if (!cached || cached.password !== password || cached.dataDir !== dataDir || state === null || cached.secretFile !== state) {
    const keys = deriveKeys(loadOrCreateSecret(dataDir), password);
    cached = { password, dataDir, secretFile: secretFileState(dataDir), keys };
  }
  return cached.keys;
}

/** The session a cookie holds, if it is valid, unexpired and not signed out. */
export function validSession(token: string | undefined): { id: string; expiresAt: number } | null {
  const verdict = verifyToken(sessionKeys().cookie, token, Date.now());
  if (!verdict.ok || isRevoked(authSettings().dataDir, verdict.id)) return null;
  return { id: verdict.id, expiresAt: verdict.expiresAt };
}

/** True when the gate is off, or the cookie value is a valid, unexpired, not signed-out session. */
export function hasValidSession(token: string | undefined): boolean {
  if (authSettings().password === undefined) return true;
  return validSession(token) !== null;
}
