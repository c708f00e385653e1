import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startSimulator, type RunningSimulator } from '@/lib/simulator/server';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ImportResult, ImportStreamLine } from '@/lib/archive/import-result';
import { MANIFEST_COLUMNS, type Manifest } from '@/lib/archive/manifest';
import { openZip } from '@/lib/archive/zip-reader';
import { prepareZip } from '@/lib/archive/zip-writer';
import type { Ratio } from '@/lib/generation/schema';
import { problemType } from '@/lib/http/problem';
import { setupDatabase } from '../support/test-db';

// Export → import round trip. The source instance makes real pictures with the
// in-process simulator and exports them through the route handler; the zip is
// then imported into fresh instances (new database and data directory, fresh
// module registry: what a second server process would be).
const KEY = 'archive-key-0123456789';
const ORIGIN = 'http://localhost:3000';
let sim: RunningSimulator;
let sourceDir: string;
let zipBytes: Buffer;
let manifest: Manifest;

type Instance = {
  dir: string;
  db: typeof import('@/lib/db/client').db;
  exportRoute: typeof import('@/app/api/export/route');
  importRoute: typeof import('@/app/api/import/route');
};
let source: Instance;

/** A fresh database (SQLite or PostgreSQL, as the vitest project says) and data directory. */
async function instance(label: string): Promise<Instance> {
  const { dataDir } = await setupDatabase(label);
  return {
    dir: dataDir,
    db: (await import('@/lib/db/client')).db,
    exportRoute: await import('@/app/api/export/route'),
    importRoute: await import('@/app/api/import/route'),
  };
}

