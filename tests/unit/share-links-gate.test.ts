import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedHostNames, decide, type GateContext } from '@/lib/auth/gate';
import { hashShareToken, isShareToken, isShareViewPath, newShareToken, SHARE_TOKEN_BYTES } from '@/lib/share/token';
import { SHARE_CLIENT_HEADER, SHARE_VIEWS_PER_MINUTE, recountShareView } from '@/lib/share/view-limit';
import { config, proxy } from '@/proxy';

/**
 * Share links through the access gate (README "Share links", SECURITY.md): the
 * token's strength and storage form, the exact paths that skip the session
 * check (and nothing else), the Host and Origin rules still applying, and the
 * per-address rate limit in proxy.ts and behind it.
 */

const host = '127.0.0.1:3108';
const TOKEN = newShareToken();
const PAGE = `/s/${TOKEN}`;
const IMAGE = `/s/${TOKEN}/image`;

function request(method: string, url: string, headers: Record<string, string> = {}) {
  const u = new URL(url, `http://${host}`);
  return { method, pathname: u.pathname, search: u.search, headers: new Headers({ host, ...headers }) };
}
/** A path exactly as a client may send it (no URL normalisation), for the policy alone. */
function rawPath(method: string, pathname: string) {
  return { method, pathname, search: '', headers: new Headers({ host }) };
}
const allowedHosts = allowedHostNames(undefined, []);
const neverAsked: GateContext = {
  gateOn: true,
  allowedHosts,
  hasSession: () => {
    throw new Error('the session was asked for');
  },
};
const signedOut: GateContext = { gateOn: true, allowedHosts, hasSession: () => false };

describe('share tokens', () => {
  it('carry 256 random bits, as 43 URL-safe characters', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newShareToken));
    expect(tokens.size).toBe(1000);
    for (const token of [...tokens].slice(0, 50)) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(SHARE_TOKEN_BYTES);
      expect(isShareToken(token)).toBe(true);
    }
    expect(SHARE_TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
    // Every character position varies (no fixed prefix or counter).
    const sample = [...tokens];
    for (let i = 0; i < 42; i++) expect(new Set(sample.map((t) => t[i])).size, `position ${i}`).toBeGreaterThan(20);
  });

  it('are stored as their SHA-256 only, which does not contain them', () => {
    const hash = hashShareToken(TOKEN);
    expect(hash).toBe(createHash('sha256').update(TOKEN).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(TOKEN);
    expect(hashShareToken(newShareToken())).not.toBe(hash);
  });

  it('are recognised by shape only: nothing shorter, longer or with other characters', () => {
    for (const bad of [
      '',
      TOKEN.slice(1),
      `${TOKEN}A`,
      `${TOKEN.slice(1)}=`,
      `${TOKEN.slice(1)}.`,
      `${TOKEN.slice(1)}/`,
      `${TOKEN.slice(1)}%`,
      42,
    ]) {
      expect(isShareToken(bad), String(bad)).toBe(false);
    }
  });
});

describe('the public share paths', () => {
  it('are exactly /s/<token> and /s/<token>/image', () => {
    expect(isShareViewPath(PAGE)).toBe(true);
    expect(isShareViewPath(IMAGE)).toBe(true);
  });

  it('cannot be imitated by look-alike, traversal or encoded spellings', () => {
    for (const path of [
      '/s/',
      '/s',
      `/s/${TOKEN}/`,
      `/s/${TOKEN}/image/`,
      `/s/${TOKEN}/image/x`,
      `/s/${TOKEN}/images`,
      `/s/${TOKEN}/../../api/tasks`,
      `/s/${TOKEN}/..%2F..%2Fapi%2Ftasks`,
      `/s/${TOKEN}%2F..%2F..%2Fapi%2Ftasks`,
      `/s%2F${TOKEN}`,
      `/s/%2e%2e/api/tasks`,
      `/s//${TOKEN}`,
      `//s/${TOKEN}`,
      `/S/${TOKEN}`,
      `/s/${TOKEN}.txt`,
      `/s/${TOKEN};x`,
      `/s/${TOKEN.slice(2)}`,
      `/x/s/${TOKEN}`,
      `/api/s/${TOKEN}`,
    ]) {
      expect(isShareViewPath(path), path).toBe(false);
    }
  });

  it('are matched by proxy.ts, so the Host rule, the headers and the rate limit apply to them', () => {
    for (const url of [PAGE, IMAGE, `${IMAGE}?x=1`]) expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(true);
  });
});

