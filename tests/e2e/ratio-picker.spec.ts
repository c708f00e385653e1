import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { RATIOS } from '../../lib/generation/schema';

/** Options are named "<ratio> · <familiar name> <shape> · <w> × <h> px"; match on the leading ratio string. */
const optionNamed = (ratio: string) => new RegExp(`^${ratio} · `);

function picker(page: Page) {
  return {
    combobox: page.getByRole('combobox', { name: 'Aspect ratio' }),
    listbox: page.getByRole('listbox', { name: 'Aspect ratio' }),
  };
}

async function activeOptionId(combobox: Locator) {
  return combobox.getAttribute('aria-activedescendant');
}

test.describe('aspect ratio picker', () => {
  test('keyboard: opens from the combobox, shows three groups of 16 options, picks with arrows and Enter', async ({ page }) => {
    await page.goto('/');
    const { combobox, listbox } = picker(page);
    await expect(combobox).toHaveAttribute('aria-expanded', 'false');
    await expect(listbox).toBeHidden();

    // Retried until the page is hydrated: a key pressed before that does nothing.
    await expect(async () => {
      await combobox.focus();
      await page.keyboard.press('ArrowDown');
      await expect(combobox).toHaveAttribute('aria-expanded', 'true', { timeout: 1_000 });
    }).toPass();
    await expect(listbox).toBeVisible();
    await expect(combobox).toBeFocused();

    for (const [name, count] of [
      ['Landscape', 9],
      ['Square', 3],
      ['Portrait', 4],
    ] as const) {
      const group = listbox.getByRole('group', { name });
      await expect(group).toBeVisible();
      await expect(group.getByRole('option')).toHaveCount(count);
    }
    await expect(listbox.getByRole('option')).toHaveCount(16);
    for (const ratio of RATIOS) await expect(listbox.getByRole('option', { name: optionNamed(ratio) })).toHaveCount(1);

    // Walk to 1080:1920 with the arrow keys; focus never leaves the combobox.
    const target = listbox.getByRole('option', { name: optionNamed('1080:1920') });
    const targetId = await target.getAttribute('id');
    expect(targetId).toBeTruthy();
    await page.keyboard.press('Home');
    for (let i = 0; i < RATIOS.length && (await activeOptionId(combobox)) !== targetId; i++) await page.keyboard.press('ArrowDown');
    await expect(combobox).toHaveAttribute('aria-activedescendant', targetId!);
    await expect(combobox).toBeFocused();
    await expect(target).toBeInViewport();

    await page.keyboard.press('Enter');
    await expect(listbox).toBeHidden();
    await expect(combobox).toHaveAttribute('aria-expanded', 'false');
    await expect(combobox).not.toHaveAttribute('aria-activedescendant');
    await expect(combobox).toContainText('9:16');
    await expect(combobox).toContainText('1080 × 1920');
    await expect(combobox).toBeFocused();
    // Enter chose an option; it did not submit the (empty) form.
    await expect(page.getByText('Write a prompt.')).toHaveCount(0);

    // Reopening starts on the chosen option, which is marked selected.
    await page.keyboard.press('Enter');
    await expect(combobox).toHaveAttribute('aria-activedescendant', targetId!);
    await expect(target).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Escape');
    await expect(listbox).toBeHidden();
  });

  test('mouse: picks 720:720; Escape keeps the value; the square sizes are explained', async ({ page }) => {
    await page.goto('/');
    const { combobox, listbox } = picker(page);

    await expect(async () => {
      await combobox.click();
      await expect(listbox).toBeVisible({ timeout: 1_000 });
    }).toPass();

    // Wide screen: the three groups sit side by side.
    const boxes = await Promise.all(['Landscape', 'Square', 'Portrait'].map((name) => listbox.getByRole('group', { name }).boundingBox()));
    expect(boxes[0]!.x).toBeLessThan(boxes[1]!.x);
    expect(boxes[1]!.x).toBeLessThan(boxes[2]!.x);

    const square = listbox.getByRole('group', { name: 'Square' });
    const note = square.getByText(/Same shape, different resolution/);
    await expect(note).toBeVisible();
    await expect(note).toContainText('720 × 720');
    await expect(note).toContainText('1080 × 1080');
    await expect(square).toHaveAccessibleDescription(/same shape, different resolution/i);

    await listbox.getByRole('option', { name: optionNamed('720:720') }).click();
    await expect(listbox).toBeHidden();
    await expect(combobox).toContainText('720 × 720');
    await expect(combobox).toBeFocused();

    // Escape closes without changing the value, even after moving the active option.
    await combobox.click();
    await expect(listbox).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    await expect(listbox).toBeHidden();
    await expect(combobox).toHaveAttribute('aria-expanded', 'false');
    await expect(combobox).toContainText('720 × 720');
    await expect(page.getByRole('option', { name: optionNamed('720:720'), includeHidden: true })).toHaveAttribute('aria-selected', 'true');

    // Type-ahead on the ratio string, then a click elsewhere (the prompt) closes without a change.
    await combobox.press('Enter');
    await page.keyboard.type('720:9');
    await expect(combobox).toHaveAttribute(
      'aria-activedescendant',
      (await listbox.getByRole('option', { name: optionNamed('720:960') }).getAttribute('id'))!,
    );
    await page.getByRole('textbox', { name: 'Prompt' }).click();
    await expect(listbox).toBeHidden();
    await expect(combobox).toContainText('720 × 720');
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 375, height: 812 } });

    test('the popup stays inside the screen', async ({ page }) => {
      await page.goto('/');
      const { combobox, listbox } = picker(page);
      await expect(async () => {
        await combobox.click();
        await expect(listbox).toBeVisible({ timeout: 1_000 });
      }).toPass();
      const box = (await listbox.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(812);
      await listbox.getByRole('option', { name: optionNamed('1080:1440') }).click();
      await expect(combobox).toContainText('1080 × 1440');
    });
  });
});
