import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { test, expect, chooseRatio, createsFor, expectCompleted, generate, openStudio, studioReady, tileFor } from './support/fixtures';
import { isTextChunk, readChunks, textChunkKeyword } from '../../lib/images/png-chunks';
import { parseRecipe } from '../../lib/images/recipe';

/**
 * Pictures carry their recipe (issue #12): Download saves a PNG with the
 * prompt, ratio and seed inside, and "Load settings from image" (or a drop on
 * the page) puts them back into the composer without generating anything.
 */

const NO_RECIPE = 'This PNG carries no Darkroom or AUTOMATIC1111 settings.';

async function downloadPicture(page: Page, prompt: string, ratio: string, seed: string): Promise<Buffer> {
  await generate(page, prompt, { ratio, seed });
  await expectCompleted(page, prompt);
  await tileFor(page, prompt).locator('[data-tile]').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  const bytes = await readFile((await download.path())!);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // Closing the viewer goes Back in history: let that navigation finish before anything reloads the page.
  await expect(page).not.toHaveURL(/[?&]picture=/);
  return bytes;
}

/** An empty composer with other settings, so what a load fills in is visible. */
async function clearComposer(page: Page) {
  await page.getByRole('textbox', { name: 'Prompt' }).fill('');
  await chooseRatio(page, '1024:1024');
  await page.getByLabel('Seed').fill('');
}

async function chooseFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Load settings from image' }).click();
  await (await choosing).setFiles(file);
}

async function expectComposer(page: Page, prompt: string, ratio: string, seed: string) {
  await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue(prompt);
  await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveAttribute('data-value', ratio);
  await expect(page.getByLabel('Seed')).toHaveValue(seed);
}

test.describe('pictures carry their recipe', () => {
  test('Download saves the recipe in the PNG; Load settings from image fills the composer and sends nothing', async ({ page, tag }) => {
    const prompt = `${tag} brass orrery under glass`;
    await openStudio(page);
    const saved = await downloadPicture(page, prompt, '1080:1440', '424242');

    // The file itself: a PNG of the picture's size with both chunks right after IHDR.
    const meta = await sharp(saved).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1080, 1440]);
    const chunks = readChunks(saved);
    expect(chunks.slice(1, 3).map((c) => (isTextChunk(c) ? textChunkKeyword(c) : c.type))).toEqual(['darkroom', 'parameters']);
    expect(parseRecipe(saved)).toEqual({ ok: true, recipe: { prompt, ratio: '1080:1440', seed: 424242 }, source: 'darkroom' });
    expect(meta.comments).toContainEqual({ keyword: 'parameters', text: `${prompt}\nSeed: 424242, Size: 1080x1440, Model: RunWay` });

    await page.reload();
    await studioReady(page);
    await clearComposer(page);
    const creates = (await createsFor(tag)).length;

    await chooseFile(page, { name: 'orrery.png', mimeType: 'image/png', buffer: saved });
    await expectComposer(page, prompt, '1080:1440', '424242');
    await page.waitForTimeout(500);
    expect((await createsFor(tag)).length).toBe(creates);
    await expect(tileFor(page, tag)).toHaveCount(1);
  });

  test('a PNG without a recipe says so and leaves the composer alone', async ({ page, tag }) => {
    await openStudio(page);
    const typed = `${tag} my own words`;
    await page.getByRole('textbox', { name: 'Prompt' }).fill(typed);
    const plain = await sharp({ create: { width: 64, height: 36, channels: 3, background: { r: 40, g: 90, b: 160 } } })
      .png()
      .toBuffer();
    expect(parseRecipe(plain)).toEqual({ ok: false, error: NO_RECIPE });

    await chooseFile(page, { name: 'plain.png', mimeType: 'image/png', buffer: plain });
    await expect(page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: NO_RECIPE }).first()).toBeAttached();
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue(typed);
    expect((await createsFor(tag)).length).toBe(0);
  });

  test('a PNG dropped anywhere on the page loads its settings; a drag shows the drop hint', async ({ page, tag }) => {
    const prompt = `${tag} kelp forest, dappled light`;
    await openStudio(page);
    const saved = await downloadPicture(page, prompt, '1680:720', '9001');
    await clearComposer(page);
    const creates = (await createsFor(tag)).length;

    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'kelp.png', { type: 'image/png' }));
      return transfer;
    }, saved.toString('base64'));
    await page.dispatchEvent('body', 'dragenter', { dataTransfer });
    await expect(page.locator('[data-drop-hint]')).toBeVisible();
    await page.dispatchEvent('body', 'drop', { dataTransfer });
    await expect(page.locator('[data-drop-hint]')).toHaveCount(0);

    await expectComposer(page, prompt, '1680:720', '9001');
    await page.waitForTimeout(500);
    expect((await createsFor(tag)).length).toBe(creates);
  });
});
