import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { RunningSimulator } from '@/lib/simulator/server';
import { MODELS } from '@/lib/freepik/models';
import { SEED_MAX } from '@/lib/generation/schema';
import { sqlitePathOf } from '@/lib/config/env-schema';
import { MIGRATIONS_DIR } from '@/lib/db/dialect';
import { migrateDatabase, migratePostgres, migrateSqlite } from '@/lib/db/migrate';
import type { TaskView } from '@/lib/tasks/view';
import { startIntegration, stopIntegration, waitForFinish } from '../support/integration';
import { freshDatabase } from '../support/test-db';

// Variations: one Generate with Variations N makes a batch of N tasks with N explicit seeds, each its own
// upstream request. Real pieces in-process (service, follower, HTTP client, simulator), on SQLite and PostgreSQL.
let sim: RunningSimulator;
let actions: typeof import('@/app/actions');
let db: typeof import('@/lib/db/client').db;

beforeAll(async () => {
  ({ sim } = await startIntegration('variations'));
  actions = await import('@/app/actions');
  db = (await import('@/lib/db/client')).db;
});

afterAll(() => stopIntegration(sim));

const createsWith = (prompt: string) => sim.log.creates.filter((c) => (c.body as { prompt?: string } | undefined)?.prompt === prompt);
const rowsWith = (prompt: string) => db().task.findMany({ where: { prompt }, orderBy: [{ batchIndex: 'asc' }, { id: 'asc' }] });

async function generate(prompt: string, variations: unknown, seed = '', requestId: string = randomUUID()) {
  const result = await actions.generateAction({ prompt, ratio: '720:720', seed, variations }, requestId);
  if (!result.ok) throw new Error(result.error);
  return result;
}

function expectOneBatch(tasks: TaskView[], size: number) {
  expect(tasks).toHaveLength(size);
  const batchId = tasks[0].batch?.id;
  expect(batchId).toMatch(/^[0-9a-f-]{36}$/);
  expect(tasks.map((t) => t.batch)).toEqual(tasks.map((_, index) => ({ id: batchId, index, size })));
  return batchId!;
}

