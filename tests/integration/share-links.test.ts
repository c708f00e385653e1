import { createHash } from 'node:crypto';
import { SHARE_DEFAULTS, strangerHeaders, studioHeaders, tokenOf, type ShareOptions } from '../support/share-requests';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import type { RunningSimulator } from '@/lib/simulator/server';
import type { TaskView } from '@/lib/tasks/view';
import { generateCompleted, startIntegration, stopIntegration } from '../support/integration';
import { insertTask } from '../support/test-db';

/**
 * Share links (README "Share links", SECURITY.md) on SQLite and PostgreSQL:
 * the token is ≥128 bits and only its hash is stored (the raw token appears in
 * no table); the picture and the page work without a session; the picture is
 * `private` unless the person chose public, never `immutable`; revoked,
 * expired, unknown and trashed links all get the one same 404; the page shows
 * only that picture, its prompt only when chosen, with absolute Open Graph
 * URLs; emptying the Trash deletes the links; the rate limit answers 429.
 * Served through the app's own route handlers and page component, with the
 * password gate on (APP_PASSWORD) and no session on any public request.
 */

const ORIGIN = 'http://127.0.0.1:3108';
const HOST = '127.0.0.1:3108';

/** What next/headers returns inside the current "request"; each test sets it. */
let requestHeaders = new Headers();
let sessionCookie: string | undefined;
vi.mock('next/headers', () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({
    get: (name: string) => (name === 'darkroom_session' && sessionCookie ? { name, value: sessionCookie } : undefined),
  }),
}));

let sim: RunningSimulator;
let dialect: string;
let dataDir: string;
let db: typeof import('@/lib/db/client').db;
let actions: typeof import('@/app/share/actions');
let imageRoute: typeof import('@/app/s/[token]/image/route');
let listRoute: typeof import('@/app/api/share-links/route');
let page: typeof import('@/app/s/[token]/page');
let collection: typeof import('@/lib/gallery/collection');

let shared: TaskView;
let other: TaskView;
let sharedSha: string;

beforeAll(async () => {
  ({ sim, dialect, dataDir } = await startIntegration('share-links', {
    sim: { inProgressAfterMs: 30, completeAfterMs: 120 },
    env: { APP_PASSWORD: 'share-links-password' },
  }));
  db = (await import('@/lib/db/client')).db;
  actions = await import('@/app/share/actions');
  imageRoute = await import('@/app/s/[token]/image/route');
  listRoute = await import('@/app/api/share-links/route');
  page = await import('@/app/s/[token]/page');
  collection = await import('@/lib/gallery/collection');
  const { sessionKeys } = await import('@/lib/auth/keys');
  const { issueToken } = await import('@/lib/auth/session');
  sessionCookie = issueToken((await sessionKeys()).cookie, Date.now());

  shared = await generateCompleted('share lighthouse over a violet sea', '1024:1024', 11);
  other = await generateCompleted('share private secret garden never shown', '1024:1024', 12);
  sharedSha = (await db().image.findUniqueOrThrow({ where: { taskId: shared.id } })).sha256;
}, 60_000);
afterAll(async () => {
  delete process.env.APP_PASSWORD;
  delete process.env.PUBLIC_BASE_URL;
  await stopIntegration(sim);
});

const asStudio = () => (requestHeaders = studioHeaders(HOST, ORIGIN));
const asStranger = (address = '198.51.100.20') => (requestHeaders = strangerHeaders(HOST, address));
type Options = ShareOptions;
const DEFAULTS = SHARE_DEFAULTS;

async function share(taskId: string, options: Partial<Options> = {}) {
  asStudio();
  const result = await actions.createShareLinkAction(taskId, { ...DEFAULTS, ...options });
  if (!result.ok) throw new Error(result.error);
  const token = tokenOf(result.url);
  return { ...result, token };
}

