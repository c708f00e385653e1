import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, test, type Page, type Request } from '@playwright/test';
import { startCluster, type Cluster } from '../../scripts/lib/cluster.mjs';
import { simulatorControl } from '../../lib/simulator/control';

/**
 * The team profile end to end: three instances of the production build on PostgreSQL and an S3
 * bucket (s3rver), behind nginx round robin without sticky sessions. One sign-in serves every
 * instance; a picture finished by one instance is pushed to tabs held by the others; prompts under
 * provider faults are each bought once within the shared rate budget; two of three instances killed
 * mid-generation leave the third to finish; pictures live in the bucket, not on local disk.
 */
const PASSWORD = 'cluster-e2e-password-41c2';
const LOG = '.darkroom/e2e-cluster.log';
mkdirSync('.darkroom', { recursive: true });
rmSync(LOG, { force: true });
let cluster: Cluster;
let database: pg.Client;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startCluster({
    instances: 3,
    // Short leases so a take-over after SIGKILL happens within the test (ADR 0014; 90 s by default).
    env: { APP_PASSWORD: PASSWORD, TASK_LEASE_SECONDS: '6' },
    simArgs: ['--in-progress-ms', '300', '--complete-ms', '2500'],
    // Everything the processes print, for reading after a failure.
    output: (name, text) => appendFileSync(LOG, text.replace(/^(?=.)/gm, `[${name}] `)),
  });
  database = new pg.Client({ connectionString: cluster.databaseUrl });
  await database.connect();
});

test.afterAll(async () => {
  await database?.end();
  await cluster?.stop();
});

type SimLog = {
  creates: Array<{ at: number; status: number; body: { prompt?: string } }>;
  statusCalls: Array<{ at: number }>;
  listCalls: number;
};
const simLog = () => simulatorControl<SimLog>({ url: cluster.simUrl, apiKey: cluster.simKey }, '/__sim/log');
const createsFor = async (prompt: string) => (await simLog()).creates.filter((c) => c.status === 200 && c.body.prompt === prompt);

async function statusOf(prompt: string): Promise<string | undefined> {
  const { rows } = await database.query<{ status: string }>('SELECT "status" FROM "Task" WHERE "prompt" = $1', [prompt]);
  return rows[0]?.status;
}

async function signIn(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('form', { name: 'Sign in' }).getByLabel('Password').fill(PASSWORD);
  await page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('region', { name: 'Gallery' })).toBeVisible();
}

const tile = (page: Page, text: string) => page.getByRole('region', { name: 'Gallery' }).getByRole('listitem').filter({ hasText: text });

test('one sign-in through the load balancer works on every instance', async ({ page }) => {
  await signIn(page, cluster.url);
  const cookie = (await page.context().cookies(cluster.url)).find((c) => c.name === 'darkroom_session');
  expect(cookie).toBeDefined();
  for (const app of cluster.apps) {
    const answer = await fetch(`${app.url}/api/tasks`, { headers: { cookie: `darkroom_session=${cookie!.value}` } });
    expect(answer.status, app.name).toBe(200);
  }
  for (let i = 0; i < 6; i++)
    expect((await fetch(`${cluster.url}/api/tasks`, { headers: { cookie: `darkroom_session=${cookie!.value}` } })).status).toBe(200);
});

test('a picture finished by one instance is pushed to tabs held by the other instances', async ({ browser }) => {
  const context = await browser.newContext();
  const [first, second, third] = await Promise.all([context.newPage(), context.newPage(), context.newPage()]);
  await signIn(first, cluster.apps[0].url);
  await second.goto(cluster.apps[1].url);
  await third.goto(cluster.apps[2].url);
  const prompt = `cluster push ${Date.now().toString(36)}`;
  await first.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  await first.getByRole('button', { name: 'Generate' }).click();
  // The moment the picture is stored (whichever instance did it) …
  await expect.poll(() => statusOf(prompt), { timeout: 30_000, intervals: [50] }).toBe('COMPLETED');
  const stored = Date.now();
  // … tabs on the other two instances show it well before their 5 s idle poll would.
  await Promise.all([expect(tile(second, prompt)).toContainText('Completed'), expect(tile(third, prompt)).toContainText('Completed')]);
  const pushedMs = Date.now() - stored;
  console.log(`cluster: picture stored → shown on the other instances' tabs in ${pushedMs} ms`);
  expect(pushedMs).toBeLessThan(2_000);
  await context.close();
});

