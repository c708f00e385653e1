import { createHash, randomBytes } from 'node:crypto';
import { SHARE_DEFAULTS, strangerHeaders, studioHeaders, tokenOf, type ShareOptions } from '../support/share-requests';
import { existsSync, readFileSync } from 'node:fs';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupDatabase, testDialect } from '../support/test-db';

/**
 * Board share links (README "Share links", SECURITY.md) on SQLite and PostgreSQL, through the app's own
 * actions, route handlers and page component, with the password gate on (APP_PASSWORD) and no session
 * on any public request: a link to a board is made, listed and revoked like a picture's (only the
 * token's SHA-256 stored, the expiry chosen); the page lists the board's finished pictures not in the
 * Trash, newest first, in keyset pages, with its name and cover in Open Graph; each picture is served
 * under the board's token only while it is on the board and not trashed — never any other picture —
 * `private` unless the person chose public; revoked, expired, unknown and deleted-board links answer the
 * one same 404; a board picture that does not resolve is charged to the page rate-limit bucket.
 */

const ORIGIN = 'http://127.0.0.1:3109';
const HOST = '127.0.0.1:3109';

/** What next/headers returns inside the current "request"; each test sets it. */
let requestHeaders = new Headers();
let sessionCookie: string | undefined;
vi.mock('next/headers', () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({
    get: (name: string) => (name === 'darkroom_session' && sessionCookie ? { name, value: sessionCookie } : undefined),
  }),
}));

let dataDir: string;
let db: typeof import('@/lib/db/client').db;
let actions: typeof import('@/app/share/actions');
let boards: typeof import('@/lib/boards/boards');
let collection: typeof import('@/lib/gallery/collection');
let boardPage: typeof import('@/lib/share/board');
let resolve: typeof import('@/lib/share/resolve');
let imageRoute: typeof import('@/app/s/[token]/image/route');
let boardImageRoute: typeof import('@/app/s/[token]/image/[taskId]/route');
let listRoute: typeof import('@/app/api/share-links/route');
let page: typeof import('@/app/s/[token]/page');

/** Pictures are made one hour apart, so "newest first" is their order of making, reversed. */
let clock = Date.parse('2026-10-01T08:00:00Z');

beforeAll(async () => {
  ({ dataDir } = await setupDatabase(`board-share-${testDialect()}`, {
    FREEPIK_API_KEY: 'board-share-test-key-123',
    APP_PASSWORD: 'board-share-password',
  }));
  db = (await import('@/lib/db/client')).db;
  actions = await import('@/app/share/actions');
  boards = await import('@/lib/boards/boards');
  collection = await import('@/lib/gallery/collection');
  boardPage = await import('@/lib/share/board');
  resolve = await import('@/lib/share/resolve');
  imageRoute = await import('@/app/s/[token]/image/route');
  boardImageRoute = await import('@/app/s/[token]/image/[taskId]/route');
  listRoute = await import('@/app/api/share-links/route');
  page = await import('@/app/s/[token]/page');
  const { sessionKeys } = await import('@/lib/auth/keys');
  const { issueToken } = await import('@/lib/auth/session');
  sessionCookie = issueToken((await sessionKeys()).cookie, Date.now());
}, 60_000);
afterAll(() => {
  delete process.env.APP_PASSWORD;
});

/** A real, finished picture (stored original and thumbnails, 720 × 720), made as an import makes one. */
async function picture(prompt: string): Promise<string> {
  const ingest = await import('@/lib/images/ingest');
  const records = await import('@/lib/images/records');
  const bytes = await sharp({ create: { width: 720, height: 720, channels: 3, background: `#${randomBytes(3).toString('hex')}` } })
    .png()
    .toBuffer();
  const at = new Date((clock += 3_600_000));
  const stored = await ingest.ingestPicture(bytes, '720:720', null, 'upload');
  const rows = await records.createImportedPicture(
    {
      prompt,
      ratio: '720:720',
      seed: 7,
      model: 'runway',
      body: { prompt, ratio: '720:720', seed: 7 },
      origin: 'new',
      parentId: null,
      favorite: false,
      createdAt: at,
      finishedAt: at,
    },
    stored,
  );
  return rows.taskId;
}

async function board(name: string, taskIds: string[] = []): Promise<string> {
  const created = await boards.createBoard(name);
  if (!created.ok) throw new Error(created.error);
  if (taskIds.length) await boards.addToBoard(created.board.id, taskIds);
  return created.board.id;
}

