import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Sign-out is revocation: a cookie copied before Sign out is refused after it,
 * and deleting `<data dir>/session-secret` signs everyone out at once, without
 * a restart (README promise). Both work across module instances (proxy and
 * app bundles) because the state lives in files, re-read when they change.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'session-revocation-'));

let keys: typeof import('@/lib/auth/keys');
let session: typeof import('@/lib/auth/session');
let revocations: typeof import('@/lib/auth/revocations');

beforeAll(async () => {
  vi.stubEnv('APP_PASSWORD', 'revocation-password');
  vi.stubEnv('DATABASE_URL', `file:${dir}/darkroom.db`);
  vi.resetModules();
  keys = await import('@/lib/auth/keys');
  session = await import('@/lib/auth/session');
  revocations = await import('@/lib/auth/revocations');
});

const issue = async () => session.issueToken((await keys.sessionKeys()).cookie, Date.now());
const idOf = (token: string) => token.split('.')[1];
const expOf = (token: string) => Number(token.split('.')[3]);

describe('session revocation', () => {
  it('refuses a signed-out session, and only that one', async () => {
    const mine = await issue();
    const other = await issue();
    expect(await keys.hasValidSession(mine)).toBe(true);
    revocations.revokeSession(dir, idOf(mine), expOf(mine));
    expect(await keys.hasValidSession(mine)).toBe(false);
    expect(await keys.hasValidSession(other)).toBe(true);
    expect(statSync(path.join(dir, revocations.REVOKED_FILE)).mode & 0o777).toBe(0o600);
  });

  it('sees revocations written by another module instance (the proxy bundle vs the app bundle)', async () => {
    const token = await issue();
    expect(await keys.hasValidSession(token)).toBe(true);
    vi.resetModules();
    const otherInstance = await import('@/lib/auth/revocations');
    otherInstance.revokeSession(dir, idOf(token), expOf(token));
    expect(await keys.hasValidSession(token)).toBe(false);
  });

  it('signs everyone out when the secret file is deleted, without a restart', async () => {
    const before = await issue();
    expect(await keys.hasValidSession(before)).toBe(true);
    rmSync(path.join(dir, 'session-secret'));
    expect(await keys.hasValidSession(before)).toBe(false);
    // A new secret was made; sessions issued from now on work.
    expect(readFileSync(path.join(dir, 'session-secret'), 'utf8').trim().length).toBeGreaterThan(40);
    expect(await keys.hasValidSession(await issue())).toBe(true);
  });

  it('drops expired entries once the file grows, keeping live ones', async () => {
    const live = await issue();
    revocations.revokeSession(dir, idOf(live), expOf(live));
    const now = Date.now();
    const pastSeconds = Math.floor(now / 1000) - 10;
    for (let i = 0; i < 9_000; i++) revocations.revokeSession(dir, `expired${i}`, pastSeconds, now);
    const size = statSync(path.join(dir, revocations.REVOKED_FILE)).size;
    expect(size).toBeLessThan(256 * 1024);
    expect(await keys.hasValidSession(live)).toBe(false);
  });
});
