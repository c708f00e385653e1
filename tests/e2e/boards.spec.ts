import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectCompleted, gallery, generate, openStudio, tasksWithPrompt, tileFor } from './support/fixtures';
import { E2E } from './support/env';

/**
 * Boards (issue #12): named collections, a picture on several. Made from the viewer and from a selection,
 * shown with the **Board** filter (in the URL), managed in the **Boards** dialog (rename, export, delete —
 * the pictures stay). The `tag` fixture removes the tasks; the boards named with the tag go here.
 */
test.afterEach(({ tag }) => {
  const db = new Database(E2E.databaseFile);
  try {
    db.prepare('DELETE FROM Board WHERE name LIKE ?').run(`%${tag}%`);
  } finally {
    db.close();
  }
});

async function threePictures(page: Page, tag: string) {
  await openStudio(page);
  for (const name of ['alpha', 'beta', 'gamma']) await generate(page, `${tag} ${name}`, { ratio: '1024:1024' });
  for (const name of ['alpha', 'beta', 'gamma']) await expectCompleted(page, `${tag} ${name}`);
  // Only this test's pictures from here on (other tests run beside it).
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);
}

async function openViewer(page: Page, text: string): Promise<Locator> {
  await tileFor(page, text).locator('[data-tile]').click();
  const dialog = page.getByRole('dialog', { name: 'Picture details' });
  await expect(dialog).toContainText(text);
  return dialog;
}

const boardFilter = (page: Page) => page.getByRole('combobox', { name: 'Board', exact: true });
const option = (scope: Locator, name: string) => scope.getByRole('listbox', { name: 'Boards' }).getByRole('option', { name });