/** Like starting a second server process on an empty data directory. */
async function freshInstance(label: string): Promise<Instance> {
  (await import('@/lib/tasks/follower-instance')).follower().stop();
  await (await import('@/lib/db/client')).db().$disconnect();
  delete (globalThis as { __darkroomDb?: unknown }).__darkroomDb;
  vi.resetModules();
  return instance(label);
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function waitFor(id: string, status: 'COMPLETED' | 'FAILED') {
  const repo = await import('@/lib/tasks/repository');
  for (const deadline = Date.now() + 30_000; ;) {
    const task = await repo.findTask(id);
    if (task?.status === status) return task;
    if ((task && task.status !== status && (task.status === 'COMPLETED' || task.status === 'FAILED')) || Date.now() > deadline) {
      throw new Error(`task ${id} ended ${task?.status}, wanted ${status}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function generate(prompt: string, ratio: Ratio, seed: number, status: 'COMPLETED' | 'FAILED' = 'COMPLETED') {
  const service = await import('@/lib/tasks/service');
  const result = await service.requestGeneration({ prompt, ratio, seed: String(seed) });
  if (!result.ok) throw new Error(result.error);
  return waitFor(result.task.id, status);
}

function exportRequest(inst: Instance, query = '') {
  return inst.exportRoute.GET(new Request(`${ORIGIN}/api/export${query}`));
}

function exportForm(inst: Instance, body: string, type = 'application/x-www-form-urlencoded') {
  return inst.exportRoute.POST(
    new Request(`${ORIGIN}/api/export`, {
      method: 'POST',
      body,
      headers: { origin: ORIGIN, 'content-type': type, 'content-length': String(Buffer.byteLength(body)) },
    }),
  );
}

function importRequest(inst: Instance, body: Uint8Array | string, headers: Record<string, string> = {}) {
  return inst.importRoute.POST(
    new Request(`${ORIGIN}/api/import`, {
      method: 'POST',
      body: typeof body === 'string' ? body : new Uint8Array(body),
      headers: {
        host: new URL(ORIGIN).host,
        origin: ORIGIN,
        'content-type': 'application/zip',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      },
    }),
  );
}

async function importJson(inst: Instance, body: Uint8Array) {
  const response = await importRequest(inst, body);
  expect(response.headers.get('content-type')).toContain('application/json');
  return { status: response.status, result: (await response.json()) as ImportResult };
}

async function unzipToMemory(bytes: Buffer) {
  const file = path.join(sourceDir, `read-${randomUUID()}.zip`);
  writeFileSync(file, bytes);
  const archive = await openZip(file);
  const entries = new Map<string, Buffer>();
  try {
    for (const entry of archive.entries) entries.set(entry.name, await archive.read(entry));
  } finally {
    await archive.close();
    rmSync(file);
  }
  return entries;
}

/** What must survive the round trip, in creation order. */
async function pictureSet(inst: Instance) {
  const rows = await inst.db().task.findMany({ include: { image: true, parent: true }, orderBy: { createdAt: 'asc' } });
  return rows.map((row) => ({
    prompt: row.prompt,
    ratio: row.ratio,
    seed: Number(row.seed),
    status: row.status,
    origin: row.origin,
    favorite: row.favorite,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    parentPrompt: row.parent?.prompt ?? null,
    sha256: row.image?.sha256 ?? null,
    bytes: row.image ? sha(readFileSync(path.join(inst.dir, row.image.path))) : null,
    size: row.image ? [row.image.width, row.image.height, row.image.mimeType] : null,
  }));
}

const PARENT_PROMPT = 'harbour at dusk, "golden hour"';
const ODD_PROMPT = 'Café crème, 東京\nsecond line, with "quotes"';
const FAILED_PROMPT = '[sim:fail] broken lantern';

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, inProgressAfterMs: 30, completeAfterMs: 150 });
  process.env.FREEPIK_API_KEY = KEY;
  process.env.FREEPIK_API_BASE_URL = sim.url;
  source = await instance('export');
  sourceDir = source.dir;

  const parent = await generate(PARENT_PROMPT, '1360:768', 11);
  const service = await import('@/lib/tasks/service');
  const child = await service.regenerate(parent.id, 'new-seed');
  if (!child.ok) throw new Error(child.error);
  await waitFor(child.task.id, 'COMPLETED');
  const odd = await generate(ODD_PROMPT, '720:720', 5);
  await source.db().task.update({ where: { id: odd.id }, data: { favorite: true } });
  await generate(FAILED_PROMPT, '1024:1024', 3, 'FAILED');
}, 60_000); // four real generations, ingest included: generous on a loaded 2-core machine

afterAll(async () => {
  (await import('@/lib/tasks/follower-instance')).follower().stop();
  await sim.close();
});

describe('export', () => {
  it('streams a zip with every picture, manifest.json and manifest.csv, with an exact Content-Length', async () => {
    const response = await exportRequest(source);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="darkroom-export-\d{8}-\d{4}\.zip"$/);
    expect(response.headers.get('x-darkroom-export-pictures')).toBe('3');
    zipBytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(zipBytes.length);

    const entries = await unzipToMemory(zipBytes);
    manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest).toMatchObject({ version: 1, count: 4 });
    expect(new Date(manifest.exportedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(manifest.tasks.map((t) => t.prompt).sort()).toEqual([PARENT_PROMPT, ODD_PROMPT, FAILED_PROMPT, PARENT_PROMPT].sort());

    const rows = await source.db().task.findMany({ include: { image: true } });
    for (const task of manifest.tasks) {
      const row = rows.find((r) => r.id === task.id)!;
      expect(task).toMatchObject({
        ratio: row.ratio,
        seed: Number(row.seed),
        status: row.status,
        statusDetail: row.statusDetail,
        origin: row.origin,
        parentId: row.parentId,
        favorite: row.favorite,
        createdAt: row.createdAt.toISOString(),
        finishedAt: row.finishedAt?.toISOString() ?? null,
      });
      if (row.status === 'FAILED') {
        expect(task).toMatchObject({ file: null, sha256: null });
        expect(task.statusDetail).toBeTruthy();
        continue;
      }
      expect(task.file).toMatch(new RegExp(`^images/[a-z0-9-]+-seed-${task.seed}-${task.id.slice(0, 8)}\\.png$`));
      const bytes = entries.get(task.file!)!;
      expect(sha(bytes)).toBe(task.sha256);
      expect(task.sha256).toBe(row.image!.sha256);
      expect(bytes.equals(readFileSync(path.join(sourceDir, row.image!.path)))).toBe(true);
      expect(task).toMatchObject({ width: row.image!.width, height: row.image!.height, mimeType: 'image/png' });
    }
    // Only the manifests and the three pictures.
    expect([...entries.keys()].filter((n) => !n.startsWith('images/'))).toEqual(['manifest.json', 'manifest.csv']);
    expect(entries.size).toBe(5);

    // The CSV says the same as the JSON, prompts with commas, quotes and newlines included.
    const [header, ...records] = parseCsv(entries.get('manifest.csv')!.toString('utf8'), { bom: true });
    expect(header).toEqual([...MANIFEST_COLUMNS]);
    // `params` (the body sent) is one JSON cell.
    expect(records).toEqual(
      manifest.tasks.map((t) => MANIFEST_COLUMNS.map((c) => (c === 'params' ? JSON.stringify(t[c]) : t[c] === null ? '' : String(t[c])))),
    );
  });

  it('exports a selection by ids, and refuses malformed ids', async () => {
    const odd = manifest.tasks.find((t) => t.prompt === ODD_PROMPT)!;
    const failed = manifest.tasks.find((t) => t.prompt === FAILED_PROMPT)!;
    const response = await exportRequest(source, `?ids=${failed.id},${odd.id}`);
    expect(response.status).toBe(200);
    const entries = await unzipToMemory(Buffer.from(await response.arrayBuffer()));
    const selected = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    expect(selected.tasks.map((t) => t.id)).toEqual([failed.id, odd.id]);
    expect(entries.size).toBe(3);

    // The same selection as a form POST (what the page sends: a URL holds only ~400 ids).
    const form = new URLSearchParams({ ids: `${failed.id},${odd.id}` }).toString();
    const posted = await exportForm(source, form);
    expect(posted.status).toBe(200);
    const postedEntries = await unzipToMemory(Buffer.from(await posted.arrayBuffer()));
    expect((JSON.parse(postedEntries.get('manifest.json')!.toString()) as Manifest).tasks.map((t) => t.id)).toEqual([failed.id, odd.id]);
    expect((await exportForm(source, form, 'application/json')).status).toBe(415);

    expect((await exportRequest(source, '?ids=not-an-id')).status).toBe(400);
    expect((await exportRequest(source, '?ids=')).status).toBe(400);
  });

  it('exports by filter', async () => {
    const response = await exportRequest(source, '?q=harbour&sort=oldest');
    const entries = await unzipToMemory(Buffer.from(await response.arrayBuffer()));
    const filtered = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    expect(filtered.tasks.map((t) => [t.prompt, t.origin])).toEqual([
      [PARENT_PROMPT, 'new'],
      [PARENT_PROMPT, 'new-seed'],
    ]);
  });

  it('streams 300 pictures in constant memory', async () => {
    // Rows pointing at a few stored files: a 2 MB one, so the export is ~600 MB.
    const big = randomBytes(2 * 1024 * 1024);
    const relative = path.join('images', 'ff', `${sha(big)}.png`);
    mkdirSync(path.join(sourceDir, 'images', 'ff'), { recursive: true });
    writeFileSync(path.join(sourceDir, relative), big);
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const id = randomUUID();
      ids.push(id);
      await source.db().task.create({
        data: {
          id,
          prompt: `memory probe ${i}`,
          ratio: '720:720',
          seed: BigInt(i),
          status: 'COMPLETED',
          finishedAt: new Date(),
          image: {
            create: {
              id: randomUUID(),
              sha256: sha(big),
              path: relative,
              mimeType: 'image/png',
              width: 720,
              height: 720,
              bytes: big.length,
            },
          },
        },
      });
    }

    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    // Warm up (modules, query plans) so the baseline only leaves out the export itself.
    await (await exportRequest(source, `?ids=${ids.slice(0, 2).join(',')}`)).arrayBuffer();
    gc();
    const baseline = used();
    const response = await exportForm(source, new URLSearchParams({ ids: ids.join(',') }).toString());
    const reader = response.body!.getReader();
    let received = 0;
    let chunks = 0;
    let peak = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (++chunks % 40 === 0) {
        gc(); // what is retained, not garbage not yet collected
        peak = Math.max(peak, used() - baseline);
      }
    }
    expect(received).toBe(Number(response.headers.get('content-length')));
    expect(received).toBeGreaterThan(300 * big.length);
    // Everything at once would be ~600 MB; one picture in flight is ~2 MB.
    expect(peak).toBeLessThan(48 * 1024 * 1024);

    await source.db().task.deleteMany({ where: { id: { in: ids } } });
  }, 60_000);
});

describe('import into a fresh instance', () => {
  let target: Instance;
  let original: Awaited<ReturnType<typeof pictureSet>>;

  beforeAll(async () => {
    original = (await pictureSet(source)).filter((t) => t.status === 'COMPLETED');
    target = await freshInstance('import');
  }, 30_000);

  it('round trip: the imported set equals the original set', async () => {
    const { status, result } = await importJson(target, zipBytes);
    expect(status).toBe(200);
    expect(result).toEqual({ ok: true, imported: 3, duplicates: 0, restored: 0, skipped: 1, errors: [], moreErrors: 0 });

    const imported = await pictureSet(target);
    expect(imported).toEqual(original);
    expect(imported.find((t) => t.origin === 'new-seed')!.parentPrompt).toBe(PARENT_PROMPT);
    // New ids, and thumbnails made for the gallery.
    const rows = await target.db().task.findMany({ include: { image: { include: { thumbnails: true } } } });
    for (const row of rows) {
      expect(manifest.tasks.some((t) => t.id === row.id)).toBe(false);
      expect(row.image!.thumbnails.length).toBeGreaterThan(0);
      expect(row.image!.placeholder).toMatch(/^data:image\/webp;base64,/);
      for (const t of row.image!.thumbnails) expect(sha(readFileSync(path.join(target.dir, t.path)))).toBe(t.sha256);
    }
    // A full-text search index entry exists for imported prompts too.
    const { listTasks } = await import('@/lib/gallery/query');
    const { DEFAULT_FILTER } = await import('@/lib/gallery/filters');
    expect((await listTasks({ ...DEFAULT_FILTER, q: 'crème' })).tasks.map((t) => t.prompt)).toEqual([ODD_PROMPT]);
    // The upload's temp file is gone.
    expect(readdirSync(path.join(target.dir, 'tmp'))).toEqual([]);
  });

  it('exporting the imported set gives the same manifest (apart from ids)', async () => {
    const response = await exportRequest(target);
    const entries = await unzipToMemory(Buffer.from(await response.arrayBuffer()));
    const again = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    const strip = (m: Manifest) =>
      m.tasks
        .filter((t) => t.status === 'COMPLETED')
        .map((t) => {
          const { parentId, file, ...rest } = t;
          return { ...rest, id: undefined, hasParent: parentId !== null, file: file!.replace(/-[0-9a-f]{8}\.png$/, '') };
        })
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    expect(strip(again)).toEqual(strip(manifest));
  });

  it('importing the same zip again adds nothing: all duplicates', async () => {
    const before = await target.db().task.count();
    const { result } = await importJson(target, zipBytes);
    expect(result).toEqual({ ok: true, imported: 0, duplicates: 3, restored: 0, skipped: 1, errors: [], moreErrors: 0 });
    expect(await target.db().task.count()).toBe(before);
    expect(await target.db().image.count()).toBe(before);
  });

  it('a lost picture here is restored from the archive', async () => {
    const image = (await target.db().image.findFirst({ where: { task: { prompt: ODD_PROMPT } } }))!;
    rmSync(path.join(target.dir, image.path));
    await target.db().image.update({ where: { id: image.id }, data: { lostAt: new Date() } });
    const { result } = await importJson(target, zipBytes);
    expect(result).toMatchObject({ ok: true, imported: 0, duplicates: 3, restored: 1 });
    expect(sha(readFileSync(path.join(target.dir, image.path)))).toBe(image.sha256);
    expect((await target.db().image.findUnique({ where: { id: image.id } }))!.lostAt).toBeNull();
  });

  it('rejects what is not a Darkroom zip, and cross-site uploads', async () => {
    const notZip = await importRequest(target, 'name,prompt\nx,y\n');
    expect(notZip.status).toBe(415);
    expect(notZip.headers.get('content-type')).toBe('application/problem+json');
    expect(await notZip.json()).toEqual({
      type: 'about:blank',
      title: 'Unsupported Media Type',
      status: 415,
      detail: expect.stringContaining('not a zip'),
    });

    const foreign = prepareZip([{ name: 'holiday.jpg', data: Buffer.from('jpeg bytes') }]);
    const foreignBytes = Buffer.from(await new Response(foreign.stream()).arrayBuffer());
    const noManifest = await importRequest(target, foreignBytes);
    expect(noManifest.status).toBe(422);
    expect(await noManifest.json()).toMatchObject({
      type: problemType('archive-rejected'),
      status: 422,
      detail: expect.stringMatching(/no manifest\.json/),
    });

    const truncated = await importRequest(target, zipBytes.subarray(0, zipBytes.length - 100));
    expect(truncated.status).toBe(422);

    const crossSite = await importRequest(target, zipBytes, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const noOrigin = await target.importRoute.POST(
      new Request(`${ORIGIN}/api/import`, { method: 'POST', body: new Uint8Array(zipBytes), headers: { host: new URL(ORIGIN).host } }),
    );
    expect(noOrigin.status).toBe(403); // the access gate's rule (ADR 0008): browsers always send Origin here
    expect(await target.db().task.count()).toBe(3);
    expect(readdirSync(path.join(target.dir, 'tmp'))).toEqual([]);
  });
});

describe('import behind the access gate', () => {
  it('refuses an upload without a session before reading it (proxy.ts skips this route)', async () => {
    process.env.APP_PASSWORD = 'correct horse battery';
    try {
      const gated = await freshInstance('gated');
      const response = await importRequest(gated, zipBytes);
      expect(response.status).toBe(401);
      expect(await gated.db().task.count()).toBe(0);
      expect(existsSync(path.join(gated.dir, 'tmp'))).toBe(false);
    } finally {
      delete process.env.APP_PASSWORD;
    }
  });
});

describe('import of a damaged zip', () => {
  it('reports the damaged picture and imports the others (progress streamed as NDJSON)', async () => {
    const target = await freshInstance('damaged');
    const parent = manifest.tasks.find((t) => t.origin === 'new' && t.prompt === PARENT_PROMPT)!;
    // Flip one byte inside the parent's stored picture: its CRC-32 no longer matches.
    const file = path.join(target.dir, 'probe.zip');
    writeFileSync(file, zipBytes);
    const archive = await openZip(file);
    const entry = archive.get(parent.file!)!;
    await archive.close();
    const nameLength = Buffer.byteLength(entry.name);
    const damaged = Buffer.from(zipBytes);
    damaged[entry.headerOffset + 30 + nameLength + 9 + 5_000] ^= 0xff;

    const response = await importRequest(target, damaged, { accept: 'application/x-ndjson' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ImportStreamLine);
    const result = lines.at(-1)!;
    expect(lines.slice(0, -1).every((l) => l.type === 'progress')).toBe(true);
    expect(lines.at(-2)).toEqual({ type: 'progress', done: 4, total: 4 });
    expect(result).toMatchObject({ type: 'result', ok: true, imported: 2, duplicates: 0, skipped: 1 });
    if (result.type !== 'result' || !result.ok) throw new Error('unexpected');
    expect(result.errors).toEqual([{ file: parent.file, prompt: PARENT_PROMPT, error: expect.stringMatching(/damaged|CRC/) }]);

    const rows = await target.db().task.findMany({ orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => r.prompt)).toEqual([PARENT_PROMPT, ODD_PROMPT]);
    // Its parent did not make it, so the child has no parent here.
    expect(rows[0]).toMatchObject({ origin: 'new-seed', parentId: null });
  });
});
