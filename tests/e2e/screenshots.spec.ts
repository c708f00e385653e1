import Database from 'better-sqlite3';
import { E2E } from './support/env';
import { test, expect, expectCompleted, generate, tileFor, openStudio, openAdvanced } from './support/fixtures';

/**
 * The README's screenshots, taken from the real app in the browser tests:
 * desktop at 1440 and 1920 wide, a phone, dark and light. They land in
 * test-results/screenshots; `DARKROOM_SCREENSHOTS=docs/screenshots npm run test:e2e -- screenshots`
 * refreshes the committed ones.
 */
const out = process.env.DARKROOM_SCREENSHOTS ?? 'test-results/screenshots';

const SHOTS = [
  { name: 'desktop-1440', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' as const },
  { name: 'desktop-1920', viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' as const },
  { name: 'desktop-light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' as const },
  { name: 'phone', viewport: { width: 375, height: 812 }, colorScheme: 'dark' as const, isMobile: true, hasTouch: true },
];

test('screenshots of the studio', async ({ browser, tag }) => {
  test.setTimeout(120_000);
  const setup = await browser.newPage();
  await openStudio(setup);
  await generate(setup, `${tag} lighthouse on a basalt cliff at dusk, volumetric fog`, { ratio: '1920:1080' });
  await setup.getByLabel('Variations').selectOption('4');
  await generate(setup, `${tag} isometric cutaway of a cozy bookshop on a rainy night`, { ratio: '1080:1080' });
  await setup.getByLabel('Variations').selectOption('1');
  await generate(setup, `${tag} [sim:fail] a picture the provider refuses`);
  await expect(tileFor(setup, `${tag} isometric`)).toHaveCount(4);
  for (const tile of await tileFor(setup, `${tag} isometric`).all()) await expect(tile).toContainText('Completed');
  await expectCompleted(setup, `${tag} lighthouse`);
  await setup.close();

  for (const shot of SHOTS) {
    const context = await browser.newContext({
      viewport: shot.viewport,
      colorScheme: shot.colorScheme,
      isMobile: shot.isMobile,
      hasTouch: shot.hasTouch,
    });
    const page = await context.newPage();
    await openStudio(page);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Macro photo of dew on a spider web at sunrise, shallow depth of field');
    await expectCompleted(page, `${tag} lighthouse`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/${shot.name}.png` });
    await context.close();
  }
});

test('screenshots of boards, a recipe loaded, a share link and Settings', async ({ browser, tag }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await openStudio(page);
  await generate(page, `${tag} harbour at dawn, long exposure`, { ratio: '1920:1080', seed: '77' });
  await expectCompleted(page, `${tag} harbour`);

  // A board, made from the viewer, then the Boards dialog.
  await tileFor(page, `${tag} harbour`).locator('[data-tile]').click();
  const viewer = page.getByRole('dialog', { name: 'Picture details' });
  await viewer.getByRole('button', { name: 'Add to board' }).click();
  await page.getByLabel('New board name').fill(`${tag} seascapes`);
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.keyboard.press('Escape');

  // A share link, opened without the studio around it.
  await viewer.getByRole('button', { name: 'Share', exact: true }).click();
  const share = page.getByRole('dialog', { name: 'Share picture' });
  await share.getByLabel('Show the prompt').check();
  await share.getByRole('button', { name: 'Create link' }).click();
  const link = await share.getByLabel('Share link').inputValue();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  const visitor = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  await visitor.goto(link);
  await expect(visitor.getByRole('img')).toBeVisible();
  await visitor.screenshot({ path: `${out}/share-page.png` });
  await visitor.close();

  await page.getByRole('button', { name: 'Boards', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Boards' })).toContainText(`${tag} seascapes`);
  await page.screenshot({ path: `${out}/boards.png` });
  await page.keyboard.press('Escape');

  // The recipe: downloaded, then loaded back into the composer.
  await tileFor(page, `${tag} harbour`).locator('[data-tile]').click();
  const downloading = page.waitForEvent('download');
  await viewer.getByRole('button', { name: 'Download' }).click();
  const file = (await (await downloading).path())!;
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: 'Prompt' }).fill('');
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Load settings from image' }).click();
  await (await choosing).setFiles(file);
  await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue(`${tag} harbour at dawn, long exposure`);
  await page.screenshot({ path: `${out}/recipe-loaded.png` });

  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.screenshot({ path: `${out}/settings.png`, fullPage: true });
  await context.close();
  const db = new Database(E2E.databaseFile);
  try {
    db.prepare('DELETE FROM Board WHERE name LIKE ?').run(`%${tag}%`);
  } finally {
    db.close();
  }
});

test('screenshots of the composer for three models and of a comparison', async ({ browser, tag }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await openStudio(page);
  const composer = page.getByRole('form', { name: 'Generate a picture' });
  const prompt = page.getByRole('textbox', { name: 'Prompt' });
  await prompt.fill('A red fox in fresh snow at blue hour, telephoto, soft rim light');

  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'Flux Dev' });
  await page.getByRole('combobox', { name: 'Aspect ratio' }).selectOption('widescreen_16_9');
  await openAdvanced(page);
  await page.getByLabel('Colour effect').selectOption({ label: 'Vibrant' });
  await page.getByLabel('Lighting').selectOption({ index: 3 });
  await composer.screenshot({ path: `${out}/composer-flux-dev.png` });

  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'Imagen 3' });
  await openAdvanced(page);
  await composer.screenshot({ path: `${out}/composer-imagen3.png` });

  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'Mystic' });
  await openAdvanced(page);
  await page.getByLabel('Fixed generation').check();
  await composer.screenshot({ path: `${out}/composer-mystic.png` });

  // A comparison: RunWay, Flux Dev and Seedream 4, one seed.
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'RunWay' });
  await prompt.fill(`${tag} a red fox in fresh snow at blue hour`);
  await page.getByLabel('Seed').fill('2026');
  await page.getByRole('checkbox', { name: /Compare models/ }).check();
  await page
    .getByRole('group', { name: /Models to compare/ })
    .getByRole('checkbox', { name: 'Seedream 4' })
    .check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(tileFor(page, tag)).toHaveCount(3);
  for (const tile of await tileFor(page, tag).all()) await expect(tile).toContainText('Completed', { timeout: 30_000 });
  await page.getByRole('checkbox', { name: /Compare models/ }).uncheck();
  await prompt.fill('');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/compare.png` });
  await context.close();
});
