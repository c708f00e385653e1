import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { test, expect, type Page, type Request } from '@playwright/test';
import { problemType } from '../../lib/http/problem';
import { ExtraServer } from './support/extra-server';
import { gallery, generate } from './support/fixtures';
import { actionId } from './support/raw-http';

/**
 * The access gate (APP_PASSWORD) against a production server of its own.
 * Serial: the sign-in rate limit is per client address and every request here
 * comes from 127.0.0.1, so the test that exhausts it runs last.
 */

const PASSWORD = 'gate-e2e-password-7c1d';
const server = new ExtraServer('gate', 3103, {
  APP_PASSWORD: PASSWORD,
  // Configured, so an unsigned delivery reaches the route and is refused by *its* signature check.
  FREEPIK_WEBHOOK_SECRET: 'whsec_Z2F0ZS1lMmUtd2ViaG9vay1zZWNyZXQ=',
});
const DATA_DIR = '.darkroom/e2e-gate';
const GATE_401 = { type: problemType('sign-in-required'), title: 'Sign in required', status: 401, detail: 'Sign in to Darkroom first.' };
const SOME_ID = '0b7c8a4e-1111-4222-8333-944455556666';

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: server.url });

test.beforeAll(async () => {
  server.prepare();
  await server.start();
});
test.afterAll(() => server.kill());

type Probe = { status: number; location: string | null; type: string; text: string; cacheControl: string | null };

/** One request straight to the server, never following redirects; streams are not read to the end. */
async function probe(
  path: string,
  {
    cookie,
    method = 'GET',
    headers = {},
    body,
  }: { cookie?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Probe> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    body,
    redirect: 'manual',
    signal: controller.signal,
  });
  const type = response.headers.get('content-type') ?? '';
  const text = type.includes('text/event-stream') ? '' : await response.text();
  controller.abort();
  return {
    status: response.status,
    location: response.headers.get('location'),
    type,
    text,
    cacheControl: response.headers.get('cache-control'),
  };
}

function tasksWithPrompt(fragment: string): string[] {
  const db = new Database(`${DATA_DIR}/darkroom.db`, { readonly: true });
  try {
    return (db.prepare('SELECT prompt FROM Task WHERE prompt LIKE ?').all(`%${fragment}%`) as Array<{ prompt: string }>).map(
      (r) => r.prompt,
    );
  } finally {
    db.close();
  }
}

async function signIn(page: Page, password: string) {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

const loginAlert = (page: Page) => page.getByRole('form', { name: 'Sign in' }).getByRole('alert');

async function sessionCookie(page: Page) {
  return (await page.context().cookies(server.url)).find((c) => c.name === 'darkroom_session');
}

const API_PATHS = [
  '/api/tasks',
  '/api/tasks/summary',
  '/api/boards',
  `/api/tasks/${SOME_ID}/boards`,
  '/api/spending',
  `/api/tasks/${SOME_ID}`,
  `/api/images/${SOME_ID}`,
  '/api/events',
  '/api/status',
  '/api/export',
];

test('without a session: pages go to the login page, every API answers 401', async ({ page }) => {
  const home = await probe('/');
  expect(home.status).toBe(307);
  expect(new URL(home.location!, server.url).pathname).toBe('/login');
  const deep = await probe('/?q=lighthouse');
  expect(deep.status).toBe(307);
  expect(new URL(deep.location!, server.url).searchParams.get('next')).toBe('/?q=lighthouse');

  for (const path of API_PATHS) {
    const answer = await probe(path);
    expect(answer.status, path).toBe(401);
    expect(answer.type, path).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.text), path).toEqual(GATE_401);
  }
  // /api/import is outside the proxy (it streams large bodies) and checks the session itself.
  const upload = await probe('/api/import', {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/zip' },
    body: 'PK',
  });
  expect(upload.status).toBe(401);
  expect(upload.type).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(upload.text)).toEqual(GATE_401);
  // A forged cookie is no session either.
  const forged = await probe('/api/tasks', { cookie: `darkroom_session=v1.1700000000.2700000000.${'A'.repeat(43)}` });
  expect(forged.status).toBe(401);

  // The login page itself and the build assets it needs are public.
  await page.goto('/');
  await expect(page).toHaveURL(`${server.url}/login`);
  await expect(page.getByLabel('Password')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(gallery(page)).toHaveCount(0);
  const html = (await probe('/login')).text;
  const assets = [...html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)].map((m) => m[1]);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets.slice(0, 5)) expect((await probe(asset)).status, asset).toBe(200);
});