function getImage(token: string, headers: Record<string, string> = {}, address = '198.51.100.21') {
  return imageRoute.GET(
    new Request(`${ORIGIN}/s/${token}/image`, {
      headers: { host: HOST, 'x-forwarded-for': address, 'x-darkroom-share-client': address, ...headers },
    }),
    { params: Promise.resolve({ token }) },
  );
}

async function renderPage(token: string) {
  asStranger();
  const params = Promise.resolve({ token });
  const metadata = await page.generateMetadata({ params });
  const element = (await page.default({ params })) as ReactElement;
  return { metadata, html: renderToStaticMarkup(element) };
}

async function notFoundDigest(token: string): Promise<string | undefined> {
  asStranger();
  try {
    await page.default({ params: Promise.resolve({ token }) });
  } catch (error) {
    return (error as { digest?: string }).digest;
  }
  return undefined;
}

/** Every row of every table, as text: where a raw token would show if it were stored anywhere. */
async function everyStoredValue(): Promise<string> {
  if (dialect === 'postgres') {
    const tables = await db().$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
    );
    const dumps: string[] = [];
    for (const { name } of tables) {
      // Each row as PostgreSQL's own text form: every column type (tsvector included) as text.
      const rows = await db().$queryRawUnsafe<Array<{ row: string }>>(`SELECT t::text AS row FROM "${name.replace(/"/g, '""')}" t`);
      dumps.push(...rows.map((r) => r.row));
    }
    return dumps.join('\n');
  }
  // SQLite: read with the driver, BLOBs (the search index's shadow tables) included, as Latin-1 text.
  const { default: Database } = await import('better-sqlite3');
  const sqlite = new Database(`${dataDir}/darkroom.db`, { readonly: true });
  try {
    const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    return tables
      .map(({ name }) =>
        JSON.stringify(sqlite.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all(), (_key, value) =>
          typeof value === 'bigint' ? value.toString() : value?.type === 'Buffer' ? Buffer.from(value.data).toString('latin1') : value,
        ),
      )
      .join('\n');
  } finally {
    sqlite.close();
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('making a link', () => {
  it('returns the URL once, with a 256-bit token of which only the SHA-256 is stored', async () => {
    const created = await share(shared.id);
    expect(created.url).toMatch(new RegExp(`^${ORIGIN}/s/[A-Za-z0-9_-]{43}$`));
    expect(Buffer.from(created.token, 'base64url')).toHaveLength(32); // 256 bits ≥ 128
    const row = await db().shareLink.findUniqueOrThrow({ where: { id: created.link.id } });
    expect(row.tokenHash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(row).toMatchObject({ targetType: 'picture', taskId: shared.id, showPrompt: false, publicCache: false, revokedAt: null });
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(7 * 24 * 3600 * 1000);
    // Nowhere in the database, in any table: not the token, not even a recognisable part of it.
    const stored = await everyStoredValue();
    expect(stored).toContain(row.tokenHash);
    expect(stored).not.toContain(created.token);
    expect(stored).not.toContain(created.token.slice(0, 20));
    if (dialect === 'sqlite') {
      for (const file of ['darkroom.db', 'darkroom.db-wal']) {
        const path = `${dataDir}/${file}`;
        if (existsSync(path)) expect(readFileSync(path).includes(created.token), file).toBe(false);
      }
    }
    // The list never holds it either.
    const list = await (await listRoute.GET(new Request(`${ORIGIN}/api/share-links`))).text();
    expect(list).toContain(created.link.id);
    expect(list).not.toContain(created.token);
    expect(list).not.toContain(row.tokenHash);
  });

  it('uses PUBLIC_BASE_URL when set, for the link and for Open Graph', async () => {
    process.env.PUBLIC_BASE_URL = 'https://studio.example.org';
    try {
      const created = await share(shared.id);
      expect(created.url).toMatch(/^https:\/\/studio\.example\.org\/s\/[A-Za-z0-9_-]{43}$/);
      const { metadata } = await renderPage(created.token);
      expect(JSON.stringify(metadata.openGraph)).toContain(`https://studio.example.org/s/${created.token}/image`);
    } finally {
      delete process.env.PUBLIC_BASE_URL;
    }
  });

  it('sets the expiry the person chose', async () => {
    for (const [expiry, ms] of [
      ['1d', 24 * 3600 * 1000],
      ['never', null],
    ] as const) {
      const created = await share(shared.id, { expiry });
      const row = await db().shareLink.findUniqueOrThrow({ where: { id: created.link.id } });
      expect(row.expiresAt === null ? null : row.expiresAt.getTime() - row.createdAt.getTime(), expiry).toBe(ms);
    }
  });

  it('refuses a picture in the Trash, an unfinished or unknown one, bad options, and a caller without a session', async () => {
    asStudio();
    const trashed = await generateCompleted('share trashed before sharing', '1024:1024', 13);
    await collection.moveToTrash([trashed.id]);
    expect(await actions.createShareLinkAction(trashed.id, DEFAULTS)).toEqual({
      ok: false,
      error: 'This picture is in the Trash. Restore it to share it.',
    });
    const failed = await insertTask({ prompt: 'share failed task' });
    expect(await actions.createShareLinkAction(failed, DEFAULTS)).toEqual({ ok: false, error: 'Only finished pictures can be shared.' });
    expect(await actions.createShareLinkAction('0b7c8a4e-1111-4222-8333-944455556666', DEFAULTS)).toEqual({
      ok: false,
      error: 'That picture no longer exists.',
    });
    expect(await actions.createShareLinkAction('not-an-id', DEFAULTS)).toMatchObject({ ok: false });
    const bad = await actions.createShareLinkAction(shared.id, { ...DEFAULTS, expiry: '30d' } as unknown as Options);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { expiry: expect.any(String) } });
    const extra = await actions.createShareLinkAction(shared.id, { ...DEFAULTS, taskId: other.id } as unknown as Options);
    expect(extra.ok).toBe(false);
    const saved = sessionCookie;
    sessionCookie = undefined;
    try {
      expect(await actions.createShareLinkAction(shared.id, DEFAULTS)).toEqual({ ok: false, error: 'Sign in to Darkroom first.' });
      expect(await actions.revokeShareLinkAction('0b7c8a4e-1111-4222-8333-944455556666')).toEqual({
        ok: false,
        error: 'Sign in to Darkroom first.',
      });
    } finally {
      sessionCookie = saved;
    }
    expect(await db().shareLink.count({ where: { taskId: { in: [trashed.id, failed] } } })).toBe(0);
  });
});

