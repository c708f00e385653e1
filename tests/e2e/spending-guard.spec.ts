import Database from 'better-sqlite3';
import { createsFor, expect, generate, openStudio, test } from './support/fixtures';
import { ExtraServer } from './support/extra-server';

/**
 * The spending guard (issue #12) against a production server of its own with DAILY_LIMIT=2, talking to
 * the shared simulator: two pictures are sent and counted ("2 of 2 today"), a third Generate is refused in
 * the composer with the reset time and sends nothing upstream, and the Settings page shows the counts and
 * the last 30 days. (Port 3107 is also webhook-body-limit's: browser tests run one file at a time, and each
 * kills its server when done.)
 */
const server = new ExtraServer('spending', 3107, { DAILY_LIMIT: '2' });
const DATA_DIR = '.darkroom/e2e-spending';

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  server.prepare();
  await server.start();
});
test.afterAll(() => server.kill());

function tasksWithPrompt(fragment: string): number {
  const db = new Database(`${DATA_DIR}/darkroom.db`, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM Task WHERE prompt LIKE ?').get(`%${fragment}%`) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** "3 Dec": how the chart's table names a UTC day. */
function shortDay(date: Date): string {
  return `${date.getUTCDate()} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getUTCMonth()]}`;
}

test('two pictures a day: counted in the composer, a third Generate is refused and sends nothing; Settings shows the counts and the chart', async ({
  page,
  tag,
}) => {
  await openStudio(page, server.url);
  const composer = page.getByRole('form', { name: 'Generate a picture' });

  await generate(page, `${tag} first`);
  await expect.poll(async () => (await createsFor(`${tag} first`)).length).toBe(1);
  await generate(page, `${tag} second`);
  await expect.poll(async () => (await createsFor(`${tag} second`)).length).toBe(1);
  await expect(page.getByText('2 of 2 today')).toBeVisible();

  await generate(page, `${tag} third`);
  const refusal = composer.getByRole('alert');
  await expect(refusal).toContainText("Today's limit of 2 pictures is reached. It resets at 00:00 UTC (in ");
  // Nothing stored, nothing sent upstream.
  await page.waitForTimeout(1_000);
  expect(tasksWithPrompt(`${tag} third`)).toBe(0);
  expect(await createsFor(`${tag} third`)).toEqual([]);
  expect(tasksWithPrompt(tag)).toBe(2);

  // The numbers, for the composer and anyone else (never cached).
  const answer = await page.request.get(`${server.url}/api/spending`);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['cache-control']).toBe('no-store');
  const view = await answer.json();
  expect(view.day).toMatchObject({ used: 2, limit: 2 });
  expect(view.month).toMatchObject({ used: 2, limit: null });
  expect(view.last30).toHaveLength(30);

  // Settings: today's and this month's counts, and the chart's numbers by role.
  await page.goto(`${server.url}/settings`);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const main = page.getByRole('main');
  await expect(main.getByRole('term').filter({ hasText: 'Today' })).toBeVisible();
  await expect(main.getByRole('definition').filter({ hasText: '2 of 2 pictures' })).toBeVisible();
  await expect(main.getByRole('definition').filter({ hasText: '2 pictures (no limit)' })).toBeVisible();
  await expect(main.getByText('Resets at 00:00 UTC (in ').first()).toBeVisible();
  const chart = page.getByRole('table', { name: 'Pictures sent per day, last 30 days (UTC)' });
  await expect(chart.getByRole('row')).toHaveCount(31); // the header and 30 days
  await expect(chart.getByRole('row', { name: `${shortDay(new Date())} 2`, exact: true })).toHaveCount(1);
  // Without a password the limits are the environment's, read-only here: no form to lift them.
  await expect(page.getByRole('form', { name: 'Spending limits' })).toHaveCount(0);
  await expect(main).toContainText('They come from the environment (DAILY_LIMIT, MONTHLY_LIMIT) and are read-only here.');
});
