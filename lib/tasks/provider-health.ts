import 'server-only';
import { singleton } from '../singleton';

/**
 * What the follower has learned about the provider connection, for the UI
 * banner (e.g. "the API key was rejected"). Kept per process on globalThis.
 */
export type ProviderHealth = { keyRejectedAt: number | null };

export function providerHealth(): ProviderHealth {
  return singleton<ProviderHealth>('ProviderHealth', () => ({ keyRejectedAt: null }));
}

export function noteKeyRejected() {
  providerHealth().keyRejectedAt = Date.now();
}

export function noteKeyAccepted() {
  providerHealth().keyRejectedAt = null;
}
