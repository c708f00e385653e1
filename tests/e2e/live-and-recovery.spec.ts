import { test, expect, createsFor, expectCompleted, generate, tileFor } from './support/fixtures';
import { startSimulator } from '../../lib/simulator/server';
import { E2E } from './support/env';
import { ExtraServer } from './support/extra-server';

test('a picture appears in a second, separate browser without reload, pushed rather than polled', async ({ browser, tag }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await a.goto('/');
  await b.goto('/');
  await generate(a, `${tag} pushed picture`);
  await expectCompleted(a, tag);
  const seenInA = Date.now();
  // Idle tabs poll only every 5 s; seeing it within 2 s means it was pushed.
  await expect(tileFor(b, tag)).toContainText('Completed', { timeout: 2_000 });
  expect(Date.now() - seenInA).toBeLessThan(2_000);
  await expectCompleted(b, tag);
  await first.close();
  await second.close();
});

test('SIGKILL mid-generation, restart: the task still ends Completed, created once', async ({ page, tag }) => {
  const server = new ExtraServer('crash', 3101);
  server.prepare();
  try {
    await server.start();
    await page.goto(server.url);
    await generate(page, `${tag} crash survivor`);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(1);
    // Mid-generation: we know the provider's task id, and the provider is still working on it.
    await expect(tileFor(page, tag)).toContainText('Generating');
    server.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));

    await server.start();
    await page.reload();
    await expectCompleted(page, tag);
    expect(await createsFor(tag)).toHaveLength(1);
  } finally {
    server.kill();
  }
});

test('SIGKILL while the create call is in flight: reconciled with the provider list, created once', async ({ page, tag }) => {
  // A simulator of our own that answers slowly, so the kill lands between "sent" and "answered".
  const sim = await startSimulator({ port: 4011, apiKey: E2E.apiKey, latencyMs: 1_500, inProgressAfterMs: 300, completeAfterMs: 2_500 });
  const server = new ExtraServer('crash-in-flight', 3106, { FREEPIK_API_BASE_URL: sim.url });
  server.prepare();
  try {
    await server.start();
    await page.goto(server.url);
    await generate(page, `${tag} in flight`);
    await expect(tileFor(page, tag)).toContainText('Queued');
    await page.waitForTimeout(500); // the create request is on its way, its answer is not
    server.kill('SIGKILL');
    await server.start();
    await page.reload();
    // Either the provider got it (adopted from its list) or it did not (sent again once it settled).
    await expectCompleted(page, tag, 30_000);
    const created = sim.log.creates.filter((c) => JSON.stringify(c.body).includes(tag) && c.taskId);
    expect(created).toHaveLength(1);
  } finally {
    server.kill();
    await sim.close();
  }
});

test('a rejected API key fails the task with a clear reason and says so at the top', async ({ page, tag }) => {
  const server = new ExtraServer('bad-key', 3102, { FREEPIK_API_KEY: 'wrong-key-for-this-test' });
  server.prepare();
  try {
    await server.start();
    await page.goto(server.url);
    await generate(page, `${tag} locked out`);
    const tile = tileFor(page, tag);
    await expect(tile).toContainText('Failed');
    await expect(tile).toContainText('The provider rejected the API key. Check FREEPIK_API_KEY.');
    await expect(tile).not.toContainText('wrong-key-for-this-test');
    await expect(page.getByRole('alert').filter({ hasText: 'The provider rejected the API key.' })).toBeVisible({ timeout: 15_000 });
  } finally {
    server.kill();
  }
});
