import type { Page } from '@playwright/test';
import { test, expect, expectCompleted, gallery, generate, tileFor, openStudio } from './support/fixtures';
import { SHORTCUTS } from '../../components/shortcuts-dialog';

const ownButton = (page: Page, text: string) => tileFor(page, text).locator('[data-tile]');
const focusedTile = (page: Page) => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-label') ?? null);

async function threePictures(page: Page, tag: string) {
  await openStudio(page);
  for (const name of ['alpha', 'beta', 'gamma']) await generate(page, `${tag} ${name}`);
  for (const name of ['alpha', 'beta', 'gamma']) await expectCompleted(page, `${tag} ${name}`);
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill(tag);
  await expect(page).toHaveURL(/q=/);
  await expect(gallery(page).getByRole('listitem')).toHaveCount(3);
}

test.describe('the gallery by keyboard', () => {
  test('one Tab stop; arrows move, Enter opens, F favorites, X selects, Delete trashes with Undo', async ({ page, tag }) => {
    await threePictures(page, tag);
    // Exactly one tile button is in the Tab order.
    await expect(gallery(page).locator('[data-tile][tabindex="0"]')).toHaveCount(1);
    await expect(gallery(page).locator('li button[tabindex="0"], li input[tabindex="0"]')).toHaveCount(1);

    await ownButton(page, `${tag} gamma`).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('section[aria-label="Gallery"] ul'))).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await focusedTile(page)).toContain('gamma');

    // Newest first: gamma, beta, alpha.
    await page.keyboard.press('ArrowRight');
    expect(await focusedTile(page)).toContain('beta');
    await page.keyboard.press('End');
    expect(await focusedTile(page)).toContain('alpha');
    await page.keyboard.press('Home');
    expect(await focusedTile(page)).toContain('gamma');
    await page.keyboard.press('ArrowRight');
    // The Tab stop moved with focus.
    await expect(ownButton(page, `${tag} beta`)).toHaveAttribute('tabindex', '0');

    await page.keyboard.press('f');
    await expect(page.getByRole('button', { name: `Favorite: ${tag} beta` })).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('x');
    await expect(page.getByRole('toolbar', { name: 'Selection' })).toContainText('1 selected');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('toolbar', { name: 'Selection' })).toHaveCount(0);

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Picture details' });
    await expect(dialog).toContainText(`${tag} beta`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect(await focusedTile(page)).toContain('beta');

    await page.keyboard.press('Delete');
    await expect(tileFor(page, `${tag} beta`)).toHaveCount(0);
    // Focus moved on to the next tile.
    await expect.poll(() => focusedTile(page)).toContain('alpha');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(tileFor(page, `${tag} beta`)).toHaveCount(1);
  });

  test('/ focuses search, N the Prompt, ? opens a sheet that lists every shortcut', async ({ page, tag }) => {
    await threePictures(page, tag);
    await ownButton(page, `${tag} gamma`).focus();
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search prompts' })).toBeFocused();
    await ownButton(page, `${tag} gamma`).focus();
    await page.keyboard.press('n');
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toBeFocused();
    await ownButton(page, `${tag} gamma`).focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toBeVisible();
    for (const shortcut of SHORTCUTS) await expect(sheet.getByRole('row').filter({ hasText: shortcut.what })).toHaveCount(1);
    for (const key of ['/', '?', 'F', 'X', 'Delete', 'Enter', 'E', 'R', 'Home', 'End']) {
      await expect(sheet.locator('kbd', { hasText: new RegExp(`^${key.replace(/[?/]/g, '\\$&')}$`) }).first()).toBeVisible();
    }
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
  });

  test('the viewer lives in the URL: Back closes it, a reload and a link reopen it; Delete moves on', async ({ page, tag }) => {
    await threePictures(page, tag);
    await ownButton(page, `${tag} gamma`).click();
    const dialog = page.getByRole('dialog', { name: 'Picture details' });
    await expect(dialog).toContainText(`${tag} gamma`);
    await expect(page).toHaveURL(/[?&]picture=/);
    const link = page.url();

    // Next replaces the entry: Back still closes the viewer rather than walking pictures.
    await page.keyboard.press('ArrowRight');
    await expect(dialog).toContainText(`${tag} beta`);
    await page.goBack();
    await expect(dialog).toBeHidden();
    await expect(page).not.toHaveURL(/picture=/);
    await expect(page).toHaveURL(/q=/);

    await page.goForward();
    await expect(dialog).toContainText(`${tag} beta`);
    await page.reload();
    await expect(dialog).toContainText(`${tag} beta`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    const other = await page.context().newPage();
    await other.goto(link);
    await expect(other.getByRole('dialog', { name: 'Picture details' })).toContainText(`${tag} gamma`);
    await other.close();

    // Delete in the viewer goes on to the next picture.
    await ownButton(page, `${tag} gamma`).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toContainText(`${tag} beta`);
    await page.keyboard.press('Delete');
    await expect(dialog).toContainText(`${tag} alpha`);
    await expect(gallery(page).getByRole('listitem')).toHaveCount(1);
  });
});
