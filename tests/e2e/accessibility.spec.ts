import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, expectCompleted, generate, openAdvanced, openStudio, tileFor } from './support/fixtures';
import { ExtraServer } from './support/extra-server';

/** axe must find nothing serious or critical (WCAG 2.1 A/AA rules). */
async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(10); // axe really ran
}

test('main page, picture dialog and trash have no serious accessibility violations', async ({ page, tag }) => {
  await page.goto('/');
  await generate(page, `${tag} accessible picture`);
  await expectCompleted(page, tag);
  await expectNoSeriousViolations(page);

  await tileFor(page, tag).getByRole('button').first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Trash' }).click();
  await expect(page).toHaveURL(/view=trash/);
  await expectNoSeriousViolations(page);
});

test('the login page has no serious accessibility violations', async ({ page }) => {
  const server = new ExtraServer('a11y-login', 3105, { APP_PASSWORD: 'correct horse battery' });
  server.prepare();
  try {
    await server.start();
    await page.goto(server.url);
    await expect(page.getByLabel('Password')).toBeVisible();
    await expectNoSeriousViolations(page);
  } finally {
    server.kill();
  }
});

test('a polite live region announces finished pictures', async ({ page, tag }) => {
  await page.goto('/');
  await generate(page, `${tag} announced`);
  await expect(page.getByRole('status').filter({ hasText: `Picture ready: ${tag} announced` })).toHaveCount(1, { timeout: 15_000 });
});

test('respects reduced motion', async ({ browser, tag }) => {
  const context = await browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto('/');
  await generate(page, `${tag} calm`);
  const pending = tileFor(page, tag).locator('.pending-tile');
  await expect(pending).toHaveCount(1);
  expect(await pending.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  await context.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`follows the ${colorScheme} color scheme without contrast problems`, async ({ browser, tag }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto('/');
    await generate(page, `${tag} ${colorScheme} scheme`);
    await expectCompleted(page, tag);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // Chromium reports lab(L …) (L 0…100), oklch(L …) (0…1) or rgb(r …) (0…255) depending on the source colour.
    const [, fn, first] = /^(\w+)\(([\d.]+)/.exec(background) ?? [];
    const value = Number(first);
    const isLight = fn?.startsWith('rgb') ? value > 128 : fn === 'oklch' && value <= 1 ? value > 0.5 : value > 50;
    expect(isLight).toBe(colorScheme === 'light');
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: `test-results/scheme-${colorScheme}.png` });
    await context.close();
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`pending, failed and selected tiles, the phone layout and the shortcuts sheet pass axe (${colorScheme})`, async ({
    browser,
    tag,
  }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto('/');
    await generate(page, `${tag} ${colorScheme} done`);
    await generate(page, `${tag} [sim:fail] ${colorScheme} failed`);
    await expectCompleted(page, `${tag} ${colorScheme} done`);
    await expect(tileFor(page, `${tag} [sim:fail]`)).toContainText('Failed');
    await page.getByRole('checkbox', { name: `Select: ${tag} ${colorScheme} done` }).click();
    await expect(page.getByRole('toolbar', { name: 'Selection' })).toBeVisible();
    // A pending tile, caught while it waits (the simulator takes ~1.5 s).
    await generate(page, `${tag} ${colorScheme} pending`);
    await expect(tileFor(page, `${tag} ${colorScheme} pending`)).toContainText(/Queued|Generating/);
    await expectNoSeriousViolations(page);

    await page.setViewportSize({ width: 375, height: 812 });
    await expectNoSeriousViolations(page);
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await expectNoSeriousViolations(page);
    await context.close();
  });
}

test('the composer with another model, its Advanced settings open and Compare on, and a comparison in the viewer', async ({
  page,
  tag,
}) => {
  await openStudio(page);
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label: 'Mystic' });
  await openAdvanced(page);
  await page.getByRole('checkbox', { name: /Compare models/ }).check();
  await expectNoSeriousViolations(page);

  await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} accessible comparison`);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(tileFor(page, tag)).toHaveCount(2);
  for (const tile of await tileFor(page, tag).all()) await expect(tile).toContainText('Completed', { timeout: 30_000 });
  await tileFor(page, tag).first().locator('[data-tile]').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page);
});
