import { test as base, expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { simulatorControl } from '../../../lib/simulator/control';
import { E2E } from './env';

/** What the simulator has received, read from its control endpoint. */
export type SimLog = {
  creates: Array<{ at: number; body: { prompt?: string; ratio?: string; seed?: number }; taskId?: string; status: number }>;
  statusCalls: Array<{ at: number; taskId: string; status: number }>;
};

export async function simLog(): Promise<SimLog> {
  return simulatorControl<SimLog>({ url: E2E.simUrl, apiKey: E2E.apiKey }, '/__sim/log');
}

/** How many tasks of the main browser-test server have a prompt containing `fragment`. */
export function tasksWithPrompt(fragment: string): number {
  const db = new Database(E2E.databaseFile, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM Task WHERE prompt LIKE ?').get(`%${fragment}%`) as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function createsFor(tag: string) {
  return (await simLog()).creates.filter((c) => c.status === 200 && c.body.prompt?.includes(tag));
}

export async function statusCallsFor(providerTaskId: string) {
  return (await simLog()).statusCalls.filter((c) => c.taskId === providerTaskId).length;
}

/** Each test gets a unique tag to put in its prompts, and its rows are removed afterwards. */
export const test = base.extend<{ tag: string }>({
  tag: async ({}, provide) => {
    const tag = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    await provide(tag);
    const db = new Database(E2E.databaseFile);
    try {
      db.prepare('DELETE FROM Task WHERE prompt LIKE ?').run(`%${tag}%`);
    } finally {
      db.close();
    }
  },
});

export { expect };

export function gallery(page: Page) {
  return page.getByRole('region', { name: 'Gallery' });
}

export function tileFor(page: Page, text: string) {
  return gallery(page).getByRole('listitem').filter({ hasText: text });
}

/** The studio has hydrated (typing before that would be lost to React's first render). */
export async function studioReady(page: Page) {
  await expect(page.locator('form[data-ready]')).toHaveCount(1);
}

/** Opens the studio and waits until it answers to input. */
export async function openStudio(page: Page, url = '/') {
  await page.goto(url);
  await studioReady(page);
}

export async function generate(page: Page, prompt: string, options: { ratio?: string; seed?: string } = {}) {
  await studioReady(page);
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  if (options.ratio) await chooseRatio(page, options.ratio);
  if (options.seed !== undefined) await page.getByLabel('Seed').fill(options.seed);
  await page.getByRole('button', { name: 'Generate' }).click();
}

/** Picks a ratio in the composer's Aspect ratio picker (a select-only combobox). */
export async function chooseRatio(page: Page, ratio: string) {
  await page.getByRole('combobox', { name: 'Aspect ratio' }).click();
  await page.getByRole('option', { name: new RegExp(`^${ratio} · `) }).click();
  await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveAttribute('data-value', ratio);
}

/** Waits until the tile shows a decoded picture, and returns the <img>. */
export async function expectCompleted(page: Page, text: string, timeout?: number) {
  const tile = tileFor(page, text).first();
  await expect(tile).toContainText('Completed', { timeout });
  const image = tile.getByRole('img');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  return image;
}

/** The composer's Advanced section (a model's own settings), opened if it is closed. */
export async function openAdvanced(page: Page) {
  const summary = advancedSummary(page);
  const open = await summary.evaluate((el) => (el.parentElement as HTMLDetailsElement).open);
  if (!open) await summary.click();
}

export function advancedSummary(page: Page) {
  return page.locator('summary').filter({ hasText: /^Advanced/ });
}