describe('the gate policy for share links', () => {
  it('lets GET and HEAD of the two share paths through without asking for a session', () => {
    for (const method of ['GET', 'HEAD']) {
      expect(decide(request(method, PAGE), neverAsked)).toEqual({ kind: 'share-view' });
      expect(decide(request(method, IMAGE), neverAsked)).toEqual({ kind: 'share-view' });
    }
    expect(decide(request('GET', `${PAGE}?utm_source=chat`), neverAsked)).toEqual({ kind: 'share-view' });
    // With the gate off too: the rate limit applies either way.
    expect(decide(request('GET', PAGE), { ...signedOut, gateOn: false })).toEqual({ kind: 'share-view' });
  });

  it('keeps the Host allow-list first: a rebound name gets 421 on share paths too', () => {
    const rebound = { ...request('GET', PAGE), headers: new Headers({ host: 'rebind.evil.example:3108' }) };
    expect(decide(rebound, neverAsked)).toEqual({ kind: 'wrong-host', host: 'rebind.evil.example:3108' });
  });

  it('exempts no other method: a POST to a share path (a server action) still needs Origin and a session', () => {
    const action = { origin: `http://${host}`, 'next-action': 'abc' };
    expect(decide(request('POST', PAGE, action), signedOut)).toEqual({ kind: 'unauthorized' });
    expect(decide(request('POST', PAGE, { 'next-action': 'abc' }), signedOut)).toEqual({ kind: 'cross-origin' });
    expect(decide(request('PUT', IMAGE, { origin: `http://${host}` }), signedOut)).toEqual({ kind: 'unauthorized' });
    expect(decide(request('DELETE', IMAGE, { origin: 'https://evil.example' }), signedOut)).toEqual({ kind: 'cross-origin' });
  });

  it('still gates every other path, however it is spelled next to /s/', () => {
    // As Next hands them to the proxy: URL-normalised (dot segments resolved, %2e%2e included).
    for (const url of [
      `/s/${TOKEN}/../../api/tasks`,
      `/s/${TOKEN}/image/../../../api/tasks`,
      '/s/%2e%2e/api/tasks',
      `/s/${TOKEN}/./../../api/events`,
    ]) {
      const normalised = request('GET', url);
      expect(normalised.pathname, url).toMatch(/^\/api\//);
      expect(decide(normalised, signedOut), url).toEqual({ kind: 'unauthorized' });
    }
    // And raw, should anything skip the normalisation: never the share exemption.
    for (const path of [
      `/s/${TOKEN}/../../api/tasks`,
      `/s/${TOKEN}/..%2F..%2Fapi%2Ftasks`,
      `/s%2F..%2Fapi%2Ftasks`,
      `/s/${TOKEN}/image/..`,
      `/s/${TOKEN}/`,
      '/s/not-a-token',
    ]) {
      expect(decide(rawPath('GET', path), signedOut).kind, path).toBe('login');
    }
    expect(decide(request('GET', '/api/share-links'), signedOut)).toEqual({ kind: 'unauthorized' });
    expect(decide(request('GET', '/api/images/0b7c8a4e-1111-4222-8333-944455556666'), signedOut)).toEqual({ kind: 'unauthorized' });
    expect(decide(request('GET', '/'), signedOut)).toEqual({ kind: 'login', location: '/login' });
  });
});

describe('proxy.ts on share paths', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // The gate on: a share view must pass without any cookie. No database is touched on these paths.
    process.env.APP_PASSWORD = 'share-gate-unit-password';
    // Its own data directory: the session check creates a session-secret there (no database is opened).
    process.env.DATABASE_URL = `file:${mkdtempSync(path.join(tmpdir(), 'darkroom-share-gate-'))}/darkroom.db`;
    delete process.env.PUBLIC_BASE_URL;
    delete process.env.ALLOWED_HOSTS;
    delete process.env.TRUST_PROXY;
  });
  afterAll(() => {
    process.env = saved;
  });

  const call = (path: string, headers: Record<string, string> = {}) =>
    proxy(new NextRequest(`http://${host}${path}`, { headers: { host, 'x-forwarded-for': '198.51.100.7', ...headers } }));

  it('passes a share view without a session, with the security headers, noindex and the counted address', async () => {
    const response = await call(PAGE, { [SHARE_CLIENT_HEADER]: 'forged' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    // The header the page and the image route compare with the real address: set by the proxy, never the client's.
    expect(response.headers.get(`x-middleware-request-${SHARE_CLIENT_HEADER}`)).toBe('198.51.100.7');
  });

  it('leaves a view it cannot place (no address at all) to the count behind it, rather than one bucket for all', async () => {
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE + 5; i++) {
      const response = await proxy(new NextRequest(`http://${host}${PAGE}`, { headers: { host } }));
      expect(response.status).toBe(200);
      expect(response.headers.get(`x-middleware-request-${SHARE_CLIENT_HEADER}`)).toBeNull();
    }
  });

  it('drops a client-sent counted-address header on every other request', async () => {
    const response = await call('/login', { [SHARE_CLIENT_HEADER]: '198.51.100.7' });
    expect(response.headers.get(`x-middleware-request-${SHARE_CLIENT_HEADER}`)).toBeNull();
    expect(response.headers.get('x-middleware-override-headers') ?? '').not.toContain(SHARE_CLIENT_HEADER);
  });

  it('still sends other paths to the login page or answers 401, and refuses a wrong Host with 421', async () => {
    expect((await call('/')).status).toBe(307);
    expect((await call('/api/share-links')).status).toBe(401);
    expect((await call(`/s/${TOKEN}/../../api/tasks`)).status).toBe(401);
    const wrongHost = await proxy(new NextRequest(`http://${host}${PAGE}`, { headers: { host: 'rebind.evil.example:3108' } }));
    expect(wrongHost.status).toBe(421);
  });

  it(`answers 429 problem details after ${SHARE_VIEWS_PER_MINUTE} views a minute from one address`, async () => {
    const address = { 'x-forwarded-for': '203.0.113.50' };
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE; i++) {
      expect((await call(i % 2 ? PAGE : IMAGE, address)).status, `view ${i + 1}`).toBe(200);
    }
    const limited = await call(PAGE, address);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect((await call(IMAGE, address)).status).toBe(429);
    // Another address is counted apart.
    expect((await call(PAGE, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(200);
  });
});

describe('the recount behind proxy.ts', () => {
  it('does not count again what the proxy counted under the real address', async () => {
    const headers = new Headers({ 'x-forwarded-for': '192.0.2.10', [SHARE_CLIENT_HEADER]: '192.0.2.10' });
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE * 2; i++) expect(await recountShareView(headers)).toBeNull();
  });

  it('counts under the real address when the proxy counted a forged one, and refuses past the limit', async () => {
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE; i++) {
      // Each request claimed another address to the proxy; the real peer is the same.
      const forged = new Headers({ 'x-forwarded-for': '192.0.2.20', [SHARE_CLIENT_HEADER]: `198.51.100.${i}` });
      expect(await recountShareView(forged), `view ${i + 1}`).toBeNull();
    }
    const refused = await recountShareView(new Headers({ 'x-forwarded-for': '192.0.2.20', [SHARE_CLIENT_HEADER]: '198.51.100.250' }));
    expect(refused?.status).toBe(429);
    // Without the proxy's header at all (a request the proxy did not count): counted too.
    const uncounted = await recountShareView(new Headers({ 'x-forwarded-for': '192.0.2.20' }));
    expect(uncounted?.status).toBe(429);
  });
});
