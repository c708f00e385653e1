import { defineConfig } from '@playwright/test';
import { E2E } from './tests/e2e/support/env';

/**
 * Browser tests against the production build, in Debian Chromium, talking to
 * a simulator process with short delays. Both servers bind to 127.0.0.1 and
 * are stopped by Playwright when the run ends.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 45_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: E2E.appUrl,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `node node_modules/.bin/tsx scripts/simulator.ts --host 127.0.0.1 --port ${E2E.simPort} --key ${E2E.apiKey} --in-progress-ms 300 --complete-ms 1500`,
      url: `${E2E.simUrl}/__sim/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
    },
    {
      command: 'node tests/e2e/support/serve-app.mjs',
      url: `${E2E.appUrl}/api/tasks`,
      reuseExistingServer: false,
      timeout: 90_000,
      stdout: 'pipe',
      env: E2E.appEnv,
    },
  ],
});
