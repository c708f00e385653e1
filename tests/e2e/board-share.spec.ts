import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { ExtraServer } from './support/extra-server';
import { expectCompleted, gallery, generate, tileFor } from './support/fixtures';

/**
 * Board share links (README "Share links"), against a production server of their own with the password
 * gate on: a board of two pictures, shared from the **Boards** dialog with **Show the prompt**, opens in
 * a browser that never signed in and shows both pictures (thumbnails from the board's own share URLs,
 * each opening its original, `private` to caches), with the board's name and cover in Open Graph; only
 * the token's hash is stored; **Revoke** in **Shared links** ("Board · <name>") turns the page and its
 * pictures into the plain 404. The security details (identical 404s, membership, buckets) are in
 * tests/integration/board-share-links.test.ts and tests/unit/share-links-gate.test.ts.
 */

const PASSWORD = 'board-share-e2e-password-7c1d';
const server = new ExtraServer('board-share', 3109, { APP_PASSWORD: PASSWORD });
const DATA_DIR = '.darkroom/e2e-board-share';
const TOKEN_IN_URL = /\/s\/([A-Za-z0-9_-]{43})$/;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: server.url });

test.beforeAll(async () => {
  server.prepare();
  await server.start();
});
test.afterAll(() => server.kill());

function sql<T>(query: string, ...params: unknown[]): T[] {
  const db = new Database(`${DATA_DIR}/darkroom.db`);
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

const idOf = (table: 'Task' | 'Board', column: 'prompt' | 'name', value: string) =>
  sql<{ id: string }>(`SELECT id FROM ${table} WHERE ${column} = ?`, value)[0].id;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

async function signIn(page: Page) {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(gallery(page)).toBeVisible();
}

const option = (scope: Locator, name: string) => scope.getByRole('listbox', { name: 'Boards' }).getByRole('option', { name });

/** Puts a picture on a board from the viewer: a new board (`create`) or an existing one. */
async function putOnBoard(page: Page, prompt: string, board: string, create: boolean) {
  await tileFor(page, prompt).locator('[data-tile]').click();
  const viewer = page.getByRole('dialog', { name: 'Picture details' });
  await expect(viewer).toContainText(prompt);
  await viewer.getByRole('button', { name: 'Add to board' }).click();
  if (create) {
    await viewer.getByLabel('New board name').fill(board);
    await viewer.getByRole('button', { name: 'Create board' }).click();
  } else {
    await option(viewer, board).click();
  }
  await expect(option(viewer, board)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape'); // the popover
  await page.keyboard.press('Escape'); // the viewer
  await expect(viewer).toBeHidden();
}

test('a board shared from the Boards dialog opens without a session with both pictures, and answers 404 once revoked', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = `bshare${Date.now().toString(36)}`;
  const prompts = [`${tag} quiet harbour at dusk`, `${tag} copper dunes at noon`];
  const boardName = `${tag} seaside`;
  await signIn(page);
  for (const prompt of prompts) await generate(page, prompt);
  for (const prompt of prompts) await expectCompleted(page, prompt, 20_000);
  await putOnBoard(page, prompts[0], boardName, true);
  await putOnBoard(page, prompts[1], boardName, false);
  const [olderId, newerId] = prompts.map((prompt) => idOf('Task', 'prompt', prompt));
  const boardId = idOf('Board', 'name', boardName);

  // Share it from the Boards dialog.
  await page.getByRole('button', { name: 'Boards', exact: true }).click();
  const boards = page.getByRole('dialog', { name: 'Boards' });
  const row = boards.getByRole('listitem').filter({ hasText: boardName });
  await expect(row).toContainText('2 pictures');
  await row.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share board' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(boardName);
  await dialog.getByRole('radio', { name: 'Never' }).check();
  await dialog.getByRole('checkbox', { name: 'Show the prompt' }).check();
  await expect(dialog.getByRole('checkbox', { name: 'Allow public caching' })).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const field = dialog.getByRole('textbox', { name: 'Share link' });
  await expect(field).toHaveValue(new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{43}$`));
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  const url = await field.inputValue();
  const token = TOKEN_IN_URL.exec(url)![1];

  // Only the hash is stored: the token is in no row and nowhere in the database files.
  const rows = sql<Record<string, unknown>>('SELECT * FROM ShareLink');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ targetType: 'board', boardId, taskId: null, tokenHash: hashOf(token), showPrompt: 1, expiresAt: null });
  expect(JSON.stringify(rows)).not.toContain(token);
  for (const file of ['darkroom.db', 'darkroom.db-wal']) {
    const path = `${DATA_DIR}/${file}`;
    if (existsSync(path)) expect(readFileSync(path).includes(token), file).toBe(false);
  }

  // Done closes the share dialog only; the Boards dialog is still there.
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(boards).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(boards).toBeHidden();

  // A link preview fetcher: the board's name, its cover (the newest picture) as an absolute og:image.
  const preview = await (await fetch(url, { headers: { 'user-agent': 'facebookexternalhit/1.1' } })).text();
  const meta = (property: string) => new RegExp(`<meta property="${property}" content="([^"]*)"`).exec(preview)?.[1];
  expect(meta('og:title')).toBe(boardName);
  expect(meta('og:image')).toBe(`${server.url}/s/${token}/image/${newerId}`);
  expect(meta('og:url')).toBe(url);
  expect(preview).toMatch(/<meta name="robots" content="noindex, nofollow"/);

  // Someone else, in a browser that never signed in.
  const stranger = await browser.newContext({ baseURL: server.url });
  try {
    const view = await stranger.newPage();
    const answer = await view.goto(url);
    expect(answer?.status()).toBe(200);
    await expect(view.getByRole('heading', { level: 1, name: boardName })).toBeVisible();
    await expect(view.getByText('2 pictures, newest first')).toBeVisible();
    const grid = view.getByRole('list', { name: 'Pictures' });
    await expect(grid.getByRole('img')).toHaveCount(2);
    // Newest first, each with its prompt (chosen), each loaded from the board's own share URL.
    await expect(grid.getByRole('img').first()).toHaveAttribute('alt', prompts[1]);
    for (const [prompt, id] of [
      [prompts[0], olderId],
      [prompts[1], newerId],
    ]) {
      const shown = grid.getByRole('img', { name: prompt });
      await expect(shown).toBeVisible();
      await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await shown.getAttribute('src')).toMatch(new RegExp(`^/s/${token}/image/${id}\\?w=\\d+$`));
      await expect(grid.getByText(prompt, { exact: true })).toBeVisible();
    }
    // A click opens the original, through the board's token, private to caches.
    await expect(grid.getByRole('link', { name: prompts[1] })).toHaveAttribute('href', `/s/${token}/image/${newerId}`);
    const original = await view.request.get(`/s/${token}/image/${newerId}`);
    expect(original.status()).toBe(200);
    expect(original.headers()['content-type']).toBe('image/png');
    expect(original.headers()['cache-control']).toBe('private, max-age=300');
    // Nothing of the studio.
    await expect(view.getByRole('textbox', { name: 'Prompt' })).toHaveCount(0);
    await expect(view.getByRole('region', { name: 'Gallery' })).toHaveCount(0);
    expect(await stranger.cookies()).toEqual([]);

    // Revoke it in Shared links, where it is listed by the board's name.
    await page.getByRole('button', { name: 'Shared links', exact: true }).click();
    const list = page.getByRole('dialog', { name: 'Shared links' });
    const linkRow = list.getByRole('row').filter({ hasText: `Board · ${boardName}` });
    await expect(linkRow).toContainText('2 pictures');
    await linkRow.getByRole('button', { name: 'Revoke', exact: true }).click();
    await linkRow.getByRole('button', { name: 'Revoke link' }).click();
    await expect(list.getByRole('row').filter({ hasText: `Board · ${boardName}` })).toHaveCount(0);

    // The page and its pictures: the plain 404 of any link that does not work.
    const gone = await view.goto(url);
    expect(gone?.status()).toBe(404);
    await expect(view.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(view.getByText(boardName)).toHaveCount(0);
    for (const path of [`/s/${token}/image/${newerId}`, `/s/${token}/image/${olderId}?w=320`]) {
      expect((await view.request.get(path)).status(), path).toBe(404);
    }
  } finally {
    await stranger.close();
  }
});
