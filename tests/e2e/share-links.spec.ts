import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { test, expect, type Page } from '@playwright/test';
import { problemType } from '../../lib/http/problem';
import { ExtraServer } from './support/extra-server';
import { expectCompleted, gallery, generate } from './support/fixtures';
import { actionId, rawRequest } from './support/raw-http';

/**
 * Share links (README "Share links", SECURITY.md) against a production server
 * of their own with the password gate on: a link made in the viewer opens in a
 * browser without a session and shows that one picture (its prompt only when
 * chosen) with Open Graph tags; only the token's hash is stored; every other
 * route still needs a session, however the path is spelled next to /s/; the
 * picture is private to caches unless chosen, never immutable; a wrong Host
 * gets 421; revoked, expired, unknown and trashed links get the same 404; the
 * rate limit answers 429 and cannot be dodged with X-Forwarded-For.
 *
 * Needs the integration: the viewer's **Share** button opening
 * components/share-dialog.tsx (which also puts app/share/actions.ts in the
 * build, so its action ids exist). Serial: every share request here comes from
 * 127.0.0.1, one rate-limit bucket (60 a minute), so the test that exhausts it
 * runs last and the ones before stay well under it.
 */

const PASSWORD = 'share-e2e-password-4b2a';
const server = new ExtraServer('share', 3108, { APP_PASSWORD: PASSWORD });
const DATA_DIR = '.darkroom/e2e-share';
const PORT = server.port;
const TOKEN_IN_URL = /\/s\/([A-Za-z0-9_-]{43})$/;
const GATE_401 = { type: problemType('sign-in-required'), title: 'Sign in required', status: 401, detail: 'Sign in to Darkroom first.' };

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: server.url });

test.beforeAll(async () => {
  server.prepare();
  await server.start();
});
test.afterAll(() => server.kill());

type Probe = { status: number; headers: Headers; text: string };

/** One request straight to the server, never following redirects. */
async function probe(path: string, { cookie, headers = {} }: { cookie?: string; headers?: Record<string, string> } = {}): Promise<Probe> {
  const response = await fetch(`${server.url}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers }, redirect: 'manual' });
  const type = response.headers.get('content-type') ?? '';
  const text = type.startsWith('image/') || type.includes('text/event-stream') ? '' : await response.text();
  return { status: response.status, headers: response.headers, text };
}

function sql<T>(query: string, ...params: unknown[]): T[] {
  const db = new Database(`${DATA_DIR}/darkroom.db`);
  try {
    const statement = db.prepare(query);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
  } finally {
    db.close();
  }
}

const taskIdOf = (prompt: string) => sql<{ id: string }>('SELECT id FROM Task WHERE prompt = ?', prompt)[0].id;

async function signIn(page: Page) {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(gallery(page)).toBeVisible();
  const cookie = (await page.context().cookies(server.url)).find((c) => c.name === 'darkroom_session');
  return `darkroom_session=${cookie!.value}`;
}

async function picture(page: Page, prompt: string) {
  await generate(page, prompt);
  await expectCompleted(page, prompt, 20_000);
  return taskIdOf(prompt);
}

/** Calls a server action as the studio does (same origin, with the session); returns the RSC answer's text. */
async function callAction(cookie: string, name: 'createShareLinkAction' | 'revokeShareLinkAction', args: unknown[]) {
  const response = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: {
      cookie,
      origin: server.url,
      'next-action': actionId('app/share/actions.ts', name),
      'content-type': 'text/plain;charset=UTF-8',
    },
    body: JSON.stringify(args),
  });
  expect(response.status).toBe(200);
  return response.text();
}

type Options = { expiry: '1d' | '7d' | 'never'; showPrompt: boolean; publicCache: boolean };

/** Makes a link through the server action; returns its token. */
async function shareLink(cookie: string, taskId: string, options: Partial<Options> = {}) {
  const answer = await callAction(cookie, 'createShareLinkAction', [
    taskId,
    { expiry: '7d', showPrompt: false, publicCache: false, ...options },
  ]);
  const url = /"url":"([^"]+)"/.exec(answer)?.[1];
  expect(url, answer).toMatch(new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{43}$`));
  return TOKEN_IN_URL.exec(url!)![1];
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

