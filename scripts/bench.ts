/**
 * `npm run bench` — measures Darkroom against the simulator on loopback (not
 * part of `npm test`). Needs a production build (`npm start` or `npm test`
 * makes one). Prints a table and writes docs/benchmarks.md.
 *
 * 1. Added latency from upstream COMPLETED to the picture announced to a tab
 *    (SSE), with webhooks and with polling, on real `next start` servers.
 * 2. Upstream status calls per task with 1 and 5 open tabs, against a naive
 *    baseline in the same run where each tab polls upstream every second.
 * 3. 200 concurrent submissions under 30 % 429/500/503: completed / lost / duplicated.
 * 4. Mean thumbnail bytes vs original bytes.
 * With `--cluster`: the team profile instead (scripts/bench/cluster.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { simulatorControl } from '../lib/simulator/control';
import { startSimulator, type RunningSimulator } from '../lib/simulator/server';
import { migrateSqlite } from '../lib/db/migrate';

const ROOT = process.cwd();
const BENCH_DIR = path.join(ROOT, '.darkroom', 'bench');
const KEY = 'bench-key-0123456789';
const WEBHOOK_SECRET = `whsec_${Buffer.from('bench-webhook-secret-0123456789').toString('base64')}`;
const COMPLETE_MS = 1_500;
const LATENCY_TASKS = Number(process.env.BENCH_LATENCY_TASKS ?? 20);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 200);

type Row = [string, string];
const rows: Row[] = [];
const log = (message: string) => console.log(`[bench] ${message}`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ── a real app server ────────────────────────────────────────────────────────
type App = { url: string; dbFile: string; process: ChildProcess };

async function startApp(name: string, port: number, sim: RunningSimulator, webhooks: boolean, keep = false): Promise<App> {
  const dir = path.join(BENCH_DIR, name);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, 'darkroom.db');
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: `file:${dbFile}`,
    FREEPIK_API_KEY: KEY,
    FREEPIK_API_BASE_URL: sim.url,
    ...(webhooks ? { PUBLIC_BASE_URL: url, FREEPIK_WEBHOOK_SECRET: WEBHOOK_SECRET } : {}),
  };
  migrateSqlite(dbFile, path.join(ROOT, 'prisma/migrations'));
  const child = spawn('node_modules/.bin/next', ['start', '-H', '127.0.0.1', '-p', String(port)], { env, stdio: 'ignore', detached: true });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/api/tasks`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, dbFile, process: child };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} server did not start`);
}

function stopApp(app: App) {
  try {
    process.kill(-app.process.pid!, 'SIGTERM');
  } catch {
    // gone already
  }
}

/** Queue tasks straight into the app's database; its follower picks them up. */
function enqueue(app: App, prompts: string[]): string[] {
  const db = new Database(app.dbFile);
  const now = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO Task (id, prompt, ratio, seed, status, origin, createdAt, updatedAt, nextCheckAt) VALUES (?, ?, '1024:1024', ?, 'QUEUED', 'new', ?, ?, ?)`,
  );
  const ids = prompts.map((prompt, i) => {
    const id = randomUUID();
    insert.run(id, prompt, i, now, now, now);
    return id;
  });
  db.close();
  return ids;
}

/** A tab: follows /api/events and notes when each task arrives Completed. */
function openTab(app: App, seen: Map<string, number>) {
  const controller = new AbortController();
  void (async () => {
    const response = await fetch(`${app.url}/api/events`, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.includes('event: task')) continue;
        const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { id: string; status: string };
        if (data.status === 'COMPLETED' && !seen.has(data.id)) seen.set(data.id, Date.now());
      }
    }
  })().catch(() => {});
  // A tab also polls our own GET route (the fallback), as the browser would with the stream down.
  const poll = setInterval(() => void fetch(`${app.url}/api/tasks`).catch(() => {}), 1_000);
  return () => {
    clearInterval(poll);
    controller.abort();
  };
}

async function simTasks(sim: RunningSimulator) {
  const body = await simulatorControl<{ tasks: Array<{ task_id: string; prompt: string; created_at: number }> }>(
    { url: sim.url, apiKey: sim.options.apiKey, keyHeader: sim.options.keyHeader },
    '/__sim/log',
  );
  return body.tasks;
}

async function waitFor(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ── 1. latency ───────────────────────────────────────────────────────────────
async function latency(mode: 'webhooks' | 'polling', port: number): Promise<number[]> {
  const sim = await startSimulator({
    apiKey: KEY,
    inProgressAfterMs: 200,
    completeAfterMs: COMPLETE_MS,
    ...(mode === 'webhooks' ? { webhookSecret: WEBHOOK_SECRET } : {}),
  });
  const app = await startApp(`latency-${mode}`, port, sim, mode === 'webhooks');
  const seen = new Map<string, number>();
  const close = openTab(app, seen);
  try {
    const added: number[] = [];
    for (let i = 0; i < LATENCY_TASKS; i++) {
      // One at a time, spaced, so the measurement is latency rather than queueing.
      const [id] = enqueue(app, [`latency ${mode} ${i}`]);
      await waitFor(() => seen.has(id), 30_000);
      const upstream = (await simTasks(sim)).find((t) => t.prompt === `latency ${mode} ${i}`)!;
      added.push(seen.get(id)! - (upstream.created_at + COMPLETE_MS));
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 300));
    }
    return added;
  } finally {
    close();
    stopApp(app);
    await sim.close();
  }
}

// ── 2. status calls per task: ours with N tabs vs naive per-tab polling ──────
async function statusCalls(tabs: number, port: number) {
  const sim = await startSimulator({ apiKey: KEY, inProgressAfterMs: 200, completeAfterMs: COMPLETE_MS + 1_000 });
  const app = await startApp(`calls-${tabs}`, port, sim, false);
  const seen = new Map<string, number>();
  const closers = Array.from({ length: tabs }, () => openTab(app, seen));
  const tasks = 5;
  try {
    const ids = enqueue(
      app,
      Array.from({ length: tasks }, (_, i) => `calls ${tabs} ${i}`),
    );
    await waitFor(() => ids.every((id) => seen.has(id)), 60_000);
    const ours = sim.log.statusCalls.length / tasks;

    // Naive: every tab polls the provider every second (through a thin proxy) until done.
    sim.reset();
    const naive = await naiveBaseline(sim, tabs, tasks);
    return { ours, naive };
  } finally {
    closers.forEach((close) => close());
    stopApp(app);
    await sim.close();
  }
}

async function naiveBaseline(sim: RunningSimulator, tabs: number, tasks: number): Promise<number> {
  const headers = { 'x-freepik-api-key': KEY, 'content-type': 'application/json' };
  const ids: string[] = [];
  for (let i = 0; i < tasks; i++) {
    const res = await fetch(`${sim.url}/v1/ai/text-to-image/runway`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ prompt: `naive ${i}`, ratio: '1024:1024', seed: i }),
    });
    ids.push(((await res.json()) as { data: { task_id: string } }).data.task_id);
  }
  await Promise.all(
    ids.flatMap((id) =>
      Array.from({ length: tabs }, async () => {
        for (;;) {
          const res = await fetch(`${sim.url}/v1/ai/text-to-image/runway/${id}`, { headers });
          const body = (await res.json()) as { data: { status: string } };
          if (body.data.status === 'COMPLETED') return;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }),
    ),
  );
  return sim.log.statusCalls.length / tasks;
}

// ── 3 + 4. concurrent submissions under faults, thumbnails ──────────────────
async function concurrentSubmissions() {
  const sim = await startSimulator({
    apiKey: KEY,
    inProgressAfterMs: 200,
    completeAfterMs: COMPLETE_MS,
    faults: { rate429: 0.1, rate500: 0.1, rate503: 0.1, failRate: 0 },
  });
  const dir = path.join(BENCH_DIR, 'concurrent');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.DATABASE_URL = `file:${dir}/darkroom.db`;
  process.env.FREEPIK_API_KEY = KEY;
  process.env.FREEPIK_API_BASE_URL = sim.url;
  migrateSqlite(`${dir}/darkroom.db`, path.join(ROOT, 'prisma/migrations'));
  const service = await import('../lib/tasks/service');
  const { db } = await import('../lib/db/client');
  const { follower } = await import('../lib/tasks/follower-instance');

  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) =>
      service.requestGeneration({ prompt: `concurrent ${i}`, ratio: '1024:1024', seed: String(i) }, { requestId: randomUUID() }),
    ),
  );
  const accepted = results.filter((r) => r.ok).length;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const open = await db().task.count({ where: { status: { in: ['QUEUED', 'GENERATING'] }, needsDecision: false } });
    if (open === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const seconds = (Date.now() - started) / 1000;
  sim.configure({ faults: { rate429: 0, rate500: 0, rate503: 0 } });
  const completed = await db().task.count({ where: { status: 'COMPLETED' } });
  const failed = await db().task.count({ where: { status: 'FAILED' } });
  const undecided = await db().task.count({ where: { needsDecision: true } });
  const upstream = await simTasks(sim);
  const perPrompt = new Map<string, number>();
  for (const t of upstream) perPrompt.set(t.prompt, (perPrompt.get(t.prompt) ?? 0) + 1);
  const duplicated = [...perPrompt.values()].filter((n) => n > 1).length;
  const lost = CONCURRENT - completed - failed - undecided;

  const images = await db().image.findMany({ include: { thumbnails: true } });
  const originalMean = images.reduce((s, i) => s + i.bytes, 0) / Math.max(1, images.length);
  const thumbs = images.flatMap((i) => i.thumbnails);
  const thumbMean = (w: number) => {
    const list = thumbs.filter((t) => t.width === w);
    return list.length ? list.reduce((s, t) => s + t.bytes, 0) / list.length : NaN;
  };
  follower().stop();
  await sim.close();
  return { accepted, completed, failed, undecided, lost, duplicated, seconds, originalMean, thumbMean, creates: sim.log.creates.length };
}

// ── 5. first page with 100k rows ────────────────────────────────────────────
const SCALE_ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 100_000);

async function firstPage(port: number) {
  const dir = path.join(BENCH_DIR, 'scale');
  const dbFile = path.join(dir, 'darkroom.db');
  const existing = (() => {
    try {
      const db = new Database(dbFile, { readonly: true });
      const n = (db.prepare('SELECT COUNT(*) AS n FROM Task').get() as { n: number }).n;
      db.close();
      return n;
    } catch {
      return 0;
    }
  })();
  if (existing !== SCALE_ROWS) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`seeding ${SCALE_ROWS} rows…`);
    const seeded = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/seed.ts', '--count', String(SCALE_ROWS)], {
      env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
      stdio: 'inherit',
    });
    if (seeded.status !== 0) throw new Error('seeding failed');
  }
  // The query layer alone, in a separate process pointed at the seeded database.
  const inProcess = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/bench/first-page.ts'], {
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, FREEPIK_API_KEY: KEY },
    encoding: 'utf8',
  });
  const serverSide = JSON.parse(inProcess.stdout.trim().split('\n').pop() ?? '[]') as Array<{ name: string; p50: number; p95: number }>;

  const sim = await startSimulator({ apiKey: KEY });
  const app = await startApp('scale', port, sim, false, true);
  const cases: Array<[string, string]> = [
    ['newest', ''],
    ['oldest', 'sort=oldest'],
    ['search "lighthouse dusk"', 'q=lighthouse+dusk'],
    ['search, best match', 'q=harbour&sort=relevance'],
    ['favorites + ratio', 'favorites=1&ratio=1920%3A1080'],
  ];
  const results: Array<[string, number, number]> = [];
  try {
    for (const [name, query] of cases) {
      const times: number[] = [];
      for (let i = 0; i < 22; i++) {
        const started = performance.now();
        const response = await fetch(`${app.url}/api/tasks?${query}`);
        await response.json();
        if (i >= 2) times.push(performance.now() - started); // two warm-ups
      }
      results.push([name, percentile(times, 50), percentile(times, 95)]);
    }
  } finally {
    stopApp(app);
    await sim.close();
  }
  return { http: results, serverSide };
}

async function main() {
  const build = spawnSync('node', ['-e', "require('fs').accessSync('.next/BUILD_ID')"]);
  if (build.status !== 0) throw new Error('No production build: run `npm start` or `npm test` once first.');
  mkdirSync(BENCH_DIR, { recursive: true });

  log(`first page with ${SCALE_ROWS} rows…`);
  const first = await firstPage(3205);
  for (const { name, p50, p95 } of first.serverSide) {
    rows.push([
      `First page (48 tasks), ${SCALE_ROWS.toLocaleString('en')} rows, server query time, ${name} (p50 / p95)`,
      `${p50.toFixed(1)} ms / ${p95.toFixed(1)} ms`,
    ]);
  }
  for (const [name, p50, p95] of first.http) {
    rows.push([
      `First page (48 tasks), ${SCALE_ROWS.toLocaleString('en')} rows, GET /api/tasks round trip, ${name} (p50 / p95)`,
      `${p50.toFixed(1)} ms / ${p95.toFixed(1)} ms`,
    ]);
  }

  log('latency with webhooks…');
  const hooks = await latency('webhooks', 3201);
  log('latency with polling…');
  const polls = await latency('polling', 3202);
  rows.push([
    'Added latency, upstream COMPLETED → picture pushed to tab, webhooks (p50 / p95)',
    `${percentile(hooks, 50)} ms / ${percentile(hooks, 95)} ms (n=${hooks.length})`,
  ]);
  rows.push([
    'Added latency, polling fallback only (p50 / p95)',
    `${percentile(polls, 50)} ms / ${percentile(polls, 95)} ms (n=${polls.length})`,
  ]);

  log('status calls with 1 and 5 tabs…');
  const one = await statusCalls(1, 3203);
  const five = await statusCalls(5, 3204);
  rows.push([
    'Upstream status calls per task, 1 tab: Darkroom / naive',
    `${one.ours.toFixed(1)} / ${one.naive.toFixed(1)} (naive ÷ ours = ${(one.naive / one.ours).toFixed(1)}×)`,
  ]);
  rows.push([
    'Upstream status calls per task, 5 tabs: Darkroom / naive',
    `${five.ours.toFixed(1)} / ${five.naive.toFixed(1)} (naive ÷ ours = ${(five.naive / five.ours).toFixed(1)}×)`,
  ]);

  log(`${CONCURRENT} concurrent submissions under 30 % faults…`);
  const c = await concurrentSubmissions();
  rows.push([
    `${CONCURRENT} concurrent submissions, 30 % 429/500/503: completed / failed / lost / duplicated`,
    `${c.completed} / ${c.failed} / ${c.lost} / ${c.duplicated} (undecided ${c.undecided}; ${c.seconds.toFixed(0)} s; ${c.creates} create calls incl. refused)`,
  ]);
  rows.push(['Mean original bytes (1024×1024 PNG)', `${Math.round(c.originalMean).toLocaleString('en')}`]);
  rows.push([
    'Mean WebP thumbnail bytes at 320 / 640 px',
    `${Math.round(c.thumbMean(320)).toLocaleString('en')} / ${Math.round(c.thumbMean(640)).toLocaleString('en')} (${((c.thumbMean(320) / c.originalMean) * 100).toFixed(1)} % / ${((c.thumbMean(640) / c.originalMean) * 100).toFixed(1)} % of original)`,
  ]);

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
  const table = ['| Measure | Result |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
  console.log(`\n${table}\n`);
  const doc = `# Benchmarks\n\nProduced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} — ${machine}.\nSimulator on loopback, upstream completion after ${COMPLETE_MS} ms. "Naive" = each open tab polling the provider every second through the server.\n\n${table}\n`;
  // Keep the cluster profile's section (`npm run bench -- --cluster` writes it).
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const cluster = previous.indexOf('\n## Cluster profile');
  writeFileSync(file, cluster >= 0 ? doc + previous.slice(cluster) : doc);
  log('wrote docs/benchmarks.md');
  process.exit(0);
}

const entry = process.argv.includes('--cluster') ? () => import('./bench/cluster').then((m) => m.runClusterBench()) : main;
void entry()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
