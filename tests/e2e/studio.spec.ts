import type { Page } from '@playwright/test';
import { test, expect, chooseRatio, createsFor, expectCompleted, gallery, generate, tileFor, openStudio } from './support/fixtures';

const prompt = (page: Page) => page.getByRole('textbox', { name: 'Prompt' });
const firstTileTop = (page: Page) =>
  gallery(page)
    .getByRole('listitem')
    .first()
    .evaluate((el) => el.getBoundingClientRect().top);

test.describe('the studio layout', () => {
  for (const size of [
    { name: 'desktop 1440×900', viewport: { width: 1440, height: 900 }, phone: false },
    { name: 'phone 375×812', viewport: { width: 375, height: 812 }, phone: true },
  ]) {
    test(`${size.name}: the first row of pictures is on the first screen, the composer pinned`, async ({ browser, tag }) => {
      const context = await browser.newContext({ viewport: size.viewport, isMobile: size.phone, hasTouch: size.phone });
      const page = await context.newPage();
      await openStudio(page);
      await generate(page, `${tag} first screen`);
      await expectCompleted(page, tag);
      expect(await firstTileTop(page)).toBeLessThan(size.viewport.height * 0.5);
      // Pinned: at the bottom on phones; on wide screens it sticks to the top once the page scrolls (tested below).
      const composer = page.locator('[data-composer]');
      const box = (await composer.boundingBox())!;
      if (size.phone) expect(box.y + box.height).toBeGreaterThan(size.viewport.height - 2);
      else expect(await composer.evaluate((el) => [getComputedStyle(el).position, getComputedStyle(el).top])).toEqual(['sticky', '0px']);
      await context.close();
    });
  }

  test('the composer stays reachable while the gallery scrolls, and the gallery uses the whole width at 1920', async ({ browser, tag }) => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 600 } });
    const page = await context.newPage();
    await openStudio(page);
    await page.getByLabel('Variations').selectOption('4');
    // Landscape pictures: about four to a 1920 px row, so eight make two rows and the page scrolls.
    await generate(page, `${tag} wide one`, { ratio: '1920:1080' });
    await generate(page, `${tag} wide two`, { ratio: '1920:1080' });
    await expect(tileFor(page, tag)).toHaveCount(8);
    const list = gallery(page).getByRole('list');
    expect((await list.boundingBox())!.width).toBeGreaterThan(1800);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
    await expect(prompt(page)).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Generate' })).toBeInViewport();
    expect((await page.locator('[data-composer]').boundingBox())!.y).toBeLessThan(2);
    await context.close();
  });
});

test.describe('Variations', () => {
  test('4 variations: four tasks, four explicit seeds shown on the pictures, one request each; the batch can be reproduced', async ({
    page,
    tag,
  }) => {
    await openStudio(page);
    await page.getByLabel('Variations').selectOption('4');
    await generate(page, `${tag} four moons`, { seed: '100', ratio: '1024:1024' });
    await expect(tileFor(page, tag)).toHaveCount(4);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(4);
    const sent = (await createsFor(tag)).map((c) => c.body);
    expect(sent.map((b) => b.seed).sort()).toEqual([100, 101, 102, 103]);
    for (const body of sent) expect(body).toEqual({ prompt: `${tag} four moons`, ratio: '1024:1024', seed: body.seed });

    for (const tile of await tileFor(page, tag).all()) await expect(tile).toContainText('Completed', { timeout: 20_000 });
    const badges = await tileFor(page, tag).getByTestId('tile-seed').allTextContents();
    expect(badges).toEqual(['1/4 · seed 100', '2/4 · seed 101', '3/4 · seed 102', '4/4 · seed 103']);

    await tileFor(page, tag).nth(2).getByRole('img').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Variation 3 of 4');
    await dialog.getByRole('button', { name: 'Reproduce batch' }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(async () => (await createsFor(tag)).length).toBe(8);
    expect(
      (await createsFor(tag))
        .slice(4)
        .map((c) => c.body.seed)
        .sort(),
    ).toEqual([100, 101, 102, 103]);

    await tileFor(page, tag).first().getByRole('button').first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'New seeds for batch' }).click();
    await expect.poll(async () => (await createsFor(tag)).length).toBe(12);
    const fresh = (await createsFor(tag)).slice(8).map((c) => c.body.seed);
    expect(new Set(fresh).size).toBe(4);
    for (const seed of fresh) expect([100, 101, 102, 103]).not.toContain(seed);
  });
});

