import { readFile, readdir, stat, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, createsFor, expectCompleted, generate, statusCallsFor } from './support/fixtures';
import { E2E } from './support/env';

test('three open tabs cause no more upstream status calls than one', async ({ browser, tag }) => {
  const context = await browser.newContext();
  const one = await context.newPage();
  await one.goto('/');
  await generate(one, `${tag} single tab`);
  await expectCompleted(one, `${tag} single tab`);
  const [single] = await createsFor(`${tag} single`);
  const singleCalls = await statusCallsFor(single.taskId!);
  expect(singleCalls).toBeGreaterThan(0);

  const tabs = [one, await context.newPage(), await context.newPage()];
  await Promise.all(tabs.slice(1).map((p) => p.goto('/')));
  await generate(one, `${tag} three tabs`);
  for (const tab of tabs) await expectCompleted(tab, `${tag} three tabs`);
  const [triple] = await createsFor(`${tag} three`);
  const tripleCalls = await statusCallsFor(triple.taskId!);
  // Timing can shift one poll either way; per-tab polling would triple the count.
  expect(tripleCalls).toBeLessThanOrEqual(singleCalls + 1);
  await context.close();
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    // Symlinks in the build point into node_modules (external packages), not build output.
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await filesUnder(dir)) {
    if ((await stat(file)).size > 50 * 1024 * 1024) continue;
    if ((await readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

test('the API key appears nowhere in the build, the pages, the scripts or the logs', async ({ page, request, tag }) => {
  const key = E2E.apiKey;
  // The scanner must be able to find the key, or a clean result means nothing.
  const probe = await mkdtemp(path.join(tmpdir(), 'scan-'));
  await writeFile(path.join(probe, 'chunk.js'), `const k = "${key}";`);
  expect(await filesContaining(probe, key)).toHaveLength(1);

  // Make the server do real work with the key first.
  await page.goto('/');
  await generate(page, `${tag} secret keeper`);
  await expectCompleted(page, `${tag} secret keeper`);

  expect(await filesContaining(process.env.DARKROOM_DIST_DIR || '.next', key)).toEqual([]);

  const html = await (await request.get('/')).text();
  expect(html).not.toContain(key);
  const assets = [...html.matchAll(/(?:src|href)="(\/_next\/[^"]+)"/g)].map((m) => m[1]);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) expect(await (await request.get(asset)).text(), asset).not.toContain(key);
  const api = await (await request.get('/api/tasks')).text();
  expect(api).not.toContain(key);
  // Provider URLs (signed, expiring) never reach the browser either.
  expect(api).not.toContain(E2E.simUrl);
  expect(html).not.toContain(E2E.simUrl);

  expect(await readFile(E2E.logFile, 'utf8')).not.toContain(key);
});
