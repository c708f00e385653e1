import { describe, expect, it } from 'vitest';
import { safeNext } from '@/lib/auth/gate';

/**
 * Open redirect after sign-in: `next` must stay a path on this site after the
 * URL parser has normalised it — `//host` is a link to another site, and dot
 * segments, encoded dots and backslashes can all produce one.
 */
describe('login redirect target', () => {
  it('refuses targets that normalise to another site', () => {
    for (const attack of [
      '/.//evil.example/x',
      '/a/..//evil.example',
      '/%2e//evil.example',
      '/%2E//evil.example',
      '/./\\evil.example',
      '/.\\/evil.example',
      '/a/../\\evil.example',
      '/%2e%2e//evil.example',
      '/./%2e//evil.example',
    ]) {
      const target = safeNext(attack);
      expect(target, attack).toBe('/');
      // Whatever comes back, a browser resolving it against this site stays here.
      expect(new URL(target, 'http://127.0.0.1:3000').host, attack).toBe('127.0.0.1:3000');
    }
  });

  it('keeps ordinary same-site targets, normalised', () => {
    expect(safeNext('/?q=a%20b&ratio=16:9')).toBe('/?q=a%20b&ratio=16:9');
    expect(safeNext('/a/../?q=x')).toBe('/?q=x');
    expect(safeNext('/./api/export')).toBe('/api/export');
  });
});
