import { describe, expect, it } from 'vitest';
import { allowedHostNames, decide, safeNext, sameOrigin, type GateContext } from '@/lib/auth/gate';

const host = '127.0.0.1:3103';
function request(method: string, url: string, headers: Record<string, string> = {}) {
  const u = new URL(url, `http://${host}`);
  return { method, pathname: u.pathname, search: u.search, headers: new Headers({ host, ...headers }) };
}
const sameSite = { origin: `http://${host}` };
const allowedHosts = allowedHostNames(undefined, []);
const on = (signedIn: boolean): GateContext => ({ gateOn: true, allowedHosts, hasSession: () => signedIn });
const off: GateContext = { gateOn: false, allowedHosts, hasSession: () => false };

describe('access gate policy, gate on, signed out', () => {
  it('sends page views to the login page, remembering where they were going', () => {
    expect(decide(request('GET', '/'), on(false))).toEqual({ kind: 'login', location: '/login' });
    expect(decide(request('GET', '/?q=cat&ratio=16:9'), on(false))).toEqual({
      kind: 'login',
      location: `/login?next=${encodeURIComponent('/?q=cat&ratio=16:9')}`,
    });
    expect(decide(request('HEAD', '/anything'), on(false))).toEqual({ kind: 'login', location: '/login?next=%2Fanything' });
  });

  it('answers 401 for every API path, SSE and pictures included', () => {
    for (const path of [
      '/api/tasks',
      '/api/tasks/summary',
      '/api/boards',
      '/api/tasks/0b7c8a4e-1111-4222-8333-944455556666/boards',
      '/api/spending',
      '/api/tasks/0b7c8a4e-1111-4222-8333-944455556666',
      '/api/images/x',
      '/api/events',
      '/api/status',
      '/api/export',
      '/api/import',
    ]) {
      expect(decide(request('GET', path), on(false)), path).toEqual({ kind: 'unauthorized' });
    }
    expect(decide(request('POST', '/api/import', sameSite), on(false))).toEqual({ kind: 'unauthorized' });
  });

  it('refuses server actions (POSTs to pages) instead of running them', () => {
    expect(decide(request('POST', '/', { ...sameSite, 'next-action': 'abc' }), on(false))).toEqual({ kind: 'unauthorized' });
    expect(decide(request('POST', '/other', sameSite), on(false))).toEqual({ kind: 'unauthorized' });
    expect(decide(request('POST', '/settings', { ...sameSite, 'next-action': 'abc' }), on(false))).toEqual({ kind: 'unauthorized' });
  });

  it('keeps the login page, its sign-in action and build assets public', () => {
    expect(decide(request('GET', '/login?next=%2F'), on(false))).toEqual({ kind: 'pass' });
    expect(decide(request('POST', '/login', { ...sameSite, 'next-action': 'abc' }), on(false))).toEqual({ kind: 'pass' });
    expect(decide(request('GET', '/_next/static/chunks/app.js'), on(false))).toEqual({ kind: 'pass' });
    expect(decide(request('GET', '/icon.svg'), on(false))).toEqual({ kind: 'pass' });
  });

  it('does not mistake look-alike paths for public ones', () => {
    for (const path of ['/login/extra', '/loginx', '/LOGIN', '/_next/staticx', '/api/webhooks/freepik/x', '/api/webhooks/other']) {
      expect(decide(request('GET', path), on(false)).kind, path).not.toBe('pass');
    }
  });

  it('leaves the webhook open: no session, no Origin (it checks its own signature)', () => {
    expect(decide(request('POST', '/api/webhooks/freepik'), on(false))).toEqual({ kind: 'pass' });
  });

  it('does not even ask for the session on public paths', () => {
    const context: GateContext = {
      gateOn: true,
      allowedHosts,
      hasSession: () => {
        throw new Error('asked');
      },
    };
    expect(decide(request('GET', '/login'), context)).toEqual({ kind: 'pass' });
  });
});

describe('access gate policy, signed in or gate off', () => {
  it('passes everything same-origin', () => {
    for (const context of [on(true), off]) {
      expect(decide(request('GET', '/'), context)).toEqual({ kind: 'pass' });
      expect(decide(request('GET', '/api/events'), context)).toEqual({ kind: 'pass' });
      expect(decide(request('POST', '/', { ...sameSite, 'next-action': 'abc' }), context)).toEqual({ kind: 'pass' });
    }
  });

  it('refuses cross-origin or origin-less mutations even with a session, and even with the gate off', () => {
    for (const context of [on(true), on(false), off]) {
      expect(decide(request('POST', '/', { origin: 'https://evil.example' }), context)).toEqual({ kind: 'cross-origin' });
      expect(decide(request('POST', '/settings', { origin: 'https://evil.example', 'next-action': 'abc' }), context)).toEqual({
        kind: 'cross-origin',
      });
      expect(decide(request('POST', '/api/import'), context)).toEqual({ kind: 'cross-origin' });
      expect(decide(request('DELETE', '/api/tasks/x', { origin: 'null' }), context)).toEqual({ kind: 'cross-origin' });
      expect(decide(request('OPTIONS', '/api/tasks', { origin: 'https://evil.example' }), context)).toEqual({ kind: 'cross-origin' });
    }
  });
});

describe('sameOrigin', () => {
  const h = (headers: Record<string, string>) => new Headers(headers);
  it('matches Origin against Host or PUBLIC_BASE_URL', () => {
    expect(sameOrigin(h({ host: 'localhost:3000', origin: 'http://localhost:3000' }))).toBe(true);
    expect(sameOrigin(h({ host: 'LOCALHOST:3000', origin: 'http://localhost:3000' }))).toBe(true);
    expect(sameOrigin(h({ host: 'localhost:3000', origin: 'http://localhost:3001' }))).toBe(false);
    expect(sameOrigin(h({ host: 'localhost:3000', origin: 'http://localhost:3000.evil.example' }))).toBe(false);
    expect(sameOrigin(h({ host: 'studio.example', origin: 'https://studio.example' }))).toBe(true);
    expect(sameOrigin(h({ host: 'studio.example:443', origin: 'https://studio.example' }))).toBe(true);
    // X-Forwarded-Host is anyone's to set (a rebound page can add it to its own requests).
    expect(sameOrigin(h({ host: '127.0.0.1:3000', 'x-forwarded-host': 'studio.example', origin: 'https://studio.example' }))).toBe(false);
    expect(sameOrigin(h({ host: '127.0.0.1:3000', origin: 'https://studio.example' }), 'https://studio.example')).toBe(true);
    expect(sameOrigin(h({ host: '127.0.0.1:3000', origin: 'http://studio.example' }), 'https://studio.example')).toBe(false);
    expect(sameOrigin(h({ host: 'localhost:3000' }))).toBe(false);
    expect(sameOrigin(h({ host: 'localhost:3000', origin: 'null' }))).toBe(false);
    expect(sameOrigin(h({ host: 'localhost:3000', origin: 'not a url' }))).toBe(false);
  });
});

describe('safeNext', () => {
  it('keeps same-site paths and drops everything else', () => {
    expect(safeNext('/')).toBe('/');
    expect(safeNext('/?q=cat%20dog&ratio=16:9')).toBe('/?q=cat%20dog&ratio=16:9');
    expect(safeNext('/api/export')).toBe('/api/export');
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil',
      'javascript:alert(1)',
      'evil',
      '',
      '/login',
      '/login?next=/x',
      '/\nx',
      undefined,
      null,
      42,
      ['/'],
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
});
