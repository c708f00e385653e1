import { test, expect, expectCompleted, generate, tileFor } from './support/fixtures';
import type { Locator, Page } from '@playwright/test';

/** A finished 1280 × 720 picture, its dialog open, then the full-screen view opened from it. */
async function openFullScreen(page: Page, tag: string, prompt: string) {
  await page.goto('/');
  await generate(page, prompt, { ratio: '1280:720' });
  await expectCompleted(page, prompt);
  await tileFor(page, tag).getByRole('button').first().click();
  const pictureDialog = page.getByRole('dialog', { name: 'Picture details' });
  await expect(pictureDialog).toBeVisible();
  await pictureDialog.getByRole('button', { name: 'Full screen', exact: true }).click();
  const fullScreen = page.getByRole('dialog', { name: 'Full screen view' });
  await expect(fullScreen).toBeVisible();
  const image = fullScreen.getByTestId('zoom-image');
  // The original has loaded: the spinner is gone and the picture is shown.
  await expect(fullScreen.getByText('Loading the original…')).toBeHidden();
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  return { pictureDialog, fullScreen, image };
}

const transformOf = (image: Locator) => image.evaluate((img: HTMLImageElement) => img.style.transform);

test.describe('the full-screen zoom view', () => {
  test.use({ viewport: { width: 1000, height: 700 } });

  test('shows the pixel size, 100 % is one image pixel per CSS pixel, drag pans, Fit fits, Escape closes only itself', async ({
    page,
    tag,
  }) => {
    const prompt = `${tag} harbour at dusk`;
    const { pictureDialog, fullScreen, image } = await openFullScreen(page, tag, prompt);
    const zoom = fullScreen.getByRole('group', { name: 'Zoom' });
    const fit = zoom.getByRole('button', { name: 'Fit', exact: true });
    const actual = zoom.getByRole('button', { name: '100 %', exact: true });

    await expect(fullScreen).toContainText('1280 × 720 px');
    await expect(fullScreen.getByTestId('zoom-scale')).toHaveText(/^Fit · \d+ %$/);
    await expect(fit).toHaveAttribute('aria-pressed', 'true');
    await expect(actual).toHaveAttribute('aria-pressed', 'false');

    // 100 %: 1280 CSS pixels wide, whatever the device pixel ratio.
    await actual.click();
    await expect(actual).toHaveAttribute('aria-pressed', 'true');
    await expect(fit).toHaveAttribute('aria-pressed', 'false');
    await expect(fullScreen.getByTestId('zoom-scale')).toHaveText('100 %');
    await expect.poll(async () => Math.round((await image.boundingBox())?.width ?? 0)).toBe(1280);
    await expect.poll(async () => Math.round((await image.boundingBox())?.height ?? 0)).toBe(720);

    // Drag with the mouse: the picture moves.
    const stage = fullScreen.getByRole('group', { name: 'Picture' });
    const stageBox = (await stage.boundingBox())!;
    const before = await transformOf(image);
    const cx = stageBox.x + stageBox.width / 2;
    const cy = stageBox.y + stageBox.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 120, cy - 30, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => transformOf(image)).not.toBe(before);
    // Still 100 %, and the picture still covers the stage (it may not be dragged off it).
    const dragged = (await image.boundingBox())!;
    expect(Math.round(dragged.width)).toBe(1280);
    expect(dragged.x).toBeLessThanOrEqual(stageBox.x + 1);
    expect(dragged.x + dragged.width).toBeGreaterThanOrEqual(stageBox.x + stageBox.width - 1);

    // Arrow keys pan too, and never reach the picture dialog behind (its arrows change the picture).
    await stage.focus();
    const beforeKeys = await transformOf(image);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => transformOf(image)).not.toBe(beforeKeys);

    // Fit: the whole picture inside the viewport (and the stage), as large as it allows.
    await fit.click();
    await expect(fit).toHaveAttribute('aria-pressed', 'true');
    const viewport = page.viewportSize()!;
    await expect
      .poll(async () => {
        const box = (await image.boundingBox())!;
        return (
          box.x >= -1 &&
          box.y >= -1 &&
          box.x + box.width <= viewport.width + 1 &&
          box.y + box.height <= viewport.height + 1 &&
          box.x >= stageBox.x - 1 &&
          box.y >= stageBox.y - 1 &&
          box.x + box.width <= stageBox.x + stageBox.width + 1 &&
          box.y + box.height <= stageBox.y + stageBox.height + 1 &&
          Math.max(box.width / stageBox.width, box.height / stageBox.height) > 0.99
        );
      })
      .toBe(true);

    // Keyboard shortcuts: 1 → 100 %, f → Fit.
    await page.keyboard.press('1');
    await expect(actual).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('f');
    await expect(fit).toHaveAttribute('aria-pressed', 'true');

    // Escape closes only the full-screen view: the picture dialog stays, on the same picture.
    await page.keyboard.press('Escape');
    await expect(fullScreen).toBeHidden();
    await expect(pictureDialog).toBeVisible();
    await expect(pictureDialog).toContainText(prompt);
    await expect(pictureDialog.getByRole('button', { name: 'Full screen', exact: true })).toBeFocused();

    // Escape again closes the picture dialog as before.
    await page.keyboard.press('Escape');
    await expect(pictureDialog).toBeHidden();
  });

  test('double-click toggles 100 % and Fit; Close full screen closes only the view', async ({ page, tag }) => {
    const prompt = `${tag} lighthouse in fog`;
    const { pictureDialog, fullScreen, image } = await openFullScreen(page, tag, prompt);
    const fit = fullScreen.getByRole('button', { name: 'Fit', exact: true });
    const actual = fullScreen.getByRole('button', { name: '100 %', exact: true });

    await fullScreen.getByRole('group', { name: 'Picture' }).dblclick();
    await expect(actual).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => Math.round((await image.boundingBox())?.width ?? 0)).toBe(1280);
    await fullScreen.getByRole('group', { name: 'Picture' }).dblclick();
    await expect(fit).toHaveAttribute('aria-pressed', 'true');

    await fullScreen.getByRole('button', { name: 'Close full screen' }).click();
    await expect(fullScreen).toBeHidden();
    await expect(pictureDialog).toBeVisible();
  });
});

test.describe('the full-screen zoom view on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('keeps its toolbar at the bottom, within the thumb’s reach', async ({ page, tag }) => {
    const { fullScreen } = await openFullScreen(page, tag, `${tag} desert road`);
    const close = fullScreen.getByRole('button', { name: 'Close full screen' });
    await expect(close).toBeInViewport();
    const box = (await close.boundingBox())!;
    expect(box.y).toBeGreaterThan(812 * 0.7);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await expect(fullScreen).toContainText('1280 × 720 px');
  });
});
