import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { problemType } from '@/lib/http/problem';

// The route-level check reads the real settings: point them at a throwaway data dir.
const dir = mkdtempSync(path.join(tmpdir(), 'auth-require-'));

describe('sessionRequired (route handlers outside the proxy)', () => {
  let mod: typeof import('@/lib/auth/require');
  let keys: typeof import('@/lib/auth/keys');
  let session: typeof import('@/lib/auth/session');

  beforeAll(async () => {
    vi.stubEnv('APP_PASSWORD', 'route-level-password');
    vi.stubEnv('DATABASE_URL', `file:${dir}/darkroom.db`);
    vi.resetModules();
    mod = await import('@/lib/auth/require');
    keys = await import('@/lib/auth/keys');
    session = await import('@/lib/auth/session');
  });

  const post = (cookie?: string) => new Request('http://127.0.0.1:3000/api/import', { method: 'POST', headers: cookie ? { cookie } : {} });

  it('answers 401 without a valid session cookie', async () => {
    for (const cookie of [undefined, 'other=1', 'darkroom_session=garbage', `darkroom_session=v1.1.2.${'A'.repeat(43)}`]) {
      const denied = await mod.sessionRequired(post(cookie));
      expect(denied?.status, cookie).toBe(401);
      expect(denied!.headers.get('content-type')).toBe('application/problem+json');
      expect(denied!.headers.get('cache-control')).toBe('no-store');
      expect(await denied!.json()).toEqual({
        type: problemType('sign-in-required'),
        title: 'Sign in required',
        status: 401,
        detail: 'Sign in to Darkroom first.',
      });
    }
  });

  it('lets a signed-in request through, whatever other cookies it carries', async () => {
    const token = session.issueToken((await keys.sessionKeys()).cookie, Date.now());
    expect(await mod.sessionRequired(post(`theme=dark; darkroom_session=${token}; x=y`))).toBeNull();
    expect(await keys.hasValidSession(token)).toBe(true);
  });
});