test('the provider webhook stays reachable without a session and checks its own signature', async () => {
  const answer = await probe('/api/webhooks/freepik', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task_id: SOME_ID, status: 'COMPLETED' }),
  });
  expect(answer.location).toBeNull();
  expect(answer.status).toBe(401);
  // Refused by the route's signature check, not by the gate.
  expect(answer.type).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(answer.text)).toEqual({
    type: problemType('webhook-rejected'),
    title: 'Webhook rejected',
    status: 401,
    detail: 'missing signature headers',
  });
});

test('wrong password: an error; right password: the gallery, working APIs; sign out: back to login', async ({ page }) => {
  test.setTimeout(90_000); // includes a server restart
  await page.goto('/');
  await signIn(page, 'not-the-password');
  await expect(loginAlert(page)).toHaveText('Wrong password. 4 attempts left.');
  await expect(page).toHaveURL(`${server.url}/login`);
  expect(await sessionCookie(page)).toBeUndefined();

  await signIn(page, PASSWORD);
  await expect(page).toHaveURL(`${server.url}/`);
  await expect(gallery(page)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Prompt' })).toBeVisible();

  const cookie = await sessionCookie(page);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
  const days = (cookie!.expires * 1000 - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThanOrEqual(30);
  const header = `darkroom_session=${cookie!.value}`;

  const expected: Record<string, number[]> = {
    '/api/tasks': [200],
    '/api/tasks/summary': [200],
    '/api/boards': [200],
    [`/api/tasks/${SOME_ID}/boards`]: [404],
    '/api/spending': [200],
    [`/api/tasks/${SOME_ID}`]: [404],
    [`/api/images/${SOME_ID}`]: [404],
    '/api/events': [200],
    '/api/status': [200],
    '/api/export': [200, 404], // 404 until the export route lands
  };
  for (const path of API_PATHS) {
    const answer = await probe(path, { cookie: header });
    expect(expected[path], path).toContain(answer.status);
  }
  expect((await probe('/api/events', { cookie: header })).type).toContain('text/event-stream');
  const upload = await probe('/api/import', {
    method: 'POST',
    cookie: header,
    headers: { origin: server.url, 'content-type': 'application/zip' },
    body: 'PK',
  });
  expect(upload.status).not.toBe(401); // past the gate: the route now judges the (non-zip) body
  expect(upload.status).toBeLessThan(500);
  expect((await probe('/', { cookie: header })).status).toBe(200);
  // Tampering with the signature, or the expiry, ends the session.
  const [v, id, iat, exp, sig] = cookie!.value.split('.');
  expect((await probe('/api/tasks', { cookie: `darkroom_session=${v}.${id}.${iat}.${exp}.${sig.slice(0, -2)}AA` })).status).toBe(401);
  expect((await probe('/api/tasks', { cookie: `darkroom_session=${v}.${id}.${iat}.${Number(exp) + 86400}.${sig}` })).status).toBe(401);

  // The secret behind the cookie is private to the server's user and survives a restart, so the session does too.
  expect(statSync(`${DATA_DIR}/session-secret`).mode & 0o777).toBe(0o600);
  server.kill('SIGKILL');
  await expect
    .poll(() =>
      fetch(`${server.url}/login`).then(
        () => 'up',
        () => 'down',
      ),
    )
    .toBe('down');
  await server.start();
  expect((await probe('/api/tasks', { cookie: header })).status).toBe(200);

  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The session is revoked at once, so a gallery poll racing the sign-out may get its 401 first and send
  // the page to the login page with `next=/` — the login page either way.
  await expect(page).toHaveURL(new RegExp(`^${server.url}/login(\\?next=%2F)?$`));
  expect(await sessionCookie(page)).toBeUndefined();
  expect((await page.request.get('/api/tasks')).status()).toBe(401);
  // Sign out is revocation: a copy of the cookie taken before is refused too.
  expect((await probe('/api/tasks', { cookie: header })).status).toBe(401);
  expect((await probe('/', { cookie: header })).status).toBe(307);

  // Signing in again returns to where the person was going.
  await page.goto('/?q=after-sign-in');
  await expect(page).toHaveURL(`${server.url}/login?next=${encodeURIComponent('/?q=after-sign-in')}`);
  await signIn(page, PASSWORD);
  await expect(page).toHaveURL(`${server.url}/?q=after-sign-in`);
  await expect(gallery(page)).toBeVisible();
});

test('server actions need a session and a same-origin caller; without them they are refused, not run', async ({ page }) => {
  const tag = `gate${Date.now().toString(36)}`;
  await page.goto('/');
  await signIn(page, PASSWORD);
  await expect(gallery(page)).toBeVisible();

  // Capture a real server-action call (Generate) to replay it by hand.
  const actionCall = page.waitForRequest((r: Request) => r.method() === 'POST' && !!r.headers()['next-action']);
  await generate(page, `${tag} legit`);
  const call = await actionCall;
  const body = call.postData() ?? '';
  expect(body).toContain(`${tag} legit`);
  const headers = Object.fromEntries(
    Object.entries(await call.allHeaders()).filter(
      ([name]) => !name.startsWith(':') && !['cookie', 'host', 'content-length', 'connection', 'accept-encoding'].includes(name),
    ),
  );
  expect(headers['next-action']).toMatch(/^[0-9a-f]{20,}$/);
  expect(headers.origin).toBe(server.url);
  const replay = (prompt: string) =>
    body.replace(`${tag} legit`, prompt).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, () => randomUUID());
  const cookie = `darkroom_session=${(await sessionCookie(page))!.value}`;

  // Control: the replay is a faithful call — with the session it does create a task.
  const control = await probe('/', { method: 'POST', cookie, headers, body: replay(`${tag} replayed`) });
  expect(control.status).toBe(200);
  await expect.poll(() => tasksWithPrompt(`${tag} replayed`)).toHaveLength(1);

  // No session: refused by the gate.
  const anonymous = await probe('/', { method: 'POST', headers, body: replay(`${tag} anonymous`) });
  expect(anonymous.status).toBe(401);
  expect(JSON.parse(anonymous.text)).toEqual(GATE_401);
  // No session, posted to the public login page: Next forwards an action the page does not own to the page
  // that does, over HTTP, through the proxy again, which refuses it (Next then answers `{}`, not an action result).
  const viaLogin = await probe('/login', { method: 'POST', headers, body: replay(`${tag} via login`) });
  expect(viaLogin.type).not.toContain('text/x-component');
  // A session, but sent from another site, or with no Origin at all.
  const crossSite = await probe('/', {
    method: 'POST',
    cookie,
    headers: { ...headers, origin: 'https://evil.example' },
    body: replay(`${tag} cross site`),
  });
  expect(crossSite.status).toBe(403);
  const withoutOrigin = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'origin'));
  const noOrigin = await probe('/', { method: 'POST', cookie, headers: withoutOrigin, body: replay(`${tag} no origin`) });
  expect(noOrigin.status).toBe(403);

  // Give anything that slipped through time to land, then check nothing did.
  await page.waitForTimeout(1_000);
  expect(tasksWithPrompt(tag).sort()).toEqual([`${tag} legit`, `${tag} replayed`]);

  // Route handlers and the sign-in action check Origin too.
  expect((await probe('/api/tasks', { method: 'POST', cookie, headers: { origin: 'https://evil.example' } })).status).toBe(403);
  const crossSiteLogin = await probe('/login', {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: `password=${PASSWORD}`,
  });
  expect(crossSiteLogin.status).toBe(403);
});