describe('the shared picture', () => {
  it('is served without a session: the verified original, private to caches by default, never immutable', async () => {
    const { token } = await share(shared.id);
    const response = await getImage(token);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(sha256(bytes)).toBe(sharedSha);
    expect(response.headers.get('etag')).toBe(`"${sharedSha}"`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    // The prompt is not shown, so neither the file name nor the bytes carry it.
    expect(response.headers.get('content-disposition')).toBe('inline; filename="darkroom-picture.png"');
    expect(Buffer.from(bytes).includes('lighthouse')).toBe(false);

    const again = await getImage(token, { 'if-none-match': `"${sharedSha}"` });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('private, max-age=300');
  });

  it('is public to caches only when the person chose so, and named after the prompt only when it is shown', async () => {
    const { token } = await share(shared.id, { publicCache: true, showPrompt: true });
    const response = await getImage(token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('cache-control')).not.toContain('immutable');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="share-lighthouse-over-a-violet-sea.png"');
  });

  it('notes when it was last viewed, at most once a minute', async () => {
    const { token, link } = await share(shared.id);
    expect(link.lastViewedAt).toBeNull();
    await getImage(token);
    const first = (await db().shareLink.findUniqueOrThrow({ where: { id: link.id } })).lastViewedAt;
    expect(first).not.toBeNull();
    await getImage(token);
    await renderPage(token);
    expect((await db().shareLink.findUniqueOrThrow({ where: { id: link.id } })).lastViewedAt).toEqual(first);
  });
});

describe('the shared page', () => {
  it('shows only that picture, from the share route, without its prompt unless chosen, with absolute Open Graph tags', async () => {
    const { token } = await share(shared.id);
    const { metadata, html } = await renderPage(token);
    expect(html).toContain(`src="/s/${token}/image"`);
    expect(html).toContain('width="1024"');
    expect(html).toContain('1:1 · 1024 × 1024');
    expect(html).toContain('Made with Darkroom');
    expect(html).not.toContain('lighthouse');
    expect(html).not.toContain('secret garden');
    expect(html).not.toContain('/api/');
    expect(html).not.toContain(shared.id);
    expect(html.match(/<img /g)).toHaveLength(1);

    expect(metadata.robots).toEqual({ index: false, follow: false });
    expect(JSON.stringify(metadata)).not.toContain('lighthouse');
    expect(metadata.openGraph).toMatchObject({
      type: 'website',
      url: `${ORIGIN}/s/${token}`,
      images: [{ url: `${ORIGIN}/s/${token}/image`, width: 1024, height: 1024, type: 'image/png' }],
    });
    expect(metadata.title).toBe('A picture made with Darkroom');
  });

  it('shows the prompt when the person chose so, in the page and its preview', async () => {
    const { token } = await share(shared.id, { showPrompt: true });
    const { metadata, html } = await renderPage(token);
    expect(html).toContain('share lighthouse over a violet sea');
    expect(html).toContain('alt="share lighthouse over a violet sea"');
    expect(html).not.toContain('secret garden');
    expect(metadata.title).toBe('share lighthouse over a violet sea');
    expect(metadata.openGraph).toMatchObject({
      title: 'share lighthouse over a violet sea',
      description: 'share lighthouse over a violet sea',
    });
  });
});

describe('links that do not work', () => {
  it('answer one and the same 404 whether revoked, expired, unknown or trashed', async () => {
    const picture = await generateCompleted('share dead links', '1024:1024', 21);
    const revoked = await share(picture.id);
    const expired = await share(picture.id, { expiry: '1d' });
    const trashedPicture = await generateCompleted('share trashed after sharing', '1024:1024', 22);
    const trashed = await share(trashedPicture.id);
    const { newShareToken } = await import('@/lib/share/token');
    const unknown = newShareToken();

    // All four work (or, for the unknown one, would) before.
    for (const { token } of [revoked, expired, trashed]) expect((await getImage(token)).status).toBe(200);

    asStudio();
    expect(await actions.revokeShareLinkAction(revoked.link.id)).toEqual({ ok: true, id: revoked.link.id });
    expect(await actions.revokeShareLinkAction(revoked.link.id)).toEqual({ ok: true, id: revoked.link.id }); // twice is fine
    await db().shareLink.update({ where: { id: expired.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await collection.moveToTrash([trashedPicture.id]);

    const answers = [];
    for (const token of [revoked.token, expired.token, unknown, trashed.token]) {
      const response = await getImage(token);
      answers.push({ status: response.status, headers: [...response.headers.entries()], body: await response.text() });
      expect(await notFoundDigest(token)).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
      asStranger();
      expect(await page.generateMetadata({ params: Promise.resolve({ token }) })).toEqual({ robots: { index: false, follow: false } });
    }
    expect(answers[0].status).toBe(404);
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    expect(answers[0].body).not.toMatch(/revoked|expired|trash|share/i);
    // Malformed tokens too.
    for (const token of ['abc', `${unknown}x`, '../../api/tasks']) {
      const response = await getImage(token);
      expect({ status: response.status, headers: [...response.headers.entries()], body: await response.text() }).toEqual(answers[0]);
    }

    // A picture restored from the Trash brings its link back; revoked and expired ones stay dead.
    await collection.restoreFromTrash([trashedPicture.id]);
    expect((await getImage(trashed.token)).status).toBe(200);
    expect((await getImage(revoked.token)).status).toBe(404);
    expect((await getImage(expired.token)).status).toBe(404);
  });

  it('disappear with their picture when the Trash is emptied', async () => {
    const picture = await generateCompleted('share emptied trash', '1024:1024', 23);
    const { token, link } = await share(picture.id);
    await collection.moveToTrash([picture.id]);
    await collection.emptyTrash();
    expect(await db().shareLink.findUnique({ where: { id: link.id } })).toBeNull();
    expect((await getImage(token)).status).toBe(404);
  });
});

describe('the Shared links list', () => {
  it('lists links not revoked, newest first, with their state, and one picture’s with ?taskId', async () => {
    const picture = await generateCompleted('share list picture', '1024:1024', 31);
    const active = await share(picture.id, { showPrompt: true });
    const expired = await share(picture.id);
    const revoked = await share(picture.id);
    await db().shareLink.update({ where: { id: expired.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    asStudio();
    await actions.revokeShareLinkAction(revoked.link.id);

    const response = await listRoute.GET(new Request(`${ORIGIN}/api/share-links?taskId=${picture.id}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { links } = (await response.json()) as { links: Array<Record<string, unknown>> };
    expect(links.map((l) => l.id)).toEqual([expired.link.id, active.link.id]);
    expect(links[0]).toMatchObject({ state: 'expired', showPrompt: false });
    expect(links[1]).toMatchObject({
      state: 'active',
      showPrompt: true,
      publicCache: false,
      targetType: 'picture',
      picture: { taskId: picture.id, prompt: 'share list picture', width: 1024, height: 1024 },
    });
    expect(String((links[1].picture as { thumbnailUrl: string }).thumbnailUrl)).toMatch(new RegExp(`^/api/images/${picture.id}\\?`));

    await collection.moveToTrash([picture.id]);
    const paused = (await (await listRoute.GET(new Request(`${ORIGIN}/api/share-links?taskId=${picture.id}`))).json()) as {
      links: Array<{ id: string; state: string }>;
    };
    expect(paused.links.find((l) => l.id === active.link.id)?.state).toBe('paused');

    const bad = await listRoute.GET(new Request(`${ORIGIN}/api/share-links?taskId=nope`));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'urn:darkroom:problem:invalid-request', errors: { taskId: [expect.any(String)] } });
    asStudio();
    expect(await actions.revokeShareLinkAction('0b7c8a4e-1111-4222-8333-944455556666')).toEqual({
      ok: false,
      error: 'That link no longer exists.',
    });
  });
});

describe('the rate limit behind proxy.ts', () => {
  it('refuses a client that forged its address past the proxy, by its real one: 429 for the picture, 404 for the page', async () => {
    const { token } = await share(shared.id);
    const real = '192.0.2.77';
    const forged = (i: number) => ({ 'x-forwarded-for': real, 'x-darkroom-share-client': `203.0.113.${i}` });
    const view = (i: number) =>
      imageRoute.GET(new Request(`${ORIGIN}/s/${token}/image`, { headers: { host: HOST, ...forged(i) } }), {
        params: Promise.resolve({ token }),
      });
    for (let i = 0; i < 60; i++) expect((await view(i)).status, `view ${i + 1}`).toBe(200);
    const refused = await view(60);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    requestHeaders = new Headers({ host: HOST, ...forged(61) });
    await expect(page.default({ params: Promise.resolve({ token }) })).rejects.toMatchObject({ digest: 'NEXT_HTTP_ERROR_FALLBACK;404' });
    // Other clients are not affected.
    expect((await getImage(token, {}, '192.0.2.78')).status).toBe(200);
  });
});
