import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, expectCompleted, gallery, generate, tileFor } from './support/fixtures';
import { E2E } from './support/env';
import type { Page } from '@playwright/test';

async function pictures(page: Page, tag: string, names: string[]) {
  await page.goto('/');
  for (const name of names) await generate(page, `${tag} ${name}`, { ratio: '1024:1024' });
  for (const name of names) await expectCompleted(page, `${tag} ${name}`);
}

const openButton = (page: Page, text: string) => tileFor(page, text).getByRole('button').first();

test('filters and search live in the URL: reload keeps them, Back undoes them', async ({ page, tag }) => {
  await pictures(page, tag, ['wide dune']);
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await page.getByLabel('Filter by ratio').selectOption('1024:1024');
  await page.getByLabel('Filter by status').selectOption('COMPLETED');
  await page.getByLabel('Sort').selectOption('oldest');
  await expect(page).toHaveURL(/ratio=1024%3A1024/);
  await expect(page).toHaveURL(/status=COMPLETED/);
  await expect(page).toHaveURL(/sort=oldest/);
  await expect(tileFor(page, tag)).toHaveCount(1);

  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search prompts' })).toHaveValue(tag);
  await expect(page.getByLabel('Filter by ratio')).toHaveValue('1024:1024');
  await expect(page.getByLabel('Filter by status')).toHaveValue('COMPLETED');
  await expect(page.getByLabel('Sort')).toHaveValue('oldest');
  await expect(tileFor(page, tag)).toHaveCount(1);

  await page.getByLabel('Filter by status').selectOption('FAILED');
  await expect(tileFor(page, tag)).toHaveCount(0);
  await page.goBack();
  await expect(page.getByLabel('Filter by status')).toHaveValue('COMPLETED');
  await expect(tileFor(page, tag)).toHaveCount(1);
});

test('lightbox: arrows move through the filtered order, focus stays inside, Escape returns to the tile', async ({ page, tag }) => {
  await pictures(page, tag, ['first', 'second', 'third']);
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);
  // Newest first: third, second, first.
  await openButton(page, `${tag} third`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`${tag} third`);
  await page.keyboard.press('ArrowRight');
  await expect(dialog).toContainText(`${tag} second`);
  await page.keyboard.press('ArrowRight');
  await expect(dialog).toContainText(`${tag} first`);
  await expect(dialog.getByRole('button', { name: 'Next picture' })).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('ArrowRight'); // at the end: stays
  await expect(dialog).toContainText(`${tag} first`);
  await page.keyboard.press('ArrowLeft');
  await expect(dialog).toContainText(`${tag} second`);

  for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(openButton(page, `${tag} second`)).toBeFocused();
});