let cookie = '';
let sharedId = '';
let otherId = '';
let tag = '';

test('a link made in the viewer opens without a session and shows that picture, its prompt only when chosen', async ({ page, browser }) => {
  tag = `share${Date.now().toString(36)}`;
  cookie = await signIn(page);
  otherId = await picture(page, `${tag} secret orchard never shared`);
  sharedId = await picture(page, `${tag} lighthouse in violet fog`);

  await page.goto(`/?picture=${sharedId}`);
  await page.getByRole('dialog').getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share picture' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: 'Never' }).check();
  await dialog.getByRole('checkbox', { name: 'Show the prompt' }).check();
  await expect(dialog.getByRole('checkbox', { name: 'Allow public caching' })).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const field = dialog.getByRole('textbox', { name: 'Share link' });
  await expect(field).toHaveValue(new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{43}$`));
  await expect(field).toHaveJSProperty('readOnly', true);
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  const url = await field.inputValue();
  const token = TOKEN_IN_URL.exec(url)![1];

  // Only the hash is stored: the token is in no row and nowhere in the database files.
  const rows = sql<{ tokenHash: string; taskId: string; showPrompt: number; expiresAt: string | null }>('SELECT * FROM ShareLink');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ tokenHash: hashOf(token), taskId: sharedId, showPrompt: 1, expiresAt: null });
  expect(JSON.stringify(rows)).not.toContain(token);
  for (const file of ['darkroom.db', 'darkroom.db-wal']) {
    const path = `${DATA_DIR}/${file}`;
    if (existsSync(path)) expect(readFileSync(path).includes(token), file).toBe(false);
  }

  // Someone else, in a browser that never signed in.
  const stranger = await browser.newContext({ baseURL: server.url });
  try {
    const view = await stranger.newPage();
    const answer = await view.goto(url);
    expect(answer?.status()).toBe(200);
    const shown = view.getByRole('img', { name: `${tag} lighthouse in violet fog` });
    await expect(shown).toBeVisible();
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1920);
    expect(await shown.getAttribute('src')).toBe(`/s/${token}/image`);
    await expect(view.getByText(`${tag} lighthouse in violet fog`, { exact: true })).toBeVisible();
    await expect(view.getByText('Made with Darkroom')).toBeVisible();
    await expect(view.getByText(/1920 × 1080/)).toBeVisible();
    await expect(view.getByText('secret orchard')).toHaveCount(0);
    await expect(view.getByRole('textbox', { name: 'Prompt' })).toHaveCount(0);
    await expect(view.getByRole('region', { name: 'Gallery' })).toHaveCount(0);
    expect(await stranger.cookies()).toEqual([]);
  } finally {
    await stranger.close();
  }
});

test('without a session only the share paths answer; every other route, however spelled, still needs one', async () => {
  const token = await shareLink(cookie, sharedId);
  expect((await probe(`/s/${token}`)).status).toBe(200);
  expect((await probe(`/s/${token}/image`)).status).toBe(200);

  for (const path of [
    '/api/tasks',
    '/api/tasks/summary',
    `/api/images/${sharedId}`,
    `/api/images/${sharedId}?w=320`,
    '/api/share-links',
    '/api/export',
  ]) {
    const answer = await probe(path);
    expect(answer.status, path).toBe(401);
    expect(JSON.parse(answer.text), path).toEqual(GATE_401);
  }
  expect((await probe('/')).status).toBe(307);
  expect((await probe(`/?picture=${sharedId}`)).status).toBe(307);

  // Raw paths, sent as written (fetch would normalise them first).
  for (const path of [
    `/s/${token}/../../api/tasks`,
    `/s/${token}/image/../../../api/tasks`,
    `/s/%2e%2e/api/tasks`,
    `/s/${token}/..%2F..%2Fapi%2Ftasks`,
    `/s%2F..%2Fapi%2Ftasks`,
    `/s/${token}%2F..%2F..%2Fapi%2Ftasks`,
    `/s/${token}/image/..%2F..%2F..%2Fapi%2Fimages%2F${sharedId}`,
  ]) {
    const answer = await rawRequest(PORT, { path, headers: { host: `127.0.0.1:${PORT}` } });
    expect([307, 308, 401, 404], path).toContain(answer.status);
    expect(answer.text, path).not.toContain(`${tag} lighthouse`);
    expect(answer.text, path).not.toContain('"tasks"');
    expect(answer.headers['content-type'] ?? '', path).not.toMatch(/^image\//);
  }

  // A server action posted to a share path is not a share view: refused without a session, and nothing runs.
  const generate = actionId('app/actions.ts', 'generateAction');
  const posted = await rawRequest(PORT, {
    method: 'POST',
    path: `/s/${token}`,
    headers: { host: `127.0.0.1:${PORT}`, origin: server.url, 'next-action': generate, 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify([{ prompt: `${tag} posted to share`, ratio: '1024:1024', seed: '' }, crypto.randomUUID()]),
  });
  expect(posted.status).toBe(401);
  await new Promise((r) => setTimeout(r, 500));
  expect(sql('SELECT id FROM Task WHERE prompt = ?', `${tag} posted to share`)).toEqual([]);
});

test('the page: only that picture, Open Graph tags with absolute URLs, noindex, the security headers', async () => {
  const token = await shareLink(cookie, sharedId);
  // A link preview fetcher (metadata always in <head> for bots).
  const page = await probe(`/s/${token}`, { headers: { 'user-agent': 'facebookexternalhit/1.1' } });
  expect(page.status).toBe(200);
  const meta = (property: string) => new RegExp(`<meta property="${property}" content="([^"]*)"`).exec(page.text)?.[1];
  expect(meta('og:image')).toBe(`${server.url}/s/${token}/image`);
  expect(meta('og:image:width')).toBe('1920');
  expect(meta('og:image:height')).toBe('1080');
  expect(meta('og:type')).toBe('website');
  expect(meta('og:title')).toBe('A picture made with Darkroom');
  expect(meta('og:description')).toContain('1920 × 1080');
  expect(meta('og:url')).toBe(`${server.url}/s/${token}`);
  expect(page.text).toMatch(/<meta name="robots" content="noindex, nofollow"/);
  expect(page.headers.get('x-robots-tag')).toContain('noindex');
  expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(page.headers.get('cache-control')).toMatch(/no-store/);
  // Nothing of the studio: not this prompt (not chosen), no other prompt, no task id, no API URL.
  for (const absent of [`${tag} lighthouse`, `${tag} secret orchard`, sharedId, otherId, '/api/'])
    expect(page.text, absent).not.toContain(absent);
  expect(page.text.match(/<img /g)).toHaveLength(1);
  // An ordinary browser gets the same tags (wherever Next streams them).
  const plain = await probe(`/s/${token}`);
  expect(plain.text).toContain(`content="${server.url}/s/${token}/image"`);
});