test('30 prompts at once under 30 % provider faults: all complete, each bought once, within the rate budget', async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, cluster.url);
  // Capture one real Generate call, then replay it with other prompts through the load balancer.
  const call = page.waitForRequest((r: Request) => r.method() === 'POST' && !!r.headers()['next-action']);
  const tag = `storm${Date.now().toString(36)}`;
  await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} 0`);
  await page.getByRole('button', { name: 'Generate' }).click();
  const request = await call;
  const body = request.postData() ?? '';
  const headers = Object.fromEntries(
    Object.entries(await request.allHeaders()).filter(
      ([name]) => !name.startsWith(':') && !['host', 'content-length', 'connection', 'accept-encoding'].includes(name),
    ),
  );
  await simulatorControl({ url: cluster.simUrl, apiKey: cluster.simKey }, '/__sim/config', {
    faults: { rate429: 0.1, rate500: 0.1, rate503: 0.1 },
  });
  const prompts = Array.from({ length: 30 }, (_, i) => `${tag} ${i}`);
  await Promise.all(
    prompts.slice(1).map((prompt) =>
      fetch(`${cluster.url}/`, {
        method: 'POST',
        headers,
        body: body
          .replace(`${tag} 0`, prompt)
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, () => crypto.randomUUID()),
      }).then((r) => expect(r.status).toBe(200)),
    ),
  );
  await expect
    .poll(
      async () =>
        (await database.query(`SELECT COUNT(*)::int AS n FROM "Task" WHERE "prompt" LIKE $1 AND "status" = 'COMPLETED'`, [`${tag} %`]))
          .rows[0].n,
      {
        timeout: 120_000,
      },
    )
    .toBe(30);
  await simulatorControl({ url: cluster.simUrl, apiKey: cluster.simKey }, '/__sim/config', {
    faults: { rate429: 0, rate500: 0, rate503: 0 },
  });
  const log = await simLog();
  for (const prompt of prompts)
    expect(
      log.creates.filter((c) => c.status === 200 && c.body.prompt === prompt),
      prompt,
    ).toHaveLength(1);
  // Every request that reached the provider, in time order: never more than the burst (20) plus 10/s.
  const times = [...log.creates.map((c) => c.at), ...log.statusCalls.map((c) => c.at)].sort((a, b) => a - b);
  let busiestSecond = 0;
  for (const t of times) busiestSecond = Math.max(busiestSecond, times.filter((u) => u >= t && u < t + 1_000).length);
  console.log(`cluster: ${times.length} provider requests, busiest second ${busiestSecond}`);
  expect(busiestSecond).toBeLessThanOrEqual(32);
});

test('SIGKILL two of three instances mid-generation: the third finishes it, created upstream once', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, cluster.apps[2].url);
  const prompt = `cluster survivor ${Date.now().toString(36)}`;
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(async () => (await createsFor(prompt)).length, { timeout: 20_000 }).toBe(1);
  cluster.apps[0].kill('SIGKILL');
  cluster.apps[1].kill('SIGKILL');
  await expect.poll(() => statusOf(prompt), { timeout: 45_000 }).toBe('COMPLETED');
  await expect(tile(page, prompt)).toContainText('Completed');
  expect(await createsFor(prompt)).toHaveLength(1);
});

test('pictures live in the bucket, none on local disk', async () => {
  const { rows } = await database.query<{ path: string }>('SELECT "path" FROM "Image"');
  expect(rows.length).toBeGreaterThanOrEqual(31);
  const objects: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else objects.push(full);
    }
  };
  walk(cluster.s3Dir);
  for (const { path: key } of rows)
    expect(
      objects.some((file) => file.includes(key.split('/').pop()!)),
      key,
    ).toBe(true);
  for (const local of ['data/images', 'data/thumbs']) {
    const files = existsSync(local) ? readdirSync(local, { recursive: true }).filter((f) => String(f).includes('.')) : [];
    expect(
      files.filter((f) => rows.some((r) => r.path.endsWith(String(f).split('/').pop()!))),
      local,
    ).toEqual([]);
  }
});
