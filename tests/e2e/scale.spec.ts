import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { monthOf, monthStart } from '../../lib/gallery/filters';
import { test, expect, gallery } from './support/fixtures';
import { ExtraServer } from './support/extra-server';

const ROWS = 2000;

test('scrolling through thousands of pictures keeps the DOM small', async ({ page }) => {
  test.setTimeout(240_000); // 2,000 rows page by page: about a minute alone, twice that on a loaded 2-core box
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

/** Tile pictures (the <img> in a tile's own button) inside the viewport, and how many of them are not decoded yet. */
function picturesInViewport(page: Page) {
  return gallery(page)
    .getByRole('list')
    .evaluate((list) => {
      const shown = [...list.querySelectorAll<HTMLImageElement>('button[data-tile] > img')].filter((img) => {
        const box = img.getBoundingClientRect();
        return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
      });
      // An <img> still held back has no src: complete but naturalWidth 0, so it counts as waiting.
      const waiting = shown.filter((img) => !(img.complete && img.naturalWidth > 0));
      return { shown: shown.length, waiting: waiting.length, held: waiting.filter((img) => !img.getAttribute('src')).length };
    });
}

type FlingStats = {
  /** Pages that arrived while waiting at the bottom. */
  pages: number;
  /** Waits at the bottom longer than the fast-scroll settle time (150 ms): to the gallery those are stops too. */
  longWaits: number;
  longestWaitMs: number;
  /** Distinct tiles with a picture that were in the DOM in some frame, and how many of them had a src there. */
  mounted: number;
  givenSrc: number;
  ms: number;
};

test('20,000 pictures: fast scrolling fetches only where it stops, the total is shown, and Jump to date moves to a month', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const server = new ExtraServer('scale-20k', 3106);
  server.prepare();
  const seeded = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/seed.ts', '--count', '20000'], {
    env: { ...process.env, DATABASE_URL: 'file:./.darkroom/e2e-scale-20k/darkroom.db' },
    encoding: 'utf8',
  });
  expect(seeded.status, seeded.stderr).toBe(0);
  const sqlite = new Database('.darkroom/e2e-scale-20k/darkroom.db', { readonly: true });
  let inGallery: number;
  try {
    inGallery = (sqlite.prepare('SELECT COUNT(*) AS n FROM Task WHERE deletedAt IS NULL').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }

  // Every task has its own picture URL (/api/images/<task id>?w=…), so each thumbnail shown is one request: no cache hides any.
  const imageRequests: string[] = [];
  const listRequests: URL[] = [];
  const tasksLoaded = new Set<string>();
  const reading: Array<Promise<unknown>> = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/images/')) imageRequests.push(request.url());
    if (request.method() === 'GET' && url.pathname === '/api/tasks') listRequests.push(url);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname !== '/api/tasks' || url.searchParams.has('from') || !response.ok()) return;
    reading.push(
      response.json().then(
        (body: { tasks: Array<{ id: string }> }) => body.tasks.forEach((t) => tasksLoaded.add(t.id)),
        () => undefined, // the page moved on before the body was read
      ),
    );
  });

  try {
    await server.start();
    await page.goto(server.url);
    const list = gallery(page).getByRole('list');
    await expect(gallery(page).getByRole('listitem').first()).toBeVisible();

    // The total, as the database counts it (the browser formats it in its locale: Playwright's default is en-US). It is
    // fetched from the browser (GET /api/tasks/summary), so once it shows the page has hydrated and listens to scrolling.
    await expect(page.getByRole('paragraph').filter({ hasText: /^[\d,]+ pictures?$/ })).toHaveText(
      `${inGallery.toLocaleString('en-US')} pictures`,
    );

    // Start from a settled first screen: its pictures decoded and no picture requests still starting.
    await expect.poll(async () => (await picturesInViewport(page)).waiting).toBe(0);
    for (let seen = -1; seen !== imageRequests.length;) {
      seen = imageRequests.length;
      await page.waitForTimeout(500);
    }
    const before = imageRequests.length;

    // The fast phase, all inside the page so nothing waits on the test process: down to the end of the list again and
    // again, pausing only until the next page has arrived (33 pages of 48: ≥ 1,500 tasks), then a fling back up,
    // 2,500 px a frame, to the middle — and stop.
    const stats = await page.evaluate(
      ({ pages, step, settleMs }) =>
        new Promise<FlingStats>((resolve, reject) => {
          const started = performance.now();
          const bottom = () => document.documentElement.scrollHeight - window.innerHeight;
          const to = (top: number) => window.scrollTo({ top, behavior: 'instant' });
          const mounted = new Set<string>();
          const givenSrc = new Set<string>();
          let phase: 'nudge' | 'down' | 'pause' | 'up' | 'done' = 'nudge';
          let pauseUntil = 0;
          let pauseCap = 0;
          let lastRequested = -1;
          performance.setResourceTimingBufferSize(20_000);
          let arrived = 0;
          let waitingSince: number | null = null;
          let longWaits = 0;
          let longestWaitMs = 0;
          let goal = 0;
          const frame = () => {
            const now = performance.now();
            for (const img of document.querySelectorAll<HTMLImageElement>('button[data-tile] > img')) {
              const id = (img.parentElement as HTMLElement).dataset.tile!;
              mounted.add(id);
              if (img.getAttribute('src')) givenSrc.add(id);
            }
            if (now - started > 150_000) {
              reject(new Error(`only ${arrived} pages arrived in 150 s`));
              return;
            }
            if (phase === 'nudge') {
              // A fling starts small: the hook measures speed between scroll events, so the first one after a pause is
              // slow whatever its size. This 1 px one is harmless; the next is fast.
              to(window.scrollY + 1);
              phase = 'down';
            } else if (phase === 'down') {
              if (window.scrollY < bottom() - 1) {
                if (waitingSince !== null) {
                  arrived++;
                  const waited = now - waitingSince;
                  longestWaitMs = Math.max(longestWaitMs, waited);
                  if (waited > settleMs) longWaits++;
                }
                if (arrived >= pages) {
                  // A real stop at the bottom (its pictures load), then the measured fling starts from rest.
                  phase = 'pause';
                  pauseUntil = now + 500;
                  pauseCap = now + 15_000;
                  goal = window.scrollY / 2;
                } else {
                  to(bottom());
                  waitingSince = now;
                }
              }
            } else if (phase === 'pause') {
              // A real stop at the bottom: wait until its pictures (and any left from the way down) have loaded — no new
              // picture request for 500 ms, at most 15 s — so the fling below is measured on its own.
              const requested = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/images/')).length;
              if (requested !== lastRequested) {
                lastRequested = requested;
                pauseUntil = Math.min(now + 500, pauseCap);
              }
              if (now >= pauseUntil) {
                to(window.scrollY - 1); // the nudge: the first scroll event after a pause always measures slow
                phase = 'up';
                (window as unknown as { flingStart: number }).flingStart = performance.now();
              }
            } else if (phase === 'up') {
              const top = Math.max(goal, window.scrollY - step);
              to(top);
              if (top <= goal) phase = 'done';
            } else {
              // The last scroll event has been handled and rendered: this is where it stopped.
              resolve({ pages: arrived, longWaits, longestWaitMs, mounted: mounted.size, givenSrc: givenSrc.size, ms: now - started });
              return;
            }
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
      { pages: 33, step: 2_500, settleMs: 150 },
    );
    const duringFast = imageRequests.length - before;
    // Picture requests that started during the fling up and where it stopped (resource timing, in the page's clock).
    const fetchedFromFling = () =>
      page.evaluate(
        () =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/images/') && e.startTime >= (window as unknown as { flingStart: number }).flingStart)
            .length,
      );
    const stoppedAt = Date.now();

    // Where it stopped, the pictures follow at once: tiles there get their thumbnails 150 ms after the fast scrolling
    // ends and must be decoded within a second. 1.5 s here: slack for a loaded 2-core CI box.
    await expect
      .poll(async () => (await picturesInViewport(page)).waiting, { timeout: 1_500, intervals: [50] })
      .toBe(0)
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\n${JSON.stringify(await picturesInViewport(page))} ${JSON.stringify(stats)}`);
      });
    expect((await picturesInViewport(page)).shown).toBeGreaterThan(0);
    const sharpAfterMs = Date.now() - stoppedAt;
    for (let seen = -1; seen !== imageRequests.length;) {
      seen = imageRequests.length;
      await page.waitForTimeout(500);
    }
    const fetched = imageRequests.length - before;
    await Promise.all(reading);
    const fling = await fetchedFromFling();
    const report = {
      ...stats,
      sharpAfterMs,
      imagesFromFling: fling,
      tasksPassed: tasksLoaded.size,
      imagesDuringFast: duringFast,
      imagesUntilSettled: fetched,
    };
    test.info().annotations.push({ type: 'fast scrolling', description: JSON.stringify(report) });
    console.log(`[scale] fast scrolling: ${JSON.stringify(report)}`);

    // Every loaded task was passed on the way down (the first 48 came with the page, not counted here).
    expect(tasksLoaded.size, JSON.stringify(report)).toBeGreaterThanOrEqual(1_500);
    // The fling up passed ~800 tiles of loaded gallery (half of 33 pages of 48). What may load, by design: tiles that
    // appear while scrolling faster than 2.5 px/ms hold their thumbnails until 150 ms after it stops, and the DOM keeps
    // only the rows near the viewport (3 overscan rows each side): at 1280×720 with 220 px rows ~9 rows × ~5 tiles ≈ 45
    // pictures where it stopped. Without the holding, every tile passed would fetch.
    expect(fling, `picture requests from the fling: ${JSON.stringify(report)}`).toBeLessThan(80);
    // On the way down every wait for the next page at the bottom is a stop (its pictures load): counted, not judged.
    expect(fetched).toBeGreaterThanOrEqual(fling);

    // Jump to date. The select sits above the gallery: go up to it, as a person does.
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    const jump = page.getByRole('combobox', { name: 'Jump to date' });
    const options = jump.getByRole('option');
    await expect(options.first()).toHaveText('Newest');
    await expect(options.nth(2)).toHaveText(/^\S+ \d{4} \([\d,]+\)$/); // e.g. "October 2026 (3,301)"
    const month = (await options.nth(2).getAttribute('value'))!;
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    const listsBefore = listRequests.length;
    await jump.selectOption(month);
    await expect(page).toHaveURL(new RegExp(`[?&]from=${month}(&|$)`));
    await expect(jump).toHaveValue(month);

    // The first tile is the month's newest task (the previous view stays on screen until its first page arrives).
    const firstTile = gallery(page).getByRole('listitem').first().locator('[data-tile]');
    const firstCreatedAt = async () => {
      const id = await firstTile.getAttribute('data-tile');
      const response = await page.request.get(`${server.url}/api/tasks/${id}`);
      expect(response.ok()).toBe(true);
      return ((await response.json()) as { createdAt: string }).createdAt;
    };
    await expect.poll(async () => monthOf(await firstCreatedAt())).toBe(month);
    const createdAt = new Date(await firstCreatedAt()).getTime();
    expect(createdAt).toBeLessThan(monthStart(month, 1).getTime());
    expect(createdAt).toBeGreaterThanOrEqual(monthStart(month).getTime());

    // Reaching it took the month's own page or two, not every page of the newer months before it.
    await expect(gallery(page).getByRole('list')).not.toHaveAttribute('aria-busy', 'true');
    await page.waitForTimeout(1_000); // room for any further page the gallery might chain
    const monthLists = listRequests.slice(listsBefore).filter((url) => url.searchParams.get('from') === month);
    expect(monthLists.length).toBeGreaterThanOrEqual(1);
    expect(monthLists.length, monthLists.map(String).join('\n')).toBeLessThanOrEqual(3);

    await jump.selectOption({ index: 0 });
    await expect(page).not.toHaveURL(/[?&]from=/);
    await expect(jump).toHaveValue('');
    await expect(list).toBeVisible();
  } finally {
    server.kill();
  }
});