describe('Variations', () => {
  it('4 variations: four tasks with four distinct seeds in one batch, and exactly four valid upstream creates', async () => {
    const prompt = 'variations heron at dawn';
    const requestId = randomUUID();
    const result = await generate(prompt, '4', '', requestId);
    expectOneBatch(result.tasks, 4);
    expect(result.task).toEqual(result.tasks[0]);
    expect(new Set(result.tasks.map((t) => t.seed)).size).toBe(4);
    for (const task of result.tasks)
      expect(task).toMatchObject({ prompt, ratio: '720:720', origin: 'new', status: 'QUEUED', parentId: null });
    // Per-picture request ids derived from the submission's.
    const rows = await rowsWith(prompt);
    expect(rows.map((r) => r.requestId)).toEqual([requestId, `${requestId}#1`, `${requestId}#2`, `${requestId}#3`]);

    const done = await Promise.all(result.tasks.map((t) => waitForFinish(t.id, 20_000)));
    expect(done.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(done.map((t) => t.batch)).toEqual(result.tasks.map((t) => t.batch)); // the view keeps its batch
    const creates = createsWith(prompt);
    expect(creates).toHaveLength(4);
    expect(creates.every((c) => c.status === 200)).toBe(true);
    // Each a plain RunWay body (prompt, ratio, seed — nothing about batches), one per seed.
    for (const create of creates) expect(MODELS.runway.bodySchema.parse(create.body)).toEqual(create.body);
    expect(creates.map((c) => (c.body as { seed: number }).seed).sort()).toEqual(result.tasks.map((t) => t.seed).sort());
    expect(
      creates.every(
        (c) =>
          Object.keys(c.body as object)
            .sort()
            .join() === 'prompt,ratio,seed',
      ),
    ).toBe(true);
  }, 40_000);

  it('a given seed S gives S, S+1, S+2, S+3, wrapping past SEED_MAX to 0', async () => {
    const plain = await generate('variations consecutive seeds', 4, '100');
    expect(plain.tasks.map((t) => t.seed)).toEqual([100, 101, 102, 103]);
    const wrapped = await generate('variations wrapping seeds', '4', String(SEED_MAX - 1));
    expect(wrapped.tasks.map((t) => t.seed)).toEqual([SEED_MAX - 1, SEED_MAX, 0, 1]);
    expectOneBatch(wrapped.tasks, 4);
    const two = await generate('variations two', '2', '7');
    expect(two.tasks.map((t) => t.seed)).toEqual([7, 8]);
    expectOneBatch(two.tasks, 2);
  });

  it('1 variation (or none given) is a single picture: no batch, the request id as before', async () => {
    const requestId = randomUUID();
    const one = await generate('variations single', '1', '5', requestId);
    expect(one.tasks).toHaveLength(1);
    expect(one.task).toMatchObject({ seed: 5, batch: null });
    expect((await rowsWith('variations single')).map((r) => [r.requestId, r.batchId, r.batchIndex, r.batchSize])).toEqual([
      [requestId, null, null, null],
    ]);
    const legacy = await actions.generateAction({ prompt: 'variations legacy caller', ratio: '720:720', seed: '' });
    expect(legacy).toMatchObject({ ok: true, task: { batch: null } });
    if (legacy.ok) expect(legacy.tasks).toEqual([legacy.task]);
  });

  it('the same request id again returns the same four tasks, also when the submits race', async () => {
    const prompt = 'variations double submit';
    const requestId = randomUUID();
    const first = await generate(prompt, '4', '', requestId);
    const again = await generate(prompt, '4', '', requestId);
    expect(again.tasks.map((t) => t.id)).toEqual(first.tasks.map((t) => t.id));

    const racing = 'variations racing submits';
    const raceId = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => generate(racing, '4', '', raceId)));
    const ids = results.map((r) => r.tasks.map((t) => t.id));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    expect(ids[0]).toHaveLength(4);
    expect(await rowsWith(prompt)).toHaveLength(4);
    expect((await rowsWith(racing)).map((r) => r.id)).toEqual(ids[0]);

    await Promise.all(ids[0].map((id) => waitForFinish(id, 20_000)));
    expect(createsWith(racing).filter((c) => c.status === 200)).toHaveLength(4);
  }, 40_000);

  it('refuses 0, 5, "abc" (and 2.5, -1) with the field message; nothing is stored or sent', async () => {
    const prompt = 'variations refused';
    for (const variations of [0, 5, 'abc', '0', '5', 2.5, '-1', true]) {
      const result = await actions.generateAction({ prompt, ratio: '720:720', seed: '', variations }, randomUUID());
      expect(result, `variations ${JSON.stringify(variations)}`).toEqual({
        ok: false,
        error: 'Please fix the highlighted fields.',
        fieldErrors: { variations: 'Choose 1 to 4 variations.' },
      });
    }
    expect(await rowsWith(prompt)).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(createsWith(prompt)).toEqual([]);
  });

  it('Reproduce for a batch: a new batch with the same seeds in the same order, each linked to its picture', async () => {
    const old = await generate('variations reproduce batch', '3', '40');
    const oldBatch = old.tasks[0].batch!.id;
    const requestId = randomUUID();
    const result = await actions.regenerateBatchAction(oldBatch, 'reproduce', requestId);
    if (!result.ok) throw new Error(result.error);
    const newBatch = expectOneBatch(result.tasks, 3);
    expect(newBatch).not.toBe(oldBatch);
    expect(result.tasks.map((t) => [t.seed, t.parentId, t.origin, t.prompt, t.ratio])).toEqual(
      old.tasks.map((t) => [t.seed, t.id, 'reproduce', t.prompt, t.ratio]),
    );
    // The same request again (double click): the same batch, nothing new.
    const again = await actions.regenerateBatchAction(oldBatch, 'reproduce', requestId);
    expect(again.ok && again.tasks.map((t) => t.id)).toEqual(result.tasks.map((t) => t.id));
    expect(await db().task.count({ where: { batchId: newBatch } })).toBe(3);
  });

  it('New seed for a batch: a new batch of fresh, distinct seeds, each linked to its picture', async () => {
    const old = await generate('variations new seed batch', '4', '900');
    const result = await actions.regenerateBatchAction(old.tasks[0].batch!.id, 'new-seed');
    if (!result.ok) throw new Error(result.error);
    expectOneBatch(result.tasks, 4);
    const seeds = result.tasks.map((t) => t.seed);
    expect(new Set(seeds).size).toBe(4);
    for (const seed of seeds) expect([900, 901, 902, 903]).not.toContain(seed);
    expect(result.tasks.map((t) => [t.parentId, t.origin])).toEqual(old.tasks.map((t) => [t.id, 'new-seed']));
  });

  it('a batch partly in the Trash uses the pictures still there; all in the Trash → "That batch no longer exists."', async () => {
    const old = await generate('variations trashed batch', '4', '60');
    const batchId = old.tasks[0].batch!.id;
    expect(await actions.trashAction([old.tasks[1].id])).toEqual({ ok: true, count: 1 });
    const three = await actions.regenerateBatchAction(batchId, 'reproduce');
    if (!three.ok) throw new Error(three.error);
    expectOneBatch(three.tasks, 3);
    expect(three.tasks.map((t) => [t.seed, t.parentId])).toEqual([
      [60, old.tasks[0].id],
      [62, old.tasks[2].id],
      [63, old.tasks[3].id],
    ]);

    // One left: a single picture, not a batch of one.
    await actions.trashAction([old.tasks[0].id, old.tasks[2].id]);
    const one = await actions.regenerateBatchAction(batchId, 'reproduce');
    expect(one).toMatchObject({ ok: true, tasks: [{ seed: 63, parentId: old.tasks[3].id, batch: null }] });

    await actions.trashAction([old.tasks[3].id]);
    const none = await actions.regenerateBatchAction(batchId, 'new-seed');
    expect(none).toEqual({ ok: false, error: 'That batch no longer exists.' });
    expect(await actions.regenerateBatchAction(randomUUID(), 'reproduce')).toEqual({ ok: false, error: 'That batch no longer exists.' });
    // Validated like the other actions: a malformed id or mode never reaches the database.
    expect(await actions.regenerateBatchAction('not-a-batch', 'reproduce')).toEqual({ ok: false, error: 'That batch no longer exists.' });
    expect(await actions.regenerateBatchAction(batchId, 'retry' as 'reproduce')).toEqual({
      ok: false,
      error: 'That batch no longer exists.',
    });
  });

  it('Reproduce of one picture of a batch makes one picture, outside any batch', async () => {
    const old = await generate('variations one of a batch', '2', '300');
    const result = await actions.regenerateAction(old.tasks[1].id, 'reproduce');
    expect(result).toMatchObject({ ok: true, task: { seed: 301, parentId: old.tasks[1].id, batch: null } });
  });

  it('export and import keep a batch together', async () => {
    const old = await generate('variations archived batch', '2', '500');
    await Promise.all(old.tasks.map((t) => waitForFinish(t.id, 20_000)));
    const { prepareExport } = await import('@/lib/archive/export');
    const { importArchive } = await import('@/lib/archive/import');
    const { manifestTaskSchema, importedBatchOf } = await import('@/lib/archive/manifest');
    const { writeFileSync } = await import('node:fs');

    const prepared = await prepareExport({ ids: old.tasks.map((t) => t.id) });
    const zip = Buffer.from(await new Response(prepared.zip.stream()).arrayBuffer());
    const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-variations-zip-'));
    writeFileSync(path.join(dir, 'export.zip'), zip);
    const { openZip } = await import('@/lib/archive/zip-reader');
    const archive = await openZip(path.join(dir, 'export.zip'));
    const manifest = JSON.parse((await archive.read(archive.get('manifest.json')!)).toString('utf8')) as {
      tasks: Array<{ batchId: string; batchIndex: number; batchSize: number }>;
    };
    await archive.close();
    expect(manifest.tasks.map((t) => [t.batchId, t.batchIndex, t.batchSize])).toEqual(
      old.tasks.map((t) => [t.batch!.id, t.batch!.index, t.batch!.size]),
    );

    // Gone from here (rows only), then imported back: new ids, the same batch.
    await db().task.deleteMany({ where: { id: { in: old.tasks.map((t) => t.id) } } });
    const report = await importArchive(path.join(dir, 'export.zip'));
    expect(report).toMatchObject({ imported: 2, errors: [] });
    const imported = await rowsWith('variations archived batch');
    expect(imported.map((r) => [r.seed, r.batchId, r.batchIndex, r.batchSize])).toEqual([
      [500n, old.tasks[0].batch!.id, 0, 2],
      [501n, old.tasks[0].batch!.id, 1, 2],
    ]);
    rmSync(dir, { recursive: true, force: true });

    // Archives from before Variations, and inconsistent batch fields: the picture imports as a single one.
    const base = {
      ...manifest.tasks[0],
      id: 'x',
      prompt: 'p',
      ratio: '720:720',
      seed: 1,
      status: 'COMPLETED',
      params: { prompt: 'p', ratio: '720:720', seed: 1 },
    };
    const legacy: Record<string, unknown> = { ...base };
    for (const key of ['batchId', 'batchIndex', 'batchSize']) delete legacy[key];
    expect(importedBatchOf(manifestTaskSchema.parse(legacy))).toBeNull();
    expect(importedBatchOf(manifestTaskSchema.parse({ ...base, batchIndex: 2, batchSize: 2 }))).toBeNull();
    expect(importedBatchOf(manifestTaskSchema.parse({ ...base, batchId: 'not-a-uuid' }))).toBeNull();
    expect(importedBatchOf(manifestTaskSchema.parse({ ...base, batchSize: 9 }))).toBeNull();
    expect(importedBatchOf(manifestTaskSchema.parse(base))).toEqual({ id: base.batchId, index: 0, size: 2 });
  }, 40_000);
});

