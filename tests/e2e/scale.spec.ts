import { spawnSync } from 'node:child_process';
import { test, expect, gallery } from './support/fixtures';
import { ExtraServer } from './support/extra-server';

const ROWS = 2000;

test('scrolling through thousands of pictures keeps the DOM small', async ({ page }) => {
  test.setTimeout(120_000);
  const server = new ExtraServer('scale', 3104);
  server.prepare();
  const seeded = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/seed.ts', '--count', String(ROWS)], {
    env: { ...process.env, DATABASE_URL: 'file:./.darkroom/e2e-scale/darkroom.db' },
    encoding: 'utf8',
  });
  expect(seeded.status, seeded.stderr).toBe(0);
  try {
    await server.start();
    await page.goto(server.url);
    const tiles = gallery(page).getByRole('listitem');
    await expect(tiles.first()).toBeVisible();
    let most = 0;
    for (let i = 0; i < 200; i++) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(120);
      most = Math.max(most, await tiles.count());
      const loadMore = page.getByRole('button', { name: /Load more|Loading/ });
      if (!(await loadMore.count()) && i > 3) break;
    }
    await expect(page.getByRole('button', { name: /Load more|Loading/ })).toHaveCount(0);
    // Every page was loaded (all rows in the list's height), yet only the rows near the viewport exist.
    const listHeight = await gallery(page)
      .getByRole('list')
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(listHeight).toBeGreaterThan((ROWS / 12) * 100);
    expect(most).toBeLessThan(200);
    expect(await tiles.count()).toBeGreaterThan(0);
  } finally {
    server.kill();
  }
});