const asStudio = () => (requestHeaders = studioHeaders(HOST, ORIGIN));
const asStranger = (address = '198.51.100.30') => (requestHeaders = strangerHeaders(HOST, address));
type Options = ShareOptions;
const DEFAULTS = SHARE_DEFAULTS;

async function shareBoard(boardId: string, options: Partial<Options> = {}) {
  asStudio();
  const result = await actions.createBoardShareLinkAction(boardId, { ...DEFAULTS, ...options });
  if (!result.ok) throw new Error(result.error);
  const token = tokenOf(result.url);
  return { ...result, token };
}

function getBoardImage(token: string, taskId: string, { query = '', headers = {}, address = '198.51.100.31' } = {}) {
  return boardImageRoute.GET(
    new Request(`${ORIGIN}/s/${token}/image/${taskId}${query}`, {
      headers: { host: HOST, 'x-forwarded-for': address, 'x-darkroom-share-client': address, ...headers },
    }),
    { params: Promise.resolve({ token, taskId }) },
  );
}

function getImage(token: string) {
  const address = '198.51.100.32';
  return imageRoute.GET(
    new Request(`${ORIGIN}/s/${token}/image`, { headers: { host: HOST, 'x-forwarded-for': address, 'x-darkroom-share-client': address } }),
    { params: Promise.resolve({ token }) },
  );
}

async function renderPage(token: string, after?: string) {
  asStranger();
  const params = Promise.resolve({ token });
  const searchParams = Promise.resolve(after === undefined ? {} : { after });
  const metadata = await page.generateMetadata({ params, searchParams });
  const element = (await page.default({ params, searchParams })) as ReactElement;
  return { metadata, html: renderToStaticMarkup(element) };
}

async function notFoundDigest(token: string, after?: string): Promise<string | undefined> {
  asStranger();
  try {
    await page.default({ params: Promise.resolve({ token }), searchParams: Promise.resolve(after === undefined ? {} : { after }) });
  } catch (error) {
    return (error as { digest?: string }).digest;
  }
  return undefined;
}

/** A response as a comparable value: status, every header, body. */
async function answerOf(response: Response) {
  return { status: response.status, headers: [...response.headers.entries()], body: await response.text() };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const srcOf = (html: string) => [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));

describe('making a board link', () => {
  it('returns the URL once, with a 256-bit token of which only the SHA-256 is stored, and the expiry chosen', async () => {
    const taskId = await picture('board share token picture');
    const boardId = await board('Token board', [taskId]);
    const created = await shareBoard(boardId);
    expect(created.url).toMatch(new RegExp(`^${ORIGIN}/s/[A-Za-z0-9_-]{43}$`));
    expect(Buffer.from(created.token, 'base64url')).toHaveLength(32);
    const row = await db().shareLink.findUniqueOrThrow({ where: { id: created.link.id } });
    expect(row).toMatchObject({ targetType: 'board', boardId, taskId: null, showPrompt: false, publicCache: false, revokedAt: null });
    expect(row.tokenHash).toBe(sha256(Buffer.from(created.token)));
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(7 * 24 * 3600 * 1000);
    expect(created.link).toMatchObject({ targetType: 'board', state: 'active', board: { id: boardId, name: 'Token board', count: 1 } });
    // Neither the row nor the list holds the token; nor, on SQLite, the database files.
    const rows = JSON.stringify(await db().shareLink.findMany());
    expect(rows).not.toContain(created.token);
    const list = await (await listRoute.GET(new Request(`${ORIGIN}/api/share-links`))).text();
    expect(list).toContain(created.link.id);
    expect(list).not.toContain(created.token);
    expect(list).not.toContain(row.tokenHash);
    if (testDialect() === 'sqlite') {
      for (const file of ['darkroom.db', 'darkroom.db-wal']) {
        const path = `${dataDir}/${file}`;
        if (existsSync(path)) expect(readFileSync(path).includes(created.token), file).toBe(false);
      }
    }

    for (const [expiry, ms] of [
      ['1d', 24 * 3600 * 1000],
      ['never', null],
    ] as const) {
      const other = await shareBoard(boardId, { expiry });
      const stored = await db().shareLink.findUniqueOrThrow({ where: { id: other.link.id } });
      expect(stored.expiresAt === null ? null : stored.expiresAt.getTime() - stored.createdAt.getTime(), expiry).toBe(ms);
    }
  });

  it('shares an empty board, whose page says it has no pictures yet and previews without an image', async () => {
    const boardId = await board('Empty for now');
    const { token } = await shareBoard(boardId);
    const { metadata, html } = await renderPage(token);
    expect(html).toContain('Empty for now');
    expect(html).toContain('No pictures on this board yet.');
    expect(html).not.toContain('<img');
    expect(metadata.title).toBe('Empty for now');
    expect(metadata.openGraph).not.toHaveProperty('images');
    expect(metadata.twitter).toMatchObject({ card: 'summary' });

    // A picture added later shows up on the same link.
    const later = await picture('board share added later');
    await boards.addToBoard(boardId, [later]);
    expect((await renderPage(token)).html).toContain(`/s/${token}/image/${later}?w=320`);
  });

  it('refuses an unknown or malformed board, bad options, and a caller without a session', async () => {
    asStudio();
    expect(await actions.createBoardShareLinkAction('0b7c8a4e-1111-4222-8333-944455556666', DEFAULTS)).toEqual({
      ok: false,
      error: 'That board no longer exists.',
    });
    expect(await actions.createBoardShareLinkAction('not-an-id', DEFAULTS)).toEqual({ ok: false, error: 'That board no longer exists.' });
    const boardId = await board('Options board');
    const bad = await actions.createBoardShareLinkAction(boardId, { ...DEFAULTS, expiry: '30d' } as unknown as Options);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { expiry: expect.any(String) } });
    const extra = await actions.createBoardShareLinkAction(boardId, { ...DEFAULTS, taskId: boardId } as unknown as Options);
    expect(extra.ok).toBe(false);
    const saved = sessionCookie;
    sessionCookie = undefined;
    try {
      expect(await actions.createBoardShareLinkAction(boardId, DEFAULTS)).toEqual({ ok: false, error: 'Sign in to Darkroom first.' });
    } finally {
      sessionCookie = saved;
    }
    expect(await db().shareLink.count({ where: { boardId } })).toBe(0);
  });
});