describe('the batch migration', () => {
  it('leaves existing rows as they were, with no batch', async () => {
    const { dialect, url } = await freshDatabase('variations-upgrade', { migrate: false });
    const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-variations-migrations-'));
    cpSync(path.resolve(MIGRATIONS_DIR[dialect]), dir, { recursive: true });
    rmSync(path.join(dir, '20261203090000_task_batches'), { recursive: true });
    const before = `INSERT INTO "Task" ("id", "prompt", "ratio", "seed", "status", "origin", "requestId", "updatedAt") VALUES ('t1', 'old picture', '720:720', 42, 'COMPLETED', 'new', 'r1', CURRENT_TIMESTAMP)`;
    const after = 'SELECT "id", "prompt", "seed", "requestId", "batchId", "batchIndex", "batchSize" FROM "Task"';
    let rows: unknown[];
    if (dialect === 'postgres') {
      await migratePostgres(url, dir);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(before);
      await migrateDatabase(url, process.cwd());
      rows = (await client.query(after)).rows;
      await client.end();
    } else {
      const file = sqlitePathOf(url, process.cwd());
      migrateSqlite(file, dir);
      const sqlite = new Database(file);
      sqlite.exec(before);
      await migrateDatabase(url, process.cwd());
      rows = sqlite.prepare(after).all();
      sqlite.close();
    }
    rmSync(dir, { recursive: true, force: true });
    expect(rows).toEqual([
      { id: 't1', prompt: 'old picture', seed: expect.anything(), requestId: 'r1', batchId: null, batchIndex: null, batchSize: null },
    ]);
    expect(Number((rows[0] as { seed: unknown }).seed)).toBe(42);
  });
});