test('the picture is private to caches unless chosen, never immutable, and its file name hides the prompt', async () => {
  const sha = sql<{ sha256: string }>('SELECT sha256 FROM Image WHERE taskId = ?', sharedId)[0].sha256;
  const privateToken = await shareLink(cookie, sharedId);
  const image = await probe(`/s/${privateToken}/image`);
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toBe('image/png');
  expect(image.headers.get('cache-control')).toBe('private, max-age=300');
  expect(image.headers.get('etag')).toBe(`"${sha}"`);
  expect(image.headers.get('x-robots-tag')).toContain('noindex');
  expect(image.headers.get('content-disposition')).toBe('inline; filename="darkroom-picture.png"');

  const publicToken = await shareLink(cookie, sharedId, { publicCache: true });
  const cached = await probe(`/s/${publicToken}/image`);
  expect(cached.headers.get('cache-control')).toBe('public, max-age=300');
  expect(cached.headers.get('cache-control')).not.toContain('immutable');
  const revalidated = await probe(`/s/${publicToken}/image`, { headers: { 'if-none-match': `"${sha}"` } });
  expect(revalidated.status).toBe(304);
});

test('a wrong Host gets 421 on the share paths too', async () => {
  // Refused before anything else is looked at: a live link and an unknown one alike.
  const live = await shareLink(cookie, sharedId);
  for (const path of [`/s/${live}`, `/s/${live}/image`, `/s/${'B'.repeat(43)}`]) {
    const answer = await rawRequest(PORT, { path, headers: { host: `rebind.evil.example:${PORT}` } });
    expect(answer.status, path).toBe(421);
    expect(JSON.parse(answer.text), path).toMatchObject({ type: problemType('wrong-host'), status: 421 });
  }
});