test('Copy prompt, lineage and Compare with parent', async ({ page, context, tag }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await pictures(page, tag, ['ancestor']);
  await openButton(page, `${tag} ancestor`).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Copy prompt' }).click();
  await expect(page.getByRole('dialog').getByText('Prompt copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${tag} ancestor`);

  await page.getByRole('dialog').getByRole('button', { name: 'New seed' }).click();
  await expect(tileFor(page, tag)).toHaveCount(2);
  await expect(tileFor(page, tag).first()).toContainText('Completed');
  await openButton(page, tag).first().click(); // the child, newest first
  const lineage = page.getByRole('dialog').getByRole('region', { name: 'Lineage' });
  await expect(lineage).toContainText('Parent');
  await page.getByRole('dialog').getByRole('button', { name: 'Compare with parent' }).click();
  await expect(page.getByRole('dialog').getByRole('img', { name: `Parent: ${tag} ancestor` })).toBeVisible();
  await lineage.getByRole('button', { name: /Parent/ }).click();
  await expect(page.getByRole('dialog').getByRole('region', { name: 'Lineage' })).toContainText('Child (New seed)');
});

test('favorites: star on the tile, Favorites only filter, survives reload', async ({ page, tag }) => {
  await pictures(page, tag, ['liked', 'ignored']);
  const star = page.getByRole('button', { name: `Favorite: ${tag} liked` });
  await star.click();
  await expect(star).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill(tag);
  await page.getByLabel('Favorites only').check();
  await expect(tileFor(page, tag)).toHaveCount(1);
  await expect(tileFor(page, `${tag} liked`)).toHaveCount(1);
  await page.reload();
  await expect(tileFor(page, tag)).toHaveCount(1);
  await expect(page.getByRole('button', { name: `Favorite: ${tag} liked` })).toHaveAttribute('aria-pressed', 'true');
});

test('multi-select with shift-click, then bulk Favorite', async ({ page, tag }) => {
  await pictures(page, tag, ['one', 'two', 'three']);
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill(tag);
  // Wait for the filtered gallery itself, so the tiles do not move between the two clicks.
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);
  await page.getByRole('checkbox', { name: `Select: ${tag} three` }).click();
  await page.getByRole('checkbox', { name: `Select: ${tag} one` }).click({ modifiers: ['Shift'] });
  await expect(page.getByRole('toolbar', { name: 'Selection' })).toContainText('3 selected');
  await page.getByRole('button', { name: 'Favorite selected' }).click();
  for (const name of ['one', 'two', 'three']) {
    await expect(page.getByRole('button', { name: `Favorite: ${tag} ${name}` })).toHaveAttribute('aria-pressed', 'true');
  }
});

test('Delete moves to the trash with Undo; Empty trash deletes the file', async ({ page, tag }) => {
  await pictures(page, tag, ['keeper', 'goner']);

  // Delete → Undo → back in the gallery.
  await openButton(page, `${tag} keeper`).click();
  await deleteInViewer(page, `${tag} keeper`);
  await expect(tileFor(page, `${tag} keeper`)).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(tileFor(page, `${tag} keeper`)).toHaveCount(1);
  await page.reload();
  await expect(tileFor(page, `${tag} keeper`)).toHaveCount(1);

  // Delete the other one for good.
  const sqlite = new Database(E2E.databaseFile, { readonly: true });
  const file = (
    sqlite.prepare('SELECT i.path FROM Image i JOIN Task t ON t.id = i.taskId WHERE t.prompt = ?').get(`${tag} goner`) as { path: string }
  ).path;
  sqlite.close();
  expect(existsSync(path.join(E2E.dataDir, file))).toBe(true);
  await openButton(page, `${tag} goner`).click();
  await deleteInViewer(page, `${tag} goner`);
  await expect(tileFor(page, `${tag} goner`)).toHaveCount(0);

  await page.getByRole('button', { name: 'Trash' }).click();
  await expect(page).toHaveURL(/view=trash/);
  await expect(tileFor(page, `${tag} goner`)).toHaveCount(1);

  // Restore from the Trash brings it back; then delete it again.
  await openButton(page, `${tag} goner`).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
  await expect(tileFor(page, `${tag} goner`)).toHaveCount(0);
  await page.getByRole('button', { name: 'Pictures' }).click();
  await openButton(page, `${tag} goner`).click();
  await deleteInViewer(page, `${tag} goner`);
  await page.getByRole('button', { name: 'Trash' }).click();
  await expect(tileFor(page, `${tag} goner`)).toHaveCount(1);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Empty trash' }).click();
  await expect(gallery(page).getByText('The trash is empty.')).toBeVisible();
  expect(existsSync(path.join(E2E.dataDir, file))).toBe(false);
  await page.getByRole('button', { name: 'Pictures' }).click();
  await expect(tileFor(page, `${tag} keeper`)).toHaveCount(1);
});

test('empty states: a search with no hits in the Trash says so, a filtered gallery offers Clear filters, clearing the search resets Best match', async ({
  page,
  tag,
}) => {
  await pictures(page, tag, ['kept', 'binned']);
  await openButton(page, `${tag} binned`).click();
  await deleteInViewer(page, `${tag} binned`);
  await expect(tileFor(page, `${tag} binned`)).toHaveCount(0);
  const search = page.getByRole('searchbox', { name: 'Search prompts' });
  const nothing = `${tag}zz`; // no prompt has a word starting with this

  // The Trash holds a picture, so a search that finds nothing there must not call it empty.
  await page.getByRole('button', { name: 'Trash' }).click();
  await expect(page).toHaveURL(/view=trash/);
  await search.fill(tag);
  await expect(tileFor(page, `${tag} binned`)).toHaveCount(1);
  await search.fill(nothing);
  await expect(page).toHaveURL(new RegExp(`q=${nothing}`));
  await expect(gallery(page).getByText(`Nothing in the trash matches “${nothing}”.`)).toBeVisible();
  await expect(gallery(page).getByText('The trash is empty')).toHaveCount(0);
  await expect(gallery(page).getByRole('button', { name: 'Clear filters' })).toBeVisible();

  // Back in the gallery the search stays: no hits there either.
  await page.getByRole('button', { name: 'Pictures' }).click();
  await expect(page).not.toHaveURL(/view=trash/);
  await expect(search).toHaveValue(nothing);
  await expect(gallery(page).getByText(`No pictures match “${nothing}”.`)).toBeVisible();

  // A search with hits, narrowed by a filter to none: Clear filters clears both.
  await search.fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}(&|$)`));
  await page.getByLabel('Filter by status').selectOption('FAILED');
  await expect(page).toHaveURL(/status=FAILED/);
  await expect(gallery(page).getByText(`No pictures match “${tag}” with these filters.`)).toBeVisible();
  await gallery(page).getByRole('button', { name: 'Clear filters' }).click();
  await expect(search).toHaveValue('');
  await expect(page.getByLabel('Filter by status')).toHaveValue('');
  await expect(page).not.toHaveURL(/[?&](q|status)=/);
  await expect(tileFor(page, `${tag} kept`)).toHaveCount(1);

  // Best match ranks by the search: offered only with one, and clearing the search puts the order back to newest.
  const sort = page.getByLabel('Sort');
  const bestMatch = sort.getByRole('option', { name: 'Best match' });
  await expect(bestMatch).toBeDisabled();
  await search.fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}(&|$)`));
  await expect(bestMatch).toBeEnabled();
  await sort.selectOption('relevance');
  await expect(page).toHaveURL(/sort=relevance/);
  await expect(sort).toHaveValue('relevance');
  await search.fill('');
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(sort).toHaveValue('newest');
  await expect(page).not.toHaveURL(/sort=relevance/);
  await expect(bestMatch).toBeDisabled();
});

test('phone layout at 375 px: no sideways scrolling, form and gallery usable', async ({ browser, tag }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await pictures(page, tag, ['pocket picture']);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const tile = tileFor(page, tag);
  const box = (await tile.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(375);
  await expect(page.getByRole('button', { name: 'Generate' })).toBeVisible();
  await tile.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/phone-375.png', fullPage: false });
  await openButton(page, tag).tap();
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Reproduce' })).toBeInViewport();
  await context.close();
});

/** Delete in the viewer: it moves on to the next picture (or closes at the end); then close it to reach the gallery. */
async function deleteInViewer(page: Page, prompt: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog.getByRole('paragraph').filter({ hasText: prompt })).toHaveCount(0);
  if (await dialog.isVisible()) await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}