test('deleting the session secret signs everyone out at once, without a restart', async ({ page }) => {
  await page.goto('/');
  await signIn(page, PASSWORD);
  await expect(gallery(page)).toBeVisible();
  const header = `darkroom_session=${(await sessionCookie(page))!.value}`;
  expect((await probe('/api/tasks', { cookie: header })).status).toBe(200);
  // Leave the gallery first: its next poll would get the 401 and navigate by itself, racing ours below.
  await page.goto('about:blank');
  rmSync(`${DATA_DIR}/session-secret`);
  expect((await probe('/api/tasks', { cookie: header })).status).toBe(401);
  expect((await probe('/', { cookie: header })).status).toBe(307);
  // Signing in again works (a new secret was made).
  await page.goto('/');
  await signIn(page, PASSWORD);
  await expect(gallery(page)).toBeVisible();
});

test('after sign-in, `next` never leads off-site, however it is spelled', async ({ page }) => {
  await page.goto('/');
  await signIn(page, PASSWORD);
  await expect(gallery(page)).toBeVisible();
  const cookie = `darkroom_session=${(await sessionCookie(page))!.value}`;
  for (const attack of ['/.//evil.example/x', '/a/..//evil.example', '/%2e//evil.example', '/./\\evil.example']) {
    const answer = await probe(`/login?next=${encodeURIComponent(attack)}`, { cookie });
    expect(answer.status, attack).toBe(307);
    expect(new URL(answer.location!, server.url).origin, attack).toBe(server.url);
    expect(answer.location!.startsWith('//') || answer.location!.startsWith('/\\'), attack).toBe(false);
  }
  // The browser, signing in with such a link, stays here.
  await page.context().clearCookies();
  await page.goto(`/login?next=${encodeURIComponent('/.//evil.example/x')}`);
  await signIn(page, PASSWORD);
  await expect(gallery(page)).toBeVisible();
  expect(new URL(page.url()).origin).toBe(server.url);
});