test('boards: add from the viewer and a selection, filter by board, remove, rename, export, delete', async ({ page, tag }) => {
  test.setTimeout(90_000);
  await threePictures(page, tag);
  const trip = `${tag} trip`;

  // The viewer: Add to board → a new board, with this picture on it.
  let viewer = await openViewer(page, `${tag} alpha`);
  const add = viewer.getByRole('button', { name: 'Add to board' });
  await expect(add).toHaveAttribute('aria-haspopup', 'listbox');
  await expect(add).toHaveAttribute('aria-expanded', 'false');
  await add.click();
  await expect(add).toHaveAttribute('aria-expanded', 'true');
  await viewer.getByLabel('New board name').fill(trip);
  await viewer.getByRole('button', { name: 'Create board' }).click();
  await expect(option(viewer, trip)).toHaveAttribute('aria-selected', 'true');
  await expect(viewer.getByRole('listbox', { name: 'Boards' })).toHaveAttribute('aria-multiselectable', 'true');
  // A second board with the same name, in another case, is refused next to the field.
  await viewer.getByLabel('New board name').fill(trip.toUpperCase());
  await viewer.getByRole('button', { name: 'Create board' }).click();
  await expect(viewer.getByText('A board with that name exists.')).toBeVisible();
  await expect(viewer.getByLabel('New board name')).toHaveAttribute('aria-invalid', 'true');
  // Escape closes the popover only, and gives focus back to its button; a second one closes the viewer.
  await page.keyboard.press('Escape');
  await expect(add).toHaveAttribute('aria-expanded', 'false');
  await expect(add).toBeFocused();
  await expect(viewer).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();

  // A selection of the two others: Add to board → pick the board (from the keyboard).
  await page.getByRole('checkbox', { name: `Select: ${tag} beta` }).click();
  await page.getByRole('checkbox', { name: `Select: ${tag} gamma` }).click();
  const toolbar = page.getByRole('toolbar', { name: 'Selection' });
  await expect(toolbar).toContainText('2 selected');
  await toolbar.getByRole('button', { name: 'Add to board' }).click();
  const listbox = toolbar.getByRole('listbox', { name: 'Boards' });
  await expect(listbox).toBeFocused();
  await expect(option(toolbar, trip)).toHaveAttribute('aria-selected', 'false');
  // Walk to the board with the arrows (other tests' boards may come first), then Space.
  for (
    let i = 0;
    i < 50 && (await listbox.getAttribute('aria-activedescendant')) !== (await option(toolbar, trip).getAttribute('id'));
    i++
  ) {
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press(' ');
  await expect(option(toolbar, trip)).toHaveAttribute('aria-selected', 'true');
  await expect(toolbar.getByRole('status')).toContainText(`Added 2 pictures to ${trip}.`);
  await page.keyboard.press('Escape');
  await toolbar.getByRole('button', { name: 'Clear selection' }).click();

  // The Board filter: in the URL, three pictures; a reload keeps it.
  const boardId = await boardFilter(page).locator('option', { hasText: trip }).getAttribute('value');
  expect(boardId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(boardFilter(page).locator('option', { hasText: trip })).toHaveText(`${trip} (3)`);
  await boardFilter(page).selectOption(boardId!);
  await expect(page).toHaveURL(new RegExp(`board=${boardId}`));
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);
  await page.reload();
  await expect(boardFilter(page)).toHaveValue(boardId!);
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);

  // Off the board from the viewer: the board view shows two.
  viewer = await openViewer(page, `${tag} alpha`);
  await viewer.getByRole('button', { name: 'Add to board' }).click();
  await option(viewer, trip).click();
  await expect(option(viewer, trip)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(gallery(page).getByRole('listitem')).toHaveCount(2);
  await expect(tileFor(page, `${tag} alpha`)).toHaveCount(0);

  // The Boards dialog: cover, count, rename, export, delete.
  await page.getByRole('button', { name: 'Boards', exact: true }).click();
  const boards = page.getByRole('dialog', { name: 'Boards' });
  let row = boards.getByRole('listitem').filter({ hasText: trip });
  await expect(row).toContainText('2 pictures');
  await expect(row.locator('img')).toBeVisible();

  const holiday = `${tag} holiday`;
  await row.getByRole('button', { name: 'Rename' }).click();
  await boards.getByLabel(`New name for ${trip}`).fill(holiday);
  await page.keyboard.press('Enter');
  row = boards.getByRole('listitem').filter({ hasText: holiday });
  await expect(row).toContainText('2 pictures');
  await expect(boards.getByRole('status')).toContainText(`Renamed ${trip} to ${holiday}.`);

  const exportLink = row.getByRole('link', { name: 'Export' });
  await expect(exportLink).toHaveAttribute('href', `/api/export?board=${boardId}`);
  const zip = await page.request.get(`/api/export?board=${boardId}`);
  expect(zip.status()).toBe(200);
  expect(zip.headers()['content-type']).toBe('application/zip');
  expect(zip.headers()['x-darkroom-export-tasks']).toBe('2');
  expect(zip.headers()['x-darkroom-export-pictures']).toBe('2');

  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toContainText('stay in the gallery');
  await row.getByRole('button', { name: 'Delete board' }).click();
  await expect(boards.getByRole('listitem').filter({ hasText: holiday })).toHaveCount(0);
  await expect(boards.getByRole('status')).toContainText('Its pictures are still in the gallery.');
  await page.keyboard.press('Escape');
  await expect(boards).toBeHidden();

  // Every picture is still there.
  await boardFilter(page).selectOption('');
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);
  expect(tasksWithPrompt(tag)).toBe(3);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`Add to board fits a phone and passes axe (${colorScheme})`, async ({ page, tag }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.emulateMedia({ colorScheme });
    await openStudio(page);
    await generate(page, `${tag} phone board`);
    await expectCompleted(page, `${tag} phone board`);
    const viewer = await openViewer(page, `${tag} phone board`);
    await viewer.getByRole('button', { name: 'Add to board' }).click();
    await viewer.getByLabel('New board name').fill(`${tag} pocket`);
    await viewer.getByLabel('New board name').press('Enter');
    await expect(option(viewer, `${tag} pocket`)).toHaveAttribute('aria-selected', 'true');

    const popup = viewer.getByRole('listbox', { name: 'Boards' }).locator('xpath=ancestor::*[@popover]');
    const box = (await popup.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(812);

    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
}
