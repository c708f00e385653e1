import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedHostNames, decide, type GateContext } from '@/lib/auth/gate';
import {
  hashShareToken,
  isBoardPicturePath,
  isShareTaskId,
  isShareToken,
  isShareViewPath,
  newShareToken,
  SHARE_TOKEN_BYTES,
} from '@/lib/share/token';
import {
  BOARD_PICTURES_PER_MINUTE,
  boardPictureLimiter,
  recountShareView,
  SHARE_CLIENT_HEADER,
  SHARE_VIEWS_PER_MINUTE,
  shareLimiterFor,
  shareViewLimiter,
} from '@/lib/share/view-limit';
import { config, proxy } from '@/proxy';

/**
 * Share links through the access gate (README "Share links", SECURITY.md): the
 * token's strength and storage form, the exact paths that skip the session
 * check (and nothing else) — a shared board's pictures included — the Host and
 * Origin rules still applying, and the per-address rate limit (its two
 * buckets) in proxy.ts and behind it.
 */

const host = '127.0.0.1:3108';
const TOKEN = newShareToken();
const PAGE = `/s/${TOKEN}`;
const IMAGE = `/s/${TOKEN}/image`;
/** One picture of a shared board. */
const TASK = randomUUID();
const BOARD_PICTURE = `/s/${TOKEN}/image/${TASK}`;

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
  it('are exactly /s/<token>, /s/<token>/image and /s/<token>/image/<task id>', () => {
    expect(isShareViewPath(PAGE)).toBe(true);
    expect(isShareViewPath(IMAGE)).toBe(true);
    expect(isShareViewPath(BOARD_PICTURE)).toBe(true);
    // Only the last is a board picture (its own rate-limit bucket).
    expect([PAGE, IMAGE, BOARD_PICTURE].map(isBoardPicturePath)).toEqual([false, false, true]);
    expect(isShareTaskId(TASK)).toBe(true);
    for (const bad of [TASK.toUpperCase(), TASK.slice(1), `${TASK}0`, TASK.replaceAll('-', ''), `{${TASK}}`, 42]) {
      expect(isShareTaskId(bad), String(bad)).toBe(false);
    }
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
      // Board pictures: a task id as Darkroom writes them, exactly, and nothing after it.
      `/s/${TOKEN}/image/${TASK}/`,
      `/s/${TOKEN}/image/${TASK}/x`,
      `/s/${TOKEN}/image/${TASK}.png`,
      `/s/${TOKEN}/image/${TASK}/..`,
      `/s/${TOKEN}/image/${TASK}/../../../api/tasks`,
      `/s/${TOKEN}/image/${TASK}%2F..%2F..%2Fapi%2Ftasks`,
      `/s/${TOKEN}/image/..%2F${TASK}`,
      `/s/${TOKEN}/image/${TASK.toUpperCase()}`,
      `/s/${TOKEN}/image/${TASK.slice(1)}`,
      `/s/${TOKEN}/image/${TASK.replaceAll('-', '')}`,
      `/s/${TOKEN}/image//${TASK}`,
      `/s/${TOKEN}/image/${TASK}/${TASK}`,
      `/s/${TOKEN}/${TASK}`,
      `/s/${TOKEN}/images/${TASK}`,
      `/s/${TASK}/image/${TOKEN}`,
    ]) {
      expect(isShareViewPath(path), path).toBe(false);
      expect(isBoardPicturePath(path), path).toBe(false);
    }
  });

  it('are matched by proxy.ts, so the Host rule, the headers and the rate limit apply to them', () => {
    for (const url of [PAGE, IMAGE, `${IMAGE}?x=1`, BOARD_PICTURE, `${BOARD_PICTURE}?w=320`]) {
      expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(true);
    }
  });
});

describe('the gate policy for share links', () => {
  it('lets GET and HEAD of the share paths through without asking for a session', () => {
    for (const method of ['GET', 'HEAD']) {
      expect(decide(request(method, PAGE), neverAsked)).toEqual({ kind: 'share-view' });
      expect(decide(request(method, IMAGE), neverAsked)).toEqual({ kind: 'share-view' });
      expect(decide(request(method, BOARD_PICTURE), neverAsked)).toEqual({ kind: 'share-view' });
    }
    expect(decide(request('GET', `${BOARD_PICTURE}?w=320`), neverAsked)).toEqual({ kind: 'share-view' });
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
    expect(decide(request('POST', BOARD_PICTURE, action), signedOut)).toEqual({ kind: 'unauthorized' });
  });

  it('still gates every other path, however it is spelled next to /s/', () => {
    // As Next hands them to the proxy: URL-normalised (dot segments resolved, %2e%2e included).
    for (const url of [
      `/s/${TOKEN}/../../api/tasks`,
      `/s/${TOKEN}/image/../../../api/tasks`,
      '/s/%2e%2e/api/tasks',
      `/s/${TOKEN}/./../../api/events`,
      `/s/${TOKEN}/image/${TASK}/../../../../api/tasks`,
      `/s/${TOKEN}/image/${TASK}/../../../../api/images/${TASK}`,
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
      `/s/${TOKEN}/image/${TASK}/..`,
      `/s/${TOKEN}/image/${TASK}%2F..%2F..%2F..%2Fapi%2Fimages`,
      `/s/${TOKEN}/image/${TASK.toUpperCase()}`,
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

  it('passes a board picture without a session too, with the same headers', async () => {
    const response = await call(`${BOARD_PICTURE}?w=320`, { 'x-forwarded-for': '198.51.100.8' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get(`x-middleware-request-${SHARE_CLIENT_HEADER}`)).toBe('198.51.100.8');
  });

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

  it(`counts a shared board's pictures in a bucket of their own: ${BOARD_PICTURES_PER_MINUTE} a minute, pages unaffected`, async () => {
    expect(BOARD_PICTURES_PER_MINUTE).toBeGreaterThanOrEqual(SHARE_VIEWS_PER_MINUTE);
    expect(shareLimiterFor(BOARD_PICTURE)).toBe(boardPictureLimiter());
    for (const path of [PAGE, IMAGE]) expect(shareLimiterFor(path)).toBe(shareViewLimiter());
    // A board page's thumbnails, well past the page bucket: all pass, and the page still opens.
    const address = { 'x-forwarded-for': '203.0.113.60' };
    for (let i = 0; i < BOARD_PICTURES_PER_MINUTE; i++) {
      const response = await call(`/s/${TOKEN}/image/${randomUUID()}?w=320`, address);
      if (response.status !== 200) throw new Error(`board picture ${i + 1} answered ${response.status}`);
    }
    expect((await call(PAGE, address)).status).toBe(200);
    const refused = await call(BOARD_PICTURE, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // And the other way round: a spent page bucket leaves board pictures alone.
    const other = { 'x-forwarded-for': '203.0.113.61' };
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE; i++) expect((await call(PAGE, other)).status).toBe(200);
    expect((await call(IMAGE, other)).status).toBe(429);
    expect((await call(BOARD_PICTURE, other)).status).toBe(200);
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

  it('counts a board picture in the bucket it is given: the board-picture one', async () => {
    const forged = (i: number) => new Headers({ 'x-forwarded-for': '192.0.2.30', [SHARE_CLIENT_HEADER]: `198.51.100.${i % 250}` });
    // Past the page bucket's limit, in the board-picture bucket: allowed.
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE + 10; i++) expect(await recountShareView(forged(i), boardPictureLimiter())).toBeNull();
    // The page bucket for the same real address is untouched.
    expect(await recountShareView(forged(0))).toBeNull();
  });
});
