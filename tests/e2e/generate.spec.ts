import { test, expect, createsFor, expectCompleted, gallery, generate, simLog, tileFor } from './support/fixtures';
import { RATIOS } from '../../lib/generation/schema';

test.describe('generating a picture', () => {
  test('offers all 16 ratios by name', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('combobox', { name: 'Aspect ratio' }).click();
    const ratio = page.getByRole('listbox', { name: 'Aspect ratio' });
    for (const value of RATIOS) {
      await expect(ratio.getByRole('option', { name: new RegExp(`^${value} · `) })).toHaveCount(1);
    }
  });

  test('submit → Queued → Generating → Completed with a decoded picture, without reloading', async ({ page, tag }) => {
    await page.goto('/');
    const prompt = `${tag} lighthouse on a cliff at dusk`;
    await generate(page, prompt, { ratio: '1080:1920', seed: '4242' });

    const tile = tileFor(page, tag);
    await expect(tile).toContainText('Queued', { timeout: 3_000 });
    await expect(tile).toContainText('Generating');
    const image = await expectCompleted(page, tag);
    await expect(image).toHaveAttribute('alt', prompt);
    // The grid loads a WebP thumbnail from srcset; `src` is the original at its full size.
    expect(await image.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\/api\/images\/[^?]+\?w=\d+&v=/);
    const original = await image.evaluate(async (img: HTMLImageElement) => {
      const probe = new Image();
      probe.src = img.src;
      await probe.decode();
      return [probe.naturalWidth, probe.naturalHeight];
    });
    expect(original).toEqual([1080, 1920]);
    // Served from our own URL, never the provider's signed one.
    expect(await image.getAttribute('src')).toMatch(/^\/api\/images\//);

    const [create] = await createsFor(tag);
    expect(create.body).toEqual({ prompt, ratio: '1080:1920', seed: 4242 });
  });

  test('an empty seed still sends an explicit random seed, and the prompt counter counts', async ({ page, tag }) => {
    await page.goto('/');
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} owl`);
    await expect(page.getByText(`${`${tag} owl`.length} / 1000`)).toBeVisible();
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(tileFor(page, tag)).toHaveCount(1);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(1);
    const [create] = await createsFor(tag);
    expect(Number.isInteger(create.body.seed)).toBe(true);
    expect(create.body.seed).toBeGreaterThanOrEqual(0);
    expect(create.body.seed).toBeLessThanOrEqual(4294967295);
  });

  test('invalid input shows a message at the field and sends nothing', async ({ page, tag }) => {
    await page.goto('/');
    const before = (await simLog()).creates.length;

    await page.getByRole('textbox', { name: 'Prompt' }).fill('x'.repeat(1001));
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByText('The prompt is too long: at most 1000 characters.')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveAttribute('aria-invalid', 'true');

    // 1000 emoji are 2000 UTF-16 units: the counter says so, in the unit it limits.
    await page.getByRole('textbox', { name: 'Prompt' }).fill('🦉'.repeat(1000));
    await expect(page.getByText('2000 / 1000 · emoji count as 2')).toBeVisible();
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(
      page.getByText(/The prompt is too long: at most 1000 characters \(emoji and some symbols count as 2; this one counts 2000\)/),
    ).toBeVisible();
    await page.getByRole('textbox', { name: 'Prompt' }).fill('🦉'.repeat(500));
    await expect(page.getByText('1000 / 1000 · emoji count as 2')).toBeVisible();

    await page.getByRole('textbox', { name: 'Prompt' }).fill('');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByText('Write a prompt.')).toBeVisible();

    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} fine prompt`);
    await page.getByLabel('Seed').fill('99999999999');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByText('The seed must be between 0 and 4294967295.')).toBeVisible();

    await page.waitForTimeout(500);
    expect((await simLog()).creates.length).toBe(before);
    await expect(tileFor(page, tag)).toHaveCount(0);
  });

  test('a task the provider fails shows Failed with its reason', async ({ page, tag }) => {
    await page.goto('/');
    await generate(page, `${tag} [sim:fail] impossible picture`);
    const tile = tileFor(page, tag);
    await expect(tile).toContainText('Failed');
    await expect(tile).toContainText('The provider could not generate this picture.');

    for (const name of ['Edit', 'Retry with new seed', 'Delete'])
      await expect(tile.getByRole('button', { name, exact: true })).toBeVisible();
    // Retry (in the dialog): a new task with the same prompt, ratio and seed.
    await tile.getByRole('button').first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(tileFor(page, tag)).toHaveCount(2);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(2);
    const [original, retried] = await createsFor(tag);
    expect(retried.body).toEqual(original.body);
  });

  test('tasks survive a reload, including one still generating', async ({ page, tag }) => {
    await page.goto('/');
    await generate(page, `${tag} reload me`);
    await expect(tileFor(page, tag)).toHaveCount(1);
    await page.reload();
    // Still there after the reload, and it keeps going to the end.
    await expect(tileFor(page, tag)).toHaveCount(1);
    await expectCompleted(page, tag);
    await page.reload();
    await expectCompleted(page, tag);
  });

  test('search filters the gallery and lives in the URL', async ({ page, tag }) => {
    await page.goto('/');
    await generate(page, `${tag} quiet harbour`);
    await generate(page, `${tag} burning forest`);
    await expect(tileFor(page, tag)).toHaveCount(2);

    await page.getByRole('searchbox', { name: 'Search prompts' }).fill(`${tag} harbour`);
    await expect(tileFor(page, tag)).toHaveCount(1);
    await expect(tileFor(page, 'quiet harbour')).toHaveCount(1);
    await expect(page).toHaveURL(/q=/);

    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search prompts' })).toHaveValue(`${tag} harbour`);
    await expect(tileFor(page, tag)).toHaveCount(1);

    await page.getByRole('searchbox', { name: 'Search prompts' }).fill(`${tag} nothing-matches-this`);
    await expect(gallery(page).getByText(/No pictures match/)).toBeVisible();
  });
});
