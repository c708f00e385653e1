import { beforeAll, describe, expect, it, vi } from 'vitest';
import { setupDatabase } from '../support/test-db';

/**
 * "The API key was rejected" is a fact of the deployment: one instance's follower meets the 401, every
 * instance's banner says so; the next accepted call anywhere clears it. Each "instance" starts with
 * empty memory, as another process would.
 */
async function instance() {
  vi.resetModules();
  delete (globalThis as Record<string, unknown>).__darkroomProviderHealth;
  return import('@/lib/tasks/provider-health');
}

beforeAll(async () => {
  await setupDatabase('provider_health');
});

describe('shared provider health', () => {
  it('a key rejected on one instance shows on the others until a call is accepted again', async () => {
    const a = await instance();
    a.noteKeyRejected();
    const b = await instance(); // another process: nothing in its memory
    await expect.poll(() => b.keyRejected()).toBe(true);
    b.noteKeyAccepted();
    const c = await instance();
    await expect.poll(() => c.keyRejected()).toBe(false);
  });
});
