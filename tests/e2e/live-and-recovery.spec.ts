import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { test, expect, createsFor, expectCompleted, generate, tileFor } from './support/fixtures';
import { E2E } from './support/env';

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

// A second app server of our own, on its own database, that this test kills with SIGKILL.
const CRASH_PORT = 3101;
const crashEnv = {
  ...process.env,
  ...E2E.appEnv,
  PORT: String(CRASH_PORT),
  DATABASE_URL: 'file:./.darkroom/e2e-crash/darkroom.db',
};

function startServer(): ChildProcess {
  const server = spawn('node_modules/.bin/next', ['start', '-H', '127.0.0.1', '-p', String(CRASH_PORT)], {
    env: crashEnv,
    stdio: 'ignore',
    detached: true, // its own process group, so the kill reaches everything it started
  });
  return server;
}

async function waitUntilUp(timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${CRASH_PORT}/api/tasks`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('crash-test server did not start');
}

function kill(server: ChildProcess) {
  if (server.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

test('SIGKILL mid-generation, restart: the task still ends Completed, created once', async ({ page, tag }) => {
  rmSync('.darkroom/e2e-crash', { recursive: true, force: true });
  mkdirSync('.darkroom/e2e-crash', { recursive: true });
  expect(spawnSync('node_modules/.bin/tsx', ['scripts/prepare.ts'], { env: crashEnv }).status).toBe(0);

  let server = startServer();
  try {
    await waitUntilUp();
    await page.goto(`http://127.0.0.1:${CRASH_PORT}/`);
    await generate(page, `${tag} crash survivor`);
    await expect.poll(async () => (await createsFor(tag)).length).toBe(1);
    kill(server); // mid-generation: the provider is still working on it
    await new Promise((r) => setTimeout(r, 300));

    server = startServer();
    await waitUntilUp();
    await page.reload();
    await expectCompleted(page, tag);
    expect(await createsFor(tag)).toHaveLength(1);
  } finally {
    kill(server);
  }
});
