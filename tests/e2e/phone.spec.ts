import type { Locator } from '@playwright/test';
import { test, expect, expectCompleted, gallery, generate, tileFor, openStudio } from './support/fixtures';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;
const box = async (locator: Locator) => (await locator.boundingBox())!;

test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

test('phone: tile overlays never cover each other, failed tiles show reason and buttons, the bulk bar floats', async ({ page, tag }) => {
  await openStudio(page);
  await page.getByLabel('Variations').selectOption('2');
  await generate(page, `${tag} pocket`, { ratio: '1080:1920' });
  await page.getByLabel('Variations').selectOption('1');
  await generate(page, `${tag} [sim:fail] pocket failure`);
  await expect(tileFor(page, `${tag} pocket`)).toHaveCount(2);
  await expectCompleted(page, `${tag} pocket`);
  for (const tile of await tileFor(page, `${tag} pocket`).all()) await expect(tile).toContainText('Completed', { timeout: 20_000 });

  for (const tile of await tileFor(page, `${tag} pocket`).all()) {
    const seed = await box(tile.getByTestId('tile-seed'));
    const select = await box(tile.getByRole('checkbox'));
    const star = await box(tile.getByRole('button', { name: /^Favorite:/ }));
    const frame = await box(tile);
    expect(overlaps(seed, select) || overlaps(seed, star) || overlaps(select, star)).toBe(false);
    for (const part of [seed, select, star]) expect(inside(part, frame)).toBe(true);
  }

  const failed = tileFor(page, `${tag} [sim:fail]`);
  await expect(failed).toContainText('The provider could not generate this picture.');
  const frame = await box(failed);
  const reason = failed.getByText('The provider could not generate this picture.');
  await expect(reason).toBeVisible();
  expect(inside(await box(reason), frame)).toBe(true);
  for (const name of ['Edit', 'Retry with new seed', 'Delete']) {
    const button = failed.getByRole('button', { name, exact: true });
    await expect(button).toBeVisible();
    expect(inside(await box(button), frame)).toBe(true);
    expect(overlaps(await box(button), await box(reason))).toBe(false);
  }
  expect(overlaps(await box(reason), await box(failed.getByRole('checkbox')))).toBe(false);

  // Selecting shows the bulk bar over the page: the grid does not move.
  const listTop = (await box(gallery(page).getByRole('list'))).y;
  await tileFor(page, `${tag} pocket`).first().getByRole('checkbox').tap();
  await expect(page.getByRole('toolbar', { name: 'Selection' })).toBeVisible();
  expect((await box(gallery(page).getByRole('list'))).y).toBe(listTop);
  await expect(page.getByRole('toolbar', { name: 'Selection' })).toBeInViewport();
  await page.getByRole('button', { name: 'Clear selection' }).tap();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('phone: the viewer closes from under the thumb', async ({ page, tag }) => {
  await openStudio(page);
  await generate(page, `${tag} thumb reach`);
  await expectCompleted(page, tag);
  await tileFor(page, tag).locator('[data-tile]').tap();
  const dialog = page.getByRole('dialog', { name: 'Picture details' });
  await expect(dialog).toBeVisible();
  const close = dialog.getByRole('button', { name: 'Close' });
  await expect(close).toBeVisible();
  const where = await box(close);
  expect(where.y).toBeGreaterThan(812 * 0.75);
  expect(where.height).toBeGreaterThanOrEqual(36);
  await close.tap();
  await expect(dialog).toBeHidden();
});
