/**
 * `npm run bench -- --cluster`: the team profile measured — 3 instances of the production build on
 * PostgreSQL and S3 (s3rver) behind nginx, the simulator on loopback (scripts/lib/cluster.mjs).
 *
 * 1. Push latency across instances: a task is stored by whichever instance follows it; how long until
 *    a tab whose event stream is held by another instance hears it (p50/p95).
 * 2. Upstream calls per task (creates + status reads + lists).
 * 3. Submissions under 30 % 429/500/503 (default 1000): completed / lost / duplicated, and the busiest
 *    upstream request rate (max over any 10 s window).
 * 4. First-page and search times over GET /api/tasks through the load balancer with (default) 1,000,000
 *    rows in PostgreSQL (p50/p95 of 20 requests each).
 * Sizes: BENCH_SUBMISSIONS, BENCH_ROWS, BENCH_LATENCY_TASKS. Results are appended to docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import { startCluster } from '../lib/cluster.mjs';
import { simulatorControl } from '../../lib/simulator/control';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 1000);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const LATENCY_TASKS = Number(process.env.BENCH_LATENCY_TASKS ?? 20);
const log = (message: string) => console.log(`[bench:cluster] ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

type SimLog = {
  creates: Array<{ at: number; status: number; body: { prompt?: string } }>;
  statusCalls: Array<{ at: number }>;
  listCalls: number;
};

/** Follows an instance's event stream; resolves `seen(id)` when a COMPLETED push for that task arrives. */
function followStream(url: string) {
  const completedAt = new Map<string, number>();
  const request = http.get(`${url}/api/events`, (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (!/^event: task$/m.test(message) || !data) continue;
        const task = JSON.parse(data) as { id: string; status: string };
        if (task.status === 'COMPLETED' && !completedAt.has(task.id)) completedAt.set(task.id, Date.now());
      }
    });
  });
  return { completedAt, close: () => request.destroy() };
}

async function insertQueued(db: pg.Client, prompts: string[]): Promise<string[]> {
  const ids = prompts.map(() => randomUUID());
  for (let i = 0; i < prompts.length; i += 500) {
    const chunk = prompts.slice(i, i + 500);
    const values = chunk
      .map((_, j) => `($${j * 3 + 1}, $${j * 3 + 2}, '720:720', $${j * 3 + 3}, 'QUEUED', 'new', now(), now())`)
      .join(', ');
    await db.query(
      `INSERT INTO "Task" ("id", "prompt", "ratio", "seed", "status", "origin", "createdAt", "updatedAt") VALUES ${values}`,
      chunk.flatMap((prompt, j) => [ids[i + j], prompt, i + j + 1]),
    );
  }
  return ids;
}