describe('the Shared links list', () => {
  it('lists board links beside picture links — name, count, cover — with their state; revoked ones leave it', async () => {
    const older = await picture('board share list older');
    const newer = await picture('board share list newer');
    const boardId = await board('List board', [older, newer]);
    const active = await shareBoard(boardId, { showPrompt: true });
    const expired = await shareBoard(boardId);
    const revoked = await shareBoard(boardId);
    asStudio();
    const pictureLink = await actions.createShareLinkAction(older, DEFAULTS);
    expect(pictureLink.ok).toBe(true);
    await db().shareLink.update({ where: { id: expired.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await actions.revokeShareLinkAction(revoked.link.id)).toEqual({ ok: true, id: revoked.link.id });

    const response = await listRoute.GET(new Request(`${ORIGIN}/api/share-links`));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { links } = (await response.json()) as { links: Array<Record<string, unknown> & { id: string }> };
    const ids = links.map((l) => l.id);
    expect(ids).not.toContain(revoked.link.id);
    expect(ids.indexOf(expired.link.id)).toBeLessThan(ids.indexOf(active.link.id)); // newest first
    expect(links.find((l) => pictureLink.ok && l.id === pictureLink.link.id)).toMatchObject({ targetType: 'picture' });
    expect(links.find((l) => l.id === expired.link.id)).toMatchObject({ targetType: 'board', state: 'expired' });
    const listed = links.find((l) => l.id === active.link.id);
    expect(listed).toMatchObject({
      targetType: 'board',
      state: 'active',
      showPrompt: true,
      publicCache: false,
      board: { id: boardId, name: 'List board', count: 2, cover: { taskId: newer } },
    });
    expect(String((listed!.board as { cover: { url: string } }).cover.url)).toMatch(new RegExp(`^/api/images/${newer}\\?`));
    // One picture's links (?taskId) stay picture links only.
    const narrowed = (await (await listRoute.GET(new Request(`${ORIGIN}/api/share-links?taskId=${older}`))).json()) as {
      links: Array<{ targetType: string }>;
    };
    expect(narrowed.links.map((l) => l.targetType)).toEqual(['picture']);
  });
});

describe('the shared board page', () => {
  it('shows the board’s finished pictures not in the Trash, newest first, under its token, prompts only when chosen', async () => {
    const first = await picture('board share page first heron');
    const second = await picture('board share page second quince');
    const trashed = await picture('board share page trashed');
    const elsewhere = await picture('board share page not on the board');
    const boardId = await board('Page board', [first, second, trashed]);
    const { insertTask } = await import('../support/test-db');
    const failed = await insertTask({ prompt: 'board share page failed task' });
    await boards.addToBoard(boardId, [failed]);
    await collection.moveToTrash([trashed]);
    const { token } = await shareBoard(boardId);

    const { metadata, html } = await renderPage(token);
    expect(html).toContain('Page board');
    expect(html).toContain('2 pictures, newest first');
    expect(srcOf(html)).toEqual([`/s/${token}/image/${second}?w=320`, `/s/${token}/image/${first}?w=320`]);
    expect(html).toContain(`href="/s/${token}/image/${second}"`);
    expect(html).toContain(`/s/${token}/image/${second}?w=640 640w, /s/${token}/image/${second} 720w`);
    expect(html).toContain('alt="Picture 1"');
    for (const absent of [
      'heron',
      'quince',
      'trashed',
      'not on the board',
      'failed',
      trashed,
      elsewhere,
      failed,
      '/api/',
      'Older pictures',
    ]) {
      expect(html, absent).not.toContain(absent);
    }
    expect(metadata.robots).toEqual({ index: false, follow: false });
    expect(metadata.title).toBe('Page board');
    expect(metadata.description).toBe('2 pictures, made with Darkroom.');
    expect(metadata.openGraph).toMatchObject({
      type: 'website',
      url: `${ORIGIN}/s/${token}`,
      title: 'Page board',
      images: [{ url: `${ORIGIN}/s/${token}/image/${second}`, width: 720, height: 720, type: 'image/png' }],
    });

    const withPrompts = await shareBoard(boardId, { showPrompt: true });
    const shown = (await renderPage(withPrompts.token)).html;
    expect(shown).toContain('<figcaption');
    expect(shown).toContain('board share page second quince');
    expect(shown).toContain('alt="board share page first heron"');
    expect(shown).not.toContain('trashed');
  });

  it('pages a big board with the gallery’s keyset cursor, newest first, without duplicates or skips', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await picture(`board share paging ${i}`));
    const boardId = await board('Paging board', made);
    const { token } = await shareBoard(boardId);
    const shared = await resolve.resolveShareLink(token);
    if (shared?.kind !== 'board') throw new Error('not a board link');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result: Awaited<ReturnType<typeof boardPage.sharedBoardPage>> = await boardPage.sharedBoardPage(token, shared, cursor, 2);
      expect(result?.total).toBe(5);
      expect(result?.cover?.taskId).toBe(made[4]);
      seen.push(...result!.pictures.map((p) => p.taskId));
      cursor = result!.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    expect(boardPage.BOARD_PAGE_SIZE).toBeLessThanOrEqual(200);

    // The page's own cursor parameter: a made-up one is the same 404 as a dead link.
    expect(await notFoundDigest(token, 'not-a-cursor')).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(await notFoundDigest(token, 'x'.repeat(600))).toBeUndefined(); // too long to be one: ignored, first page
  });
});

