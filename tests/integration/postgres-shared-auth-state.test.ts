import { beforeAll, describe, expect, it, vi } from 'vitest';
import { setupDatabase } from '../support/test-db';

/**
 * What the access gate must share between instances lives in PostgreSQL: a
 * cookie issued by one instance is valid on every other, Sign out on one is
 * honoured by all, a new secret signs everyone out, and five wrong passwords
 * are five for the deployment. Each "instance" is a fresh module graph (its
 * own caches), as separate processes would have.
 */
type Instance = {
  keys: typeof import('@/lib/auth/keys');
  session: typeof import('@/lib/auth/session');
  store: typeof import('@/lib/auth/state-store');
  limiter: typeof import('@/lib/auth/rate-limit');
};

async function instance(): Promise<Instance> {
  vi.resetModules();
  // A fresh module graph: nothing cached on globalThis may leak between "instances" either.
  for (const key of Object.keys(globalThis))
    if (key.startsWith('__darkroomAuthState') || key.startsWith('__darkroomLoginLimiter'))
      delete (globalThis as Record<string, unknown>)[key];
  return {
    keys: await import('@/lib/auth/keys'),
    session: await import('@/lib/auth/session'),
    store: await import('@/lib/auth/state-store'),
    limiter: await import('@/lib/auth/rate-limit'),
  };
}

let a: Instance;
let b: Instance;
let url: string;

beforeAll(async () => {
  ({ url } = await setupDatabase('auth_state', { APP_PASSWORD: 'shared-state-password' }));
  a = await instance();
  b = await instance();
});

describe('access-gate state shared through PostgreSQL', () => {
  it('a cookie issued by one instance is valid on another; Sign out on that one is honoured by the first', async () => {
    const token = a.session.issueToken((await a.keys.sessionKeys()).cookie, Date.now());
    expect(await b.keys.hasValidSession(token)).toBe(true);
    const signedIn = await b.keys.validSession(token);
    await b.store.authStateStore().revoke(signedIn!.id, signedIn!.expiresAt);
    expect(await a.keys.hasValidSession(token)).toBe(false);
    expect(await b.keys.hasValidSession(token)).toBe(false);
  });

  it('a new secret (its row deleted) signs everyone out on every instance within seconds', async () => {
    const token = a.session.issueToken((await a.keys.sessionKeys()).cookie, Date.now());
    expect(await b.keys.hasValidSession(token)).toBe(true);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DELETE FROM "AppSecret" WHERE "name" = 'session'`);
    await client.end();
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await a.keys.hasValidSession(token)).toBe(false);
    expect(await b.keys.hasValidSession(token)).toBe(false);
  });

  it('five wrong passwords from one address are counted for the deployment, not per instance', async () => {
    const limiterA = a.limiter.loginLimiter();
    const limiterB = b.limiter.loginLimiter();
    for (let i = 0; i < 5; i++) {
      const result = await (i % 2 ? limiterB : limiterA).attempt('198.51.100.9', () => false);
      expect(result).toMatchObject({ ok: false, reason: 'wrong-password' });
    }
    let checked = false;
    const sixth = await limiterB.attempt('198.51.100.9', () => {
      checked = true;
      return true;
    });
    expect(sixth).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(checked).toBe(false);
  });
});
