import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Ratio } from '@/lib/generation/schema';
import type { RunningSimulator } from '@/lib/simulator/server';
import type { TaskEvent } from '@/lib/tasks/events';
import { exportZipOf, type ZipEntry } from '../support/export-zip';
import { startIntegration, stopIntegration } from '../support/integration';

// Image and Thumbnail rows have one writer, lib/images/records.ts (issue #9,
// seam 3; docs/decisions/0011-image-rows.md): it makes "an import adds a
// picture at most once" a database rule, and tells open tabs what changed.

let sim: RunningSimulator;
let dataDir: string;
let db: typeof import('@/lib/db/client').db;
let records: typeof import('@/lib/images/records');
let ingest: typeof import('@/lib/images/ingest');
let events: typeof import('@/lib/tasks/events');
let store: typeof import('@/lib/images/picture-store');

beforeAll(async () => {
  ({ sim, dataDir } = await startIntegration('records'));
  db = (await import('@/lib/db/client')).db;
  records = await import('@/lib/images/records');
  ingest = await import('@/lib/images/ingest');
  events = await import('@/lib/tasks/events');
  store = await import('@/lib/images/picture-store');
});
afterAll(() => stopIntegration(sim));

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A valid picture of exactly the ratio's size (what an import accepts), one flat colour. */
function picture(ratio: Ratio, background: string): Promise<Buffer> {
  const [width, height] = ratio.split(':').map(Number);
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();
}

const importedTask = (prompt: string) => ({
  prompt,
  ratio: '720:720' as Ratio,
  seed: 7,
  model: 'runway' as const,
  body: { prompt, ratio: '720:720', seed: 7 },
  origin: 'new' as const,
  parentId: null,
  favorite: false,
  createdAt: new Date('2026-11-30T10:00:00Z'),
  finishedAt: new Date('2026-11-30T10:00:05Z'),
});

/** An export-format zip on disk (manifest.json + images/…), as Darkroom's Export writes it. */
/** An export-format zip of these pictures, written to a file in the data directory. */
async function exportZip(entries: ZipEntry[]): Promise<string> {
  const file = path.join(dataDir, `concurrent-${randomUUID()}.zip`);
  writeFileSync(file, (await exportZipOf(entries)).zip);
  return file;
}