test('revoked, expired, unknown and trashed links get the very same 404', async ({ page }) => {
  const doomedId = await (async () => {
    await page.context().addCookies([{ name: 'darkroom_session', value: cookie.slice('darkroom_session='.length), url: server.url }]);
    await page.goto('/');
    return picture(page, `${tag} doomed dune`);
  })();
  const revoked = await shareLink(cookie, sharedId);
  const expired = await shareLink(cookie, sharedId, { expiry: '1d' });
  const trashed = await shareLink(cookie, doomedId);
  const unknown = 'A'.repeat(43);

  const linkId = sql<{ id: string }>('SELECT id FROM ShareLink WHERE tokenHash = ?', hashOf(revoked))[0].id;
  expect(await callAction(cookie, 'revokeShareLinkAction', [linkId])).toContain('"ok":true');
  sql('UPDATE ShareLink SET expiresAt = ? WHERE tokenHash = ?', '2020-01-01T00:00:00.000+00:00', hashOf(expired));
  sql('UPDATE Task SET deletedAt = ? WHERE id = ?', new Date().toISOString().replace('Z', '+00:00'), doomedId);

  // The per-response nonce (from the CSP header) appears in attributes and in the RSC payload alike.
  const normalise = (answer: Probe, token: string) => {
    const nonce = /'nonce-([^']+)'/.exec(answer.headers.get('content-security-policy') ?? '')?.[1];
    const text = answer.text.replaceAll(token, '<token>');
    return (nonce ? text.replaceAll(nonce, '<nonce>') : text).replace(/nonce="[^"]*"/g, 'nonce=""');
  };
  const pages: string[] = [];
  const images: string[] = [];
  for (const token of [revoked, expired, unknown, trashed]) {
    const answer = await probe(`/s/${token}`);
    expect(answer.status, token).toBe(404);
    expect(answer.text).not.toMatch(/revoked|expired|trash|doomed|lighthouse/i);
    pages.push(normalise(answer, token));
    const image = await probe(`/s/${token}/image`);
    expect(image.status).toBe(404);
    images.push(`${image.headers.get('content-type')} ${image.headers.get('cache-control')} ${image.text}`);
  }
  for (const other of pages.slice(1)) expect(other).toBe(pages[0]);
  for (const other of images.slice(1)) expect(other).toBe(images[0]);
  expect(pages[0]).toContain('Not found');
});

test('views are rate-limited per client address: 429, and X-Forwarded-For does not buy more', async () => {
  const token = await shareLink(cookie, sharedId);
  let status = 0;
  let sent = 0;
  // Earlier tests used some of this address's 60 a minute; at most 61 more reach the limit.
  while (sent < 61 && status !== 429) {
    status = (await probe(`/s/${token}/image`)).status;
    sent++;
  }
  expect(status).toBe(429);
  const refused = await probe(`/s/${token}`);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(JSON.parse(refused.text)).toMatchObject({ status: 429, title: 'Too Many Requests' });
  // Claiming another address gets past the proxy's count but not the route's, which sees the real one.
  const forged = await probe(`/s/${token}/image`, { headers: { 'x-forwarded-for': '203.0.113.99' } });
  expect(forged.status).toBe(429);
  const forgedPage = await probe(`/s/${token}`, { headers: { 'x-forwarded-for': '203.0.113.98' } });
  expect(forgedPage.status).toBe(404);
});
