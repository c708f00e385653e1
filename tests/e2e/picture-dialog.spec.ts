import { test, expect, createsFor, expectCompleted, generate, tileFor } from './support/fixtures';
import type { Page } from '@playwright/test';
import { isTextChunk, removeChunks, textChunkKeyword } from '../../lib/images/png-chunks';

async function finishedPicture(page: Page, prompt: string, seed = '777') {
  await page.goto('/');
  await generate(page, prompt, { ratio: '1280:720', seed });
  return expectCompleted(page, prompt);
}

test.describe('the picture dialog', () => {
  test('opens from a tile, shows the details, Escape closes and focus returns to the tile', async ({ page, tag }) => {
    const prompt = `${tag} glass city`;
    const image = await finishedPicture(page, prompt, '31337');
    await image.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(prompt);
    await expect(dialog).toContainText('1280:720');
    await expect(dialog.getByTestId('dialog-seed')).toHaveText('31337');
    for (const name of ['Reproduce', 'New seed', 'Edit', 'Download', 'Delete']) {
      await expect(dialog.getByRole('button', { name, exact: true })).toBeVisible();
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(tileFor(page, tag).getByRole('button').first()).toBeFocused();
  });

  test('Reproduce sends the same prompt, ratio and seed; New seed sends another seed', async ({ page, tag }) => {
    const prompt = `${tag} copper robot`;
    const image = await finishedPicture(page, prompt, '123456');

    await image.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reproduce' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(tileFor(page, tag)).toHaveCount(2);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(2);
    const [, reproduced] = await createsFor(tag);
    expect(reproduced.body).toEqual({ prompt, ratio: '1280:720', seed: 123456 });

    await tileFor(page, tag).last().getByRole('img').click();
    await page.getByRole('dialog').getByRole('button', { name: 'New seed' }).click();
    await expect(tileFor(page, tag)).toHaveCount(3);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(3);
    const third = (await createsFor(tag))[2];
    expect(third.body.prompt).toBe(prompt);
    expect(third.body.ratio).toBe('1280:720');
    expect(third.body.seed).not.toBe(123456);
  });

  test('Edit fills and focuses the form without submitting, and asks before replacing typed text', async ({ page, tag }) => {
    const prompt = `${tag} misty pines`;
    const image = await finishedPicture(page, prompt, '2024');
    const creates = (await createsFor(tag)).length;

    // The person typed something else meanwhile: Edit must ask first.
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} my unsent idea`);
    await image.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Keep my text' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue(`${tag} my unsent idea`);

    await image.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Replace form' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue(prompt);
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toBeFocused();
    await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveAttribute('data-value', '1280:720');
    await expect(page.getByLabel('Seed')).toHaveValue('2024');
    await page.waitForTimeout(300);
    expect((await createsFor(tag)).length).toBe(creates);
  });

  test('Download returns the original file, carrying its recipe', async ({ page, tag }) => {
    const image = await finishedPicture(page, `${tag} tidal pool`, '55');
    await image.click();
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('dialog').getByRole('button', { name: 'Download' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${tag}-tidal-pool-seed-55\\.png$`));
    const original = await page.request.get((await image.getAttribute('src'))!);
    const fs = await import('node:fs/promises');
    const saved = await fs.readFile((await download.path())!);
    // The original plus its recipe chunks (tests/e2e/recipe.spec.ts): without them, byte for byte the stored file.
    const withoutRecipe = removeChunks(
      saved,
      (chunk) => isTextChunk(chunk) && ['darkroom', 'parameters'].includes(textChunkKeyword(chunk)),
    );
    expect(Buffer.compare(Buffer.from(withoutRecipe), await original.body())).toBe(0);
  });

  test('Delete in the viewer moves to the trash at once and goes on to the next picture, with Undo', async ({ page, tag }) => {
    await finishedPicture(page, `${tag} paper boat one`);
    await generate(page, `${tag} paper boat two`, { seed: '778' });
    await expectCompleted(page, `${tag} paper boat two`);
    // Newest first: "two" is first, "one" is next.
    await tileFor(page, `${tag} paper boat two`).getByRole('img').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`${tag} paper boat one`);
    await expect(tileFor(page, `${tag} paper boat two`)).toHaveCount(0);
    // The Delete key does the same; at the end of the gallery's pictures the viewer closes only if nothing is left.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(tileFor(page, `${tag} paper boat two`)).toHaveCount(1);
    await page.reload();
    await expect(tileFor(page, tag)).toHaveCount(2);
  });
});
