import { test, expect, expectCompleted, generate, tileFor, openStudio } from './support/fixtures';

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