async function statuses(db: pg.Client, ids: string[]) {
  const { rows } = await db.query<{ id: string; status: string }>('SELECT "id", "status" FROM "Task" WHERE "id" = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, r.status]));
}

async function timeGet(url: string, runs = 20): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    if (i >= 3) times.push(performance.now() - started); // three warm-ups
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export async function runClusterBench() {
  log('starting PostgreSQL, s3rver, the simulator, 3 instances and nginx…');
  const cluster = await startCluster({ instances: 3, simArgs: ['--in-progress-ms', '300', '--complete-ms', '1500'], log });
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  const sim = { url: cluster.simUrl, apiKey: cluster.simKey };
  const rows: Array<[string, string]> = [];
  try {
    // 1 + 2: push latency across instances, calls per task.
    const stream = followStream(cluster.apps[2].url);
    await sleep(500);
    const ids = await insertQueued(
      db,
      Array.from({ length: LATENCY_TASKS }, (_, i) => `bench latency ${i}`),
    );
    const storedAt = new Map<string, number>();
    const deadline = Date.now() + 120_000;
    while (storedAt.size < ids.length && Date.now() < deadline) {
      for (const [id, status] of await statuses(db, ids)) if (status === 'COMPLETED' && !storedAt.has(id)) storedAt.set(id, Date.now());
      await sleep(10);
    }
    await sleep(2_000);
    stream.close();
    const latencies = ids
      .filter((id) => storedAt.has(id) && stream.completedAt.has(id))
      .map((id) => Math.max(0, stream.completedAt.get(id)! - storedAt.get(id)!));
    rows.push([
      `Push latency across instances: picture stored → event on another instance's stream (p50 / p95, n=${latencies.length})`,
      `${percentile(latencies, 50).toFixed(0)} ms / ${percentile(latencies, 95).toFixed(0)} ms`,
    ]);
    const first = await simulatorControl<SimLog>(sim, '/__sim/log');
    rows.push([
      'Upstream calls per task, 3 instances (creates + status reads + lists)',
      ((first.creates.length + first.statusCalls.length + first.listCalls) / ids.length).toFixed(1),
    ]);

    // 3: submissions under faults.
    await simulatorControl(sim, '/__sim/reset', {});
    await simulatorControl(sim, '/__sim/config', { faults: { rate429: 0.1, rate500: 0.1, rate503: 0.1 } });
    log(`${SUBMISSIONS} submissions under 30 % faults…`);
    const started = Date.now();
    const prompts = Array.from({ length: SUBMISSIONS }, (_, i) => `bench storm ${i}`);
    const stormIds = await insertQueued(db, prompts);
    let done = 0;
    const stormDeadline = Date.now() + Math.max(300_000, SUBMISSIONS * 1_500);
    while (Date.now() < stormDeadline) {
      const now = await statuses(db, stormIds);
      done = [...now.values()].filter((s) => s === 'COMPLETED' || s === 'FAILED' || s === 'UNSAVED').length;
      if (done === stormIds.length) break;
      await sleep(1_000);
    }
    const seconds = (Date.now() - started) / 1000;
    await simulatorControl(sim, '/__sim/config', { faults: { rate429: 0, rate500: 0, rate503: 0 } });
    const final = await statuses(db, stormIds);
    const storm = await simulatorControl<SimLog>(sim, '/__sim/log');
    const createdTimes = new Map<string, number>();
    for (const c of storm.creates)
      if (c.status === 200 && c.body.prompt) createdTimes.set(c.body.prompt, (createdTimes.get(c.body.prompt) ?? 0) + 1);
    const completed = [...final.values()].filter((s) => s === 'COMPLETED').length;
    const duplicated = [...createdTimes.values()].filter((n) => n > 1).length;
    const times = [...storm.creates.map((c) => c.at), ...storm.statusCalls.map((c) => c.at)].sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j] < times[i] - 10_000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    rows.push([
      `${SUBMISSIONS} submissions, 30 % 429/500/503, 3 instances: completed / lost / duplicated`,
      `${completed} / ${SUBMISSIONS - completed} / ${duplicated} (${seconds.toFixed(0)} s; ${storm.creates.length} create calls incl. refused)`,
    ]);
    rows.push(['Upstream requests/s, busiest 10 s window (limit: 10/s + burst 20)', (busiest / 10).toFixed(1)]);

    // 4: first pages with many rows.
    log(`seeding ${ROWS} rows…`);
    const seeded = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/seed.ts', '--count', String(ROWS)], {
      env: { ...process.env, DATABASE_URL: cluster.databaseUrl },
      stdio: 'inherit',
    });
    if (seeded.status !== 0) throw new Error('seeding failed');
    await db.query('ANALYZE');
    const base = `${cluster.url}/api/tasks`;
    for (const [name, query] of [
      ['newest', ''],
      ['oldest', '?sort=oldest'],
      ['search "lighthouse dusk"', '?q=lighthouse+dusk'],
      ['search, best match', '?q=lighthouse+dusk&sort=relevance'],
      ['favorites + ratio', '?favorites=1&ratio=1920%3A1080'],
    ] as const) {
      const { p50, p95 } = await timeGet(`${base}${query}`);
      rows.push([
        `First page (48 tasks), ${ROWS.toLocaleString('en')} rows on PostgreSQL, GET /api/tasks via nginx, ${name} (p50 / p95)`,
        `${p50.toFixed(1)} ms / ${p95.toFixed(1)} ms`,
      ]);
    }
  } finally {
    await db.end();
    await cluster.stop();
  }

  const table = ['| Measure | Result |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  console.log(`\n${table}\n`);
  const section = `\n## Cluster profile (\`npm run bench -- --cluster\`)\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version}: 3 instances of the production build, PostgreSQL 15 (throwaway cluster), s3rver, nginx round robin, the simulator on loopback (pictures complete after 1.5 s).\n\n${table}\n`;
  const file = 'docs/benchmarks.md';
  const current = readFileSync(file, 'utf8');
  const marker = '\n## Cluster profile';
  writeFileSync(file, (current.includes(marker) ? current.slice(0, current.indexOf(marker)) : current) + section);
  log(`written to ${file}`);
}
