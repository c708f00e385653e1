import 'server-only';

/**
 * What the follower has learned about the provider connection, for the UI
 * banner (e.g. "the API key was rejected"). Kept per process on globalThis.
 */
export type ProviderHealth = { keyRejectedAt: number | null };

const globalForHealth = globalThis as unknown as { __darkroomProviderHealth?: ProviderHealth };

export function providerHealth(): ProviderHealth {
  globalForHealth.__darkroomProviderHealth ??= { keyRejectedAt: null };
  return globalForHealth.__darkroomProviderHealth;
}

export function noteKeyRejected() {
  providerHealth().keyRejectedAt = Date.now();
}

export function noteKeyAccepted() {
  providerHealth().keyRejectedAt = null;
}