test('an anonymous POST to /login carrying another action is refused cleanly, and runs nothing', async () => {
  const tag = `foreign${Date.now().toString(36)}`;
  const generate = actionId('app/actions.ts', 'generateAction');
  const headers = { origin: server.url, 'next-action': generate, 'content-type': 'text/plain;charset=UTF-8' };
  for (let i = 0; i < 20; i++) {
    const answer = await probe('/login', {
      method: 'POST',
      headers,
      body: JSON.stringify([{ prompt: `${tag} ${i}`, ratio: '1024:1024', seed: '' }]),
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toEqual(GATE_401);
  }
  // The sign-in action itself still works anonymously (the page's own form).
  const signInId = actionId('app/login/actions.ts', 'signInAction');
  expect(signInId).not.toBe(generate);
  await new Promise((r) => setTimeout(r, 500));
  expect(tasksWithPrompt(tag)).toEqual([]);
  expect(readFileSync(server.logFile, 'utf8')).not.toMatch(/uncaughtException|Error: aborted/);
});

test('pictures are private to caches behind the password', async ({ page }) => {
  await page.goto('/');
  await signIn(page, PASSWORD);
  await expect(gallery(page)).toBeVisible();
  const tag = `private${Date.now().toString(36)}`;
  await generate(page, `${tag} harbour`);
  const image = gallery(page).getByRole('listitem').filter({ hasText: tag }).getByRole('img');
  await expect(image).toBeVisible({ timeout: 20_000 });
  const cookie = `darkroom_session=${(await sessionCookie(page))!.value}`;
  const src = (await image.getAttribute('src'))!;
  const picture = await probe(new URL(src, server.url).pathname, { cookie });
  expect(picture.status).toBe(200);
  expect(picture.cacheControl).toBe('private, max-age=31536000, immutable');
});

function savedDailyLimit(): number | null | undefined {
  const db = new Database(`${DATA_DIR}/darkroom.db`, { readonly: true });
  try {
    const row = db.prepare("SELECT dailyLimit FROM SpendingLimit WHERE id = 'limits'").get() as { dailyLimit: number | null } | undefined;
    return row ? row.dailyLimit : undefined;
  } finally {
    db.close();
  }
}

test('Settings: the page needs a session, and its limits action a session and Darkroom’s own origin', async ({ page }) => {
  // Signed out: the page sends to the login page (and back), its data is 401 like every API.
  const anonymous = await probe('/settings');
  expect(anonymous.status).toBe(307);
  expect(new URL(anonymous.location!, server.url).searchParams.get('next')).toBe('/settings');
  expect((await probe('/api/spending')).status).toBe(401);

  await page.goto('/settings');
  await signIn(page, PASSWORD);
  await expect(page).toHaveURL(`${server.url}/settings`);
  const form = page.getByRole('form', { name: 'Spending limits' });
  await expect(form.getByLabel('Daily limit')).toHaveValue('');
  await expect(form.getByLabel('Monthly limit')).toHaveValue('');

  // Save a limit through the page, capturing the action call to replay it by hand.
  const actionCall = page.waitForRequest((r: Request) => r.method() === 'POST' && !!r.headers()['next-action']);
  await form.getByLabel('Daily limit').fill('500');
  await form.getByRole('button', { name: 'Save limits' }).click();
  const call = await actionCall;
  await expect(form.getByRole('status')).toHaveText('Limits saved.');
  expect(savedDailyLimit()).toBe(500);
  await form.getByRole('button', { name: "Use the environment's values" }).click();
  await expect(form.getByRole('status')).toHaveText('The limits now come from the environment (DAILY_LIMIT, MONTHLY_LIMIT).');
  expect(savedDailyLimit()).toBeUndefined();

  const body = call.postData() ?? '';
  expect(body).toContain('500');
  const headers = Object.fromEntries(
    Object.entries(await call.allHeaders()).filter(
      ([name]) => !name.startsWith(':') && !['cookie', 'host', 'content-length', 'connection', 'accept-encoding'].includes(name),
    ),
  );
  expect(headers.origin).toBe(server.url);
  const cookie = `darkroom_session=${(await sessionCookie(page))!.value}`;
  // No session: refused by the gate, not run.
  const noSession = await probe('/settings', { method: 'POST', headers, body });
  expect(noSession.status).toBe(401);
  expect(JSON.parse(noSession.text)).toEqual(GATE_401);
  // A session, but sent from another site.
  const crossSite = await probe('/settings', { method: 'POST', cookie, headers: { ...headers, origin: 'https://evil.example' }, body });
  expect(crossSite.status).toBe(403);
  await page.waitForTimeout(500);
  expect(savedDailyLimit()).toBeUndefined();
  // Control: the same call with the session, from here, does save (so the refusals above were the gate's).
  expect((await probe('/settings', { method: 'POST', cookie, headers, body })).status).toBe(200);
  expect(savedDailyLimit()).toBe(500);
  await page.reload();
  await page.getByRole('form', { name: 'Spending limits' }).getByRole('button', { name: "Use the environment's values" }).click();
  await expect.poll(savedDailyLimit).toBeUndefined();
});

test('sign-in attempts are rate-limited per client address, which a client cannot choose', async ({ page }) => {
  await page.goto('/login');
  // Each attempt claims another address; the server counts the real one (127.0.0.1) anyway.
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': `198.51.100.${attempt}` });
    await signIn(page, `wrong-password-${attempt}`);
    const left = 5 - attempt;
    await expect(loginAlert(page)).toHaveText(
      left === 0
        ? /^Wrong password\. Too many attempts, try again in \d+ s\.$/
        : `Wrong password. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`,
    );
  }
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.77' });
  await signIn(page, 'wrong-password-6');
  await expect(loginAlert(page)).toHaveText(/^Too many attempts, try again in \d+ s\.$/);
  const seconds = Number((await loginAlert(page).textContent())!.match(/(\d+) s/)![1]);
  expect(seconds).toBeGreaterThan(200);
  expect(seconds).toBeLessThanOrEqual(300);

  // While limited, even the right password is not accepted.
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
  await signIn(page, PASSWORD);
  await answered;
  await expect(loginAlert(page)).toHaveText(/^Too many attempts, try again in \d+ s\.$/);
  await expect(page).toHaveURL(/\/login$/);
  expect(await sessionCookie(page)).toBeUndefined();
});