describe('the pictures of a shared board', () => {
  it('are served without a session: the verified original or a WebP thumbnail, private to caches unless chosen', async () => {
    const taskId = await picture('board share served lighthouse');
    const boardId = await board('Served board', [taskId]);
    const image = await db().image.findUniqueOrThrow({ where: { taskId }, include: { thumbnails: true } });
    const { token } = await shareBoard(boardId);

    const original = await getBoardImage(token, taskId);
    expect(original.status).toBe(200);
    expect(sha256(new Uint8Array(await original.arrayBuffer()))).toBe(image.sha256);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('etag')).toBe(`"${image.sha256}"`);
    expect(original.headers.get('cache-control')).toBe('private, max-age=300');
    expect(original.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(original.headers.get('content-disposition')).toBe('inline; filename="darkroom-picture.png"');

    const thumb = await getBoardImage(token, taskId, { query: '?w=320' });
    const small = image.thumbnails.find((t) => t.width === 320)!;
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(sha256(new Uint8Array(await thumb.arrayBuffer()))).toBe(small.sha256);
    expect(thumb.headers.get('cache-control')).toBe('private, max-age=300');
    expect(thumb.headers.get('content-disposition')).toBe('inline; filename="darkroom-picture.webp"');
    const again = await getBoardImage(token, taskId, { query: '?w=320', headers: { 'if-none-match': `"${small.sha256}"` } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('private, max-age=300');

    const open = await shareBoard(boardId, { publicCache: true, showPrompt: true });
    const cached = await getBoardImage(open.token, taskId);
    expect(cached.headers.get('cache-control')).toBe('public, max-age=300');
    expect(cached.headers.get('cache-control')).not.toContain('immutable');
    expect(cached.headers.get('content-disposition')).toBe('inline; filename="board-share-served-lighthouse.png"');

    // Seen: the list's "Last viewed".
    expect((await db().shareLink.findUniqueOrThrow({ where: { id: open.link.id } })).lastViewedAt).not.toBeNull();
  });

  it('answer only while on the board and out of the Trash, never for another picture, with the one same 404', async () => {
    const kept = await picture('board share kept');
    const removed = await picture('board share removed');
    const trashed = await picture('board share trashed later');
    const stranger = await picture('board share never on it');
    const boardId = await board('Membership board', [kept, removed, trashed]);
    const { token } = await shareBoard(boardId);
    asStudio();
    const pictureLink = await actions.createShareLinkAction(stranger, DEFAULTS);
    if (!pictureLink.ok) throw new Error(pictureLink.error);
    const pictureToken = new URL(pictureLink.url).pathname.split('/')[2];
    const { newShareToken } = await import('@/lib/share/token');

    for (const id of [kept, removed, trashed]) expect((await getBoardImage(token, id)).status, id).toBe(200);
    await boards.removeFromBoard(boardId, [removed]);
    await collection.moveToTrash([trashed]);

    const reference = await answerOf(await getBoardImage(newShareToken(), kept));
    expect(reference.status).toBe(404);
    expect(reference.body).not.toMatch(/board|trash|revoked|expired|share/i);
    const dead = [
      await getBoardImage(token, removed), // taken off the board
      await getBoardImage(token, trashed), // in the Trash
      await getBoardImage(token, stranger), // never on this board
      await getBoardImage(token, stranger, { query: '?w=320' }),
      await getBoardImage(token, kept.toUpperCase()), // not a task id as Darkroom writes them
      await getBoardImage(token, kept, { query: '?w=abc' }), // a malformed width
      await getBoardImage(pictureToken, stranger), // a picture link's token on a board path
      await getImage(token), // a board token on the picture path
    ];
    for (const response of dead) expect(await answerOf(response)).toEqual(reference);
    // The picture link itself still works on its own path, and the kept picture on the board's.
    expect((await getImage(pictureToken)).status).toBe(200);
    expect((await getBoardImage(token, kept)).status).toBe(200);

    // Restored from the Trash: back on the board's page and URL (it never left the board).
    await collection.restoreFromTrash([trashed]);
    expect((await getBoardImage(token, trashed)).status).toBe(200);
  });
});

describe('board links that do not work', () => {
  it('answer one and the same 404 — page, metadata and pictures — whether revoked, expired, unknown or the board deleted', async () => {
    const taskId = await picture('board share dead links');
    const revokedBoard = await board('Revoked board', [taskId]);
    const deletedBoard = await board('Deleted board', [taskId]);
    const revoked = await shareBoard(revokedBoard);
    const expired = await shareBoard(revokedBoard, { expiry: '1d' });
    const deleted = await shareBoard(deletedBoard);
    const { newShareToken } = await import('@/lib/share/token');
    const unknown = newShareToken();
    for (const { token } of [revoked, expired, deleted]) expect((await getBoardImage(token, taskId)).status).toBe(200);

    asStudio();
    expect(await actions.revokeShareLinkAction(revoked.link.id)).toEqual({ ok: true, id: revoked.link.id });
    await db().shareLink.update({ where: { id: expired.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await boards.deleteBoard(deletedBoard)).toEqual({ ok: true, id: deletedBoard });
    // Deleting the board deleted its link (the foreign key cascades); the picture stays.
    expect(await db().shareLink.findUnique({ where: { id: deleted.link.id } })).toBeNull();
    expect(await db().task.count({ where: { id: taskId } })).toBe(1);

    const answers = [];
    for (const token of [revoked.token, expired.token, unknown, deleted.token]) {
      answers.push(await answerOf(await getBoardImage(token, taskId)));
      expect(await notFoundDigest(token)).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
      asStranger();
      expect(await page.generateMetadata({ params: Promise.resolve({ token }) })).toEqual({ robots: { index: false, follow: false } });
    }
    expect(answers[0].status).toBe(404);
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });
});

describe('the rate limit on board pictures', () => {
  it('charges a board picture that does not resolve to the page bucket: 60 misses a minute, then 429', async () => {
    const { SHARE_VIEWS_PER_MINUTE } = await import('@/lib/share/view-limit');
    const { newShareToken } = await import('@/lib/share/token');
    const taskId = await picture('board share guessed');
    const address = '192.0.2.90';
    for (let i = 0; i < SHARE_VIEWS_PER_MINUTE; i++) {
      expect((await getBoardImage(newShareToken(), taskId, { address })).status, `miss ${i + 1}`).toBe(404);
    }
    const refused = await getBoardImage(newShareToken(), taskId, { address });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is counted apart.
    expect((await getBoardImage(newShareToken(), taskId, { address: '192.0.2.91' })).status).toBe(404);
  });
});
