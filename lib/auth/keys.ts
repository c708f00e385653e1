import { loadOrCreateSecret } from './secret';
import { deriveKeys, verifyToken, type SessionKeys } from './session';
import { authSettings } from './settings';

/**
 * The derived keys for the configured password, computed once per module
 * instance (proxy and app each load the same secret file). Never logged, never
 * sent anywhere: only HMACs leave this module.
 */
let cached: { password: string; dataDir: string; keys: SessionKeys } | undefined;

export function sessionKeys(): SessionKeys {
  const { password, dataDir } = authSettings();
  if (password === undefined) throw new Error('The access gate is off (APP_PASSWORD is not set)');
  if (!cached || cached.password !== password || cached.dataDir !== dataDir) {
    cached = { password, dataDir, keys: deriveKeys(loadOrCreateSecret(dataDir), password) };
  }
  return cached.keys;
}

/** True when the gate is off, or the cookie value is a valid, unexpired session. */
export function hasValidSession(token: string | undefined): boolean {
  if (authSettings().password === undefined) return true;
  return verifyToken(sessionKeys().cookie, token, Date.now()).ok;
}
