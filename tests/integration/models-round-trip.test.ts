import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@/lib/simulator/server';
import type { Manifest } from '@/lib/archive/manifest';
import { MODEL_LIST } from '@/lib/freepik/models';
import { openZip } from '@/lib/archive/zip-reader';
import { setupDatabase } from '../support/test-db';

/**
 * Every model end to end against the simulator (issue #13): the real follower sends each task's stored body to
 * its model's endpoint, collects the picture (checked by shape for named ratios) and completes it; Reproduce
 * sends the same body; and an export of pictures from other models imports back into a fresh instance with
 * the same model, body, seed and size.
 */
const KEY = 'models-key-0123456789';
const ORIGIN = 'http://localhost:3000';
let sim: RunningSimulator;
let dataDir: string;

async function waitFor(id: string) {
  const repo = await import('@/lib/tasks/repository');
  for (const deadline = Date.now() + 30_000; ;) {
    const task = await repo.findTask(id);
    if (task?.status === 'COMPLETED') return task;
    if (task?.status === 'FAILED' || task?.status === 'UNSAVED' || Date.now() > deadline) {
      throw new Error(`task ${id} ended ${task?.status}: ${task?.statusDetail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function generate(input: Record<string, unknown>) {
  const service = await import('@/lib/tasks/service');
  const result = await service.requestGeneration(input);
  if (!result.ok) throw new Error(`${result.error} ${JSON.stringify(result.fieldErrors)}`);
  return Promise.all(result.tasks.map((t) => waitFor(t.id)));
}

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, inProgressAfterMs: 30, completeAfterMs: 150 });
  process.env.FREEPIK_API_KEY = KEY;
  process.env.FREEPIK_API_BASE_URL = sim.url;
  ({ dataDir } = await setupDatabase('models'));
}, 30_000);

afterAll(async () => {
  (await import('@/lib/tasks/follower-instance')).follower().stop();
  await sim.close();
});

describe('every model through the follower and the simulator', () => {
  it('makes, stores and serves a picture with each model; the body sent is the one stored', async () => {
    for (const spec of MODEL_LIST) {
      const size = spec.sizes.find((s) => s.label === '3:4' || s.id === '1080:1440')!;
      const [task] = await generate({ model: spec.id, prompt: `a ${spec.id} lighthouse`, ratio: size.id });
      expect(task.model).toBe(spec.id);
      expect(task.image).not.toBeNull();
      // The picture has the shape asked for (the simulator paints named ratios at their nominal size).
      expect(task.image!.width / task.image!.height).toBeCloseTo(size.width / size.height, 2);
      const sent = sim.log.creates.filter((c) => c.model === spec.id && c.status === 200).at(-1)!;
      expect(sent.body).toEqual(task.params);
    }
  }, 120_000);

  it('Reproduce sends the very same body again (settings included) and makes the same picture', async () => {
    const [first] = await generate({
      model: 'hyperflux',
      prompt: 'a kite',
      ratio: 'portrait_2_3',
      seed: '99',
      settings: { effect_framing: 'aerial' },
    });
    const service = await import('@/lib/tasks/service');
    const again = await service.regenerate(first.id, 'reproduce');
    if (!again.ok) throw new Error(again.error);
    const second = await waitFor(again.task.id);
    expect(second.params).toEqual(first.params);
    expect(second.params).toMatchObject({ seed: 99, styling: { effects: { framing: 'aerial' } } });
    const db = (await import('@/lib/db/client')).db();
    const shas = await db.image.findMany({ where: { taskId: { in: [first.id, second.id] } }, select: { sha256: true } });
    expect(new Set(shas.map((s) => s.sha256)).size).toBe(1);
  });

  it('New seed on a seedless model sends the same body (a new picture, by the model’s nature)', async () => {
    const [first] = await generate({ model: 'imagen3', prompt: 'an owl', ratio: 'classic_4_3' });
    const service = await import('@/lib/tasks/service');
    const again = await service.regenerate(first.id, 'new-seed');
    if (!again.ok) throw new Error(again.error);
    const second = await waitFor(again.task.id);
    expect(second.seed).toBeNull();
    expect(second.params).toEqual(first.params);
  });

  it('exports pictures of other models and imports them into a fresh instance unchanged', async () => {
    await generate({
      model: 'mystic',
      prompt: 'a fixed castle',
      ratio: 'standard_3_2',
      settings: { fixed_generation: 'on', resolution: '1k' },
    });
    await generate({ model: 'flux-dev', prompt: 'a vivid parrot', ratio: 'classic_4_3', seed: '5', settings: { colors: '#ff0000 0.7' } });
    const exportRoute = await import('@/app/api/export/route');
    const response = await exportRoute.GET(new Request(`${ORIGIN}/api/export`));
    expect(response.status).toBe(200);
    const zip = Buffer.from(await response.arrayBuffer());
    const file = path.join(dataDir, `read-${randomUUID()}.zip`);
    writeFileSync(file, zip);
    const archive = await openZip(file);
    const manifest = JSON.parse(
      (await archive.read(archive.entries.find((e) => e.name === 'manifest.json')!)).toString('utf8'),
    ) as Manifest;
    await archive.close();
    rmSync(file);
    const firstOfEach = manifest.tasks.filter((t, i) => manifest.tasks.findIndex((u) => u.sha256 === t.sha256) === i);
    const exported = firstOfEach.map((t) => ({ model: t.model, params: t.params, seed: t.seed, ratio: t.ratio, prompt: t.prompt }));
    expect(exported.find((t) => t.model === 'flux-dev' && t.prompt === 'a vivid parrot')).toMatchObject({
      seed: 5,
      params: { styling: { colors: [{ color: '#FF0000', weight: 0.7 }] } },
    });
    expect(exported.find((t) => t.model === 'mystic')).toMatchObject({ seed: null, params: { fixed_generation: true, resolution: '1k' } });

    // A fresh instance (another database and data directory), as a second server would be.
    (await import('@/lib/tasks/follower-instance')).follower().stop();
    await (await import('@/lib/db/client')).db().$disconnect();
    delete (globalThis as { __darkroomDb?: unknown }).__darkroomDb;
    vi.resetModules();
    await setupDatabase('models-import');
    const importRoute = await import('@/app/api/import/route');
    const imported = await importRoute.POST(
      new Request(`${ORIGIN}/api/import`, {
        method: 'POST',
        body: new Uint8Array(zip),
        headers: { host: new URL(ORIGIN).host, origin: ORIGIN, 'content-type': 'application/zip', 'content-length': String(zip.length) },
      }),
    );
    expect(imported.status).toBe(200);
    // The Reproduce above made the very same bytes twice: an import adds each picture once (ADR 0009).
    expect(await imported.json()).toMatchObject({ ok: true, imported: manifest.tasks.length - 1, duplicates: 1, errors: [] });
    const db = (await import('@/lib/db/client')).db();
    const rows = await db.task.findMany();
    const back = rows.map((r) => ({
      model: r.model,
      params: JSON.parse(r.params!),
      seed: r.seed === null ? null : Number(r.seed),
      ratio: r.ratio,
      prompt: r.prompt,
    }));
    const key = (t: { prompt: string; params: unknown }) => `${t.prompt}${JSON.stringify(t.params)}`;
    expect([...back].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...exported].sort((a, b) => key(a).localeCompare(key(b))));
  }, 60_000);
});