/** Resolves with the first event matching `wanted`; null if none comes within `ms` (generous: a NOTIFY round trip on a loaded 2-core box). */
function nextEvent(wanted: (event: TaskEvent) => boolean, ms = 10_000): Promise<TaskEvent | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(null);
    }, ms);
    const stop = events.subscribeToTasks((event) => {
      if (!wanted(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}
const taskEvent = (id: string, lost: boolean) => (event: TaskEvent) =>
  event.type === 'task' && event.task.id === id && event.task.image?.lost === lost;

describe('an import adds each picture once, enforced by the database', () => {
  it('refuses the second of two concurrent row writes for the same picture (both past the duplicate check)', async () => {
    const bytes = await picture('720:720', '#204060');
    const ingested = await ingest.ingestPicture(bytes, '720:720', null, 'upload');

    // No in-process queue and no pre-check here: only Image.importedSha256's unique index stands between them.
    const [first, second] = await Promise.all([
      records.createImportedPicture(importedTask('raced picture'), ingested),
      records.createImportedPicture(importedTask('raced picture'), ingested),
    ]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(first.taskId).toBe(second.taskId); // the loser points at the winner's task

    expect(await db().image.count({ where: { sha256: sha(bytes) } })).toBe(1);
    expect(await db().task.count({ where: { prompt: 'raced picture' } })).toBe(1);
    // The loser's files were the winner's (content-addressed): nothing was removed from under it.
    const row = (await db().image.findFirst({ where: { sha256: sha(bytes) }, include: { thumbnails: true } }))!;
    expect(row.importedSha256).toBe(sha(bytes));
    for (const key of [row.path, ...row.thumbnails.map((t) => t.path)]) expect(await store.pictureStore().has(key)).toBe(true);
  });

  it('two imports of the same zip started at once (two module instances, two queues) add each picture once', async () => {
    const entries = [
      { prompt: 'concurrent harbour', ratio: '720:720' as Ratio, bytes: await picture('720:720', '#aa3300') },
      { prompt: 'concurrent square', ratio: '1024:1024' as Ratio, bytes: await picture('1024:1024', '#0033aa') },
      { prompt: 'concurrent wide', ratio: '1360:768' as Ratio, bytes: await picture('1360:768', '#33aa00') },
    ];
    const zip = await exportZip(entries);
    const shas = entries.map((e) => sha(e.bytes));

    // Like a second server process: a fresh module registry has its own import queue.
    const importA = (await import('@/lib/archive/import')).importArchive;
    vi.resetModules();
    const importB = (await import('@/lib/archive/import')).importArchive;
    expect(importB).not.toBe(importA);

    const [a, b] = await Promise.all([importA(zip), importB(zip)]);
    expect([...a.errors, ...b.errors]).toEqual([]);
    expect(a.imported + b.imported).toBe(3);
    expect(a.duplicates + b.duplicates).toBe(3);

    for (const hash of shas) expect(await db().image.count({ where: { sha256: hash } }), hash).toBe(1);
    expect(await db().task.count({ where: { prompt: { startsWith: 'concurrent ' } } })).toBe(3);

    // And a third import, after both: all duplicates.
    const again = await importA(zip);
    expect(again).toMatchObject({ imported: 0, duplicates: 3, errors: [] });
  }, 60_000);

  it('pictures made here may still share their bytes with another task (one picture per task, not per content)', async () => {
    const bytes = await picture('720:720', '#777777');
    const ingested = await ingest.ingestPicture(bytes, '720:720', 'http://example.invalid/a.png');
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) {
      await db().$transaction(async (tx) => {
        await tx.task.create({ data: { id, prompt: 'reproduced exactly', ratio: '720:720', seed: 9n, status: 'COMPLETED' } });
        await records.insertPictureRows(tx, id, ingested);
      });
    }
    expect(await db().image.count({ where: { sha256: sha(bytes) } })).toBe(2);
    // Importing the same bytes is a duplicate of what is here, and adds nothing.
    const zip = await exportZip([{ prompt: 'reproduced exactly', ratio: '720:720', bytes }]);
    const report = await (await import('@/lib/archive/import')).importArchive(zip);
    expect(report).toMatchObject({ imported: 0, duplicates: 1 });
    expect(await db().image.count({ where: { sha256: sha(bytes) } })).toBe(2);
  });
});

describe('changes to a picture reach open tabs', () => {
  it('marking a picture lost, and found again, publishes a task change', async () => {
    const ingested = await ingest.ingestPicture(await picture('720:720', '#102030'), '720:720', null, 'upload');
    const { taskId } = await records.createImportedPicture(importedTask('soon lost'), ingested);
    const image = (await db().image.findUnique({ where: { taskId } }))!;

    const lostEvent = nextEvent(taskEvent(taskId, true));
    expect(await records.markLost(image)).toBe(true);
    const event = await lostEvent;
    expect(event).not.toBeNull();
    expect(event).toMatchObject({ type: 'task', task: { id: taskId, image: { lost: true } } });
    const firstLostAt = (await db().image.findUnique({ where: { id: image.id } }))!.lostAt;
    expect(firstLostAt).toBeInstanceOf(Date);

    // Already lost: the first time is kept and nothing is announced.
    const quiet = nextEvent((e) => e.type === 'task' && e.task.id === taskId, 300);
    expect(await records.markLost(image)).toBe(false);
    expect(await quiet).toBeNull();
    expect((await db().image.findUnique({ where: { id: image.id } }))!.lostAt).toEqual(firstLostAt);

    const foundEvent = nextEvent(taskEvent(taskId, false));
    expect(await records.markFound(image)).toBe(true);
    expect(await foundEvent).toMatchObject({ type: 'task', task: { id: taskId, image: { lost: false } } });
  });

  it('a picture found lost on serve is announced to open tabs', async () => {
    const ingested = await ingest.ingestPicture(await picture('720:720', '#405060'), '720:720', null, 'upload');
    const { taskId } = await records.createImportedPicture(importedTask('lost on serve'), ingested);
    await store.pictureStore().delete(ingested.path); // no provider task, no URL: nothing to repair from

    const lostEvent = nextEvent(taskEvent(taskId, true));
    const route = await import('@/app/api/images/[id]/route');
    const response = await route.GET(new Request(`http://127.0.0.1/api/images/${taskId}`), { params: Promise.resolve({ id: taskId }) });
    expect(response.status).toBe(410);
    expect(await lostEvent).toMatchObject({ type: 'task', task: { id: taskId, image: { lost: true } } });
  });

  it('emptying the Trash deletes the rows, keeps files another picture uses, removes the rest, and announces it', async () => {
    const bytes = await picture('1920:1080', '#abcdef');
    const ingested = await ingest.ingestPicture(bytes, '1920:1080', null, 'upload');
    const keys = [ingested.path, ...ingested.thumbnails.map((t) => t.path)];
    expect(keys).toHaveLength(4);
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) {
      await db().$transaction(async (tx) => {
        await tx.task.create({ data: { id, prompt: 'shared in the trash', ratio: '1920:1080', seed: 1n, status: 'COMPLETED' } });
        await records.insertPictureRows(tx, id, ingested);
      });
    }
    const collection = await import('@/lib/gallery/collection');

    await collection.moveToTrash([ids[0]]);
    const deleted = nextEvent((e) => e.type === 'deleted' && e.id === ids[0]);
    expect(await collection.emptyTrash()).toEqual({ tasks: 1, files: 0 }); // the other task still uses every file
    expect(await deleted).toEqual({ type: 'deleted', id: ids[0] });
    expect(await db().image.count({ where: { taskId: ids[0] } })).toBe(0);
    for (const key of keys) expect(await store.pictureStore().has(key)).toBe(true);

    await collection.moveToTrash([ids[1]]);
    expect(await collection.emptyTrash()).toEqual({ tasks: 1, files: 4 });
    for (const key of keys) expect(await store.pictureStore().has(key)).toBe(false);
    expect(await db().thumbnail.count({ where: { sha256: { in: ingested.thumbnails.map((t) => t.sha256) } } })).toBe(0);
  });

  it('the doctor lists the store and counts files no picture uses, without touching them', async () => {
    const stray = await picture('720:720', '#010203');
    const key = store.originalKey(sha(stray), 'png');
    await store.pictureStore().put(key, stray);
    const doctor = await import('@/lib/images/doctor');
    const report = await doctor.runDoctor({ repair: false });
    expect(report.strays).toBeGreaterThanOrEqual(1);
    expect(await store.pictureStore().has(key)).toBe(true);
    await store.pictureStore().delete(key);
    expect((await doctor.runDoctor({ repair: false })).strays).toBe(report.strays - 1);
  });
});