test.describe('drafts and prompt history', () => {
  test('the draft survives a reload: prompt, ratio, seed and variations', async ({ page, tag }) => {
    await openStudio(page);
    await prompt(page).fill(`${tag} half-written idea`);
    await chooseRatio(page, '720:1280');
    await page.getByLabel('Seed').fill('55');
    await page.getByLabel('Variations').selectOption('3');
    await page.reload();
    await expect(prompt(page)).toHaveValue(`${tag} half-written idea`);
    await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveAttribute('data-value', '720:1280');
    await expect(page.getByLabel('Seed')).toHaveValue('55');
    await expect(page.getByLabel('Variations')).toHaveValue('3');
    // Cleared again so later tests start from an empty composer.
    await page.evaluate(() => localStorage.clear());
  });

  test('Up/Down in an empty Prompt box walk recent prompts; Recent prompts is searchable and refills the composer', async ({
    page,
    tag,
  }) => {
    await openStudio(page);
    await generate(page, `${tag} first idea`);
    await generate(page, `${tag} second idea`);
    await expect(tileFor(page, tag)).toHaveCount(2);
    await prompt(page).fill('');
    await prompt(page).press('ArrowUp');
    await expect(prompt(page)).toHaveValue(`${tag} second idea`);
    await prompt(page).press('ArrowUp');
    await expect(prompt(page)).toHaveValue(`${tag} first idea`);
    await prompt(page).press('ArrowDown');
    await expect(prompt(page)).toHaveValue(`${tag} second idea`);
    await prompt(page).press('ArrowDown');
    await expect(prompt(page)).toHaveValue('');

    await page.getByRole('button', { name: 'Recent prompts' }).click();
    const search = page.getByRole('combobox', { name: 'Search recent prompts' });
    await expect(search).toBeFocused();
    await search.fill('first');
    const list = page.getByRole('listbox', { name: 'Recent prompts' });
    await expect(list.getByRole('option')).toHaveCount(1);
    await search.press('ArrowDown');
    await search.press('Enter');
    await expect(prompt(page)).toHaveValue(`${tag} first idea`);
    await expect(prompt(page)).toBeFocused();
    await page.evaluate(() => localStorage.clear());
  });

  test('Edit fills the pinned composer and focuses it without moving the page', async ({ browser, tag }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 560 } });
    const page = await context.newPage();
    await openStudio(page);
    await page.getByLabel('Variations').selectOption('4');
    await generate(page, `${tag} scrolled far`, { ratio: '720:1280', seed: '9' });
    await expect(tileFor(page, tag)).toHaveCount(4);
    await page.getByLabel('Variations').selectOption('1');
    await prompt(page).fill('');
    await tileFor(page, tag).last().getByRole('img').scrollIntoViewIfNeeded();
    await expect(tileFor(page, tag).last()).toContainText('Completed', { timeout: 20_000 });
    const before = await page.evaluate(() => window.scrollY);
    await tileFor(page, tag).last().getByRole('img').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(prompt(page)).toHaveValue(`${tag} scrolled far`);
    await expect(prompt(page)).toBeFocused();
    await expect(page.getByLabel('Seed')).toHaveValue('12');
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThan(4);
    await context.close();
  });
});

test.describe('progress, failure and arrival', () => {
  test('unfinished tiles show time against an estimate; the tab title counts what runs', async ({ page, tag }) => {
    await openStudio(page);
    await page.getByLabel('Variations').selectOption('3');
    await generate(page, `${tag} warm-up`);
    await expect(page).toHaveTitle('(3) Darkroom');
    for (const tile of await tileFor(page, `${tag} warm-up`).all()) await expect(tile).toContainText('Completed', { timeout: 20_000 });
    await expect(page).toHaveTitle('Darkroom');
    await page.getByLabel('Variations').selectOption('1');
    await generate(page, `${tag} timed`);
    const pending = tileFor(page, `${tag} timed`);
    // Three finished pictures give an estimate: "N s of about M s" and a determinate ring.
    await expect(pending).toContainText(/\d+ s of about \d+ s/);
    await expect(pending.locator('svg[data-progress]')).not.toHaveAttribute('data-progress', 'indeterminate');
    await expect(page).toHaveTitle('(1) Darkroom');
    await expectCompleted(page, `${tag} timed`);
    await expect(page).toHaveTitle('Darkroom');
  });

  test('notifications are asked for only from the button, and a picture arriving in a hidden tab notifies', async ({ browser, tag }) => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications']);
    const page = await context.newPage();
    await page.addInitScript(() => {
      const shown: string[] = [];
      (window as unknown as { shownNotices: string[] }).shownNotices = shown;
      let asked = 0;
      class FakeNotification {
        static permission = 'default';
        static requestPermission() {
          asked += 1;
          FakeNotification.permission = 'granted';
          return Promise.resolve('granted');
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push(`${title}: ${options?.body ?? ''}`);
        }
        close() {}
      }
      Object.defineProperty(window, 'Notification', { value: FakeNotification });
      Object.defineProperty(window, 'askedForNotices', { get: () => asked });
    });
    await openStudio(page);
    const button = page.getByRole('button', { name: 'Notify me when a picture is ready' });
    await expect(button).toHaveAttribute('aria-pressed', 'false');
    expect(await page.evaluate(() => (window as unknown as { askedForNotices: number }).askedForNotices)).toBe(0);
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    expect(await page.evaluate(() => (window as unknown as { askedForNotices: number }).askedForNotices)).toBe(1);

    await generate(page, `${tag} while away`);
    await page.evaluate(() => Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }));
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shownNotices: string[] }).shownNotices), { timeout: 20_000 })
      .toContain(`Picture ready: ${tag} while away`);
    await context.close();
  });

  test('a failed tile shows the reason and offers Edit, Retry with new seed and Delete', async ({ page, tag }) => {
    await openStudio(page);
    await generate(page, `${tag} [sim:fail] doomed`, { seed: '321' });
    const tile = tileFor(page, tag);
    await expect(tile).toContainText('The provider could not generate this picture.');
    await tile.getByRole('button', { name: 'Retry with new seed' }).click();
    await expect(tileFor(page, tag)).toHaveCount(2);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(2);
    const [first, second] = await createsFor(tag);
    expect(first.body.seed).toBe(321);
    expect(second.body.seed).not.toBe(321);
    expect(second.body.prompt).toBe(first.body.prompt);

    await prompt(page).fill('');
    await tileFor(page, tag).first().getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(prompt(page)).toHaveValue(`${tag} [sim:fail] doomed`);
    await expect(prompt(page)).toBeFocused();
    await prompt(page).fill('');

    await expect(tileFor(page, tag).first()).toContainText('Failed');
    await tileFor(page, tag).first().getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(tileFor(page, tag)).toHaveCount(1);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(tileFor(page, tag)).toHaveCount(2);
  });
});
