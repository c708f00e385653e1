import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { RunningSimulator } from '@/lib/simulator/server';
import { isTextChunk, removeChunks } from '@/lib/images/png-chunks';
import { generateCompleted, startIntegration, stopIntegration } from '../support/integration';

// Stored pictures end to end: the follower ingests from the in-process
// simulator, the route handler serves and repairs, the doctor audits.
const KEY = 'images-key-0123456789';
let sim: RunningSimulator;
let dataDir: string;
let repo: typeof import('@/lib/tasks/repository');
let route: typeof import('@/app/api/images/[id]/route');
let doctor: typeof import('@/lib/images/doctor');
let db: typeof import('@/lib/db/client').db;

beforeAll(async () => {
  ({ sim, dataDir } = await startIntegration('images', { key: KEY, sim: { inProgressAfterMs: 30, completeAfterMs: 150 } }));
  repo = await import('@/lib/tasks/repository');
  route = await import('@/app/api/images/[id]/route');
  doctor = await import('@/lib/images/doctor');
  db = (await import('@/lib/db/client')).db;
});

afterAll(() => stopIntegration(sim));

const generate = generateCompleted;

function get(id: string, query = '', headers: Record<string, string> = {}) {
  return route.GET(new Request(`http://x/api/images/${id}${query}`, { headers }), { params: Promise.resolve({ id }) });
}

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const file = (relative: string) => path.join(dataDir, relative);
const pictureOf = async (taskId: string) =>
  (await db().image.findUnique({ where: { taskId }, include: { thumbnails: { orderBy: { width: 'asc' } }, task: true } }))!;

/** The picture exactly as the provider hands it out (fresh signed URL). */
async function upstreamBytes(providerTaskId: string): Promise<Buffer> {
  const res = await fetch(`${sim.url}/v1/ai/text-to-image/runway/${providerTaskId}`, { headers: { 'x-freepik-api-key': KEY } });
  const { data } = (await res.json()) as { data: { generated: string[] } };
  return Buffer.from(await (await fetch(data.generated[0])).arrayBuffer());
}

describe('stored pictures', () => {
  let wide: Awaited<ReturnType<typeof generate>>;

  beforeAll(async () => {
    wide = await generate('harbour at dusk', '1920:1080', 11);
  });

  it('keeps WebP thumbnails at the grid widths and a placeholder, and exposes them in the view', async () => {
    const picture = await pictureOf(wide.id);
    expect(picture.thumbnails.map((t) => [t.width, t.height])).toEqual([
      [320, 180],
      [640, 360],
      [1280, 720],
    ]);
    for (const t of picture.thumbnails) expect(sha(readFileSync(file(t.path)))).toBe(t.sha256);
    expect(picture.sourceUrl).toContain(sim.url);

    expect(wide.image).toMatchObject({ width: 1920, height: 1080, lost: false });
    expect(wide.image!.placeholder).toMatch(/^data:image\/webp;base64,/);
    const candidates = wide.image!.srcSet.split(', ');
    expect(candidates).toHaveLength(4);
    expect(candidates[0]).toBe(`/api/images/${wide.id}?w=320&v=${picture.thumbnails[0].sha256.slice(0, 16)} 320w`);
    expect(candidates[3]).toBe(`${wide.image!.url} 1920w`);
  });

  it('serves the original byte-for-byte, immutable, with its sha256 as ETag and 304 on a match', async () => {
    const picture = await pictureOf(wide.id);
    const response = await get(wide.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toBe(`"${picture.sha256}"`);
    const served = await bytesOf(response);
    expect(served.equals(await upstreamBytes(picture.task.providerTaskId!))).toBe(true);

    const download = await get(wide.id, '?download=1&w=320');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="harbour-at-dusk-seed-11.png"');
    // The download is the original plus its recipe chunks (tests/integration/download-recipe.test.ts), thumbnail or not.
    expect(download.headers.get('etag')).toBe(`"${picture.sha256}-recipe1"`);
    const withoutRecipe = removeChunks(await bytesOf(download), (chunk) => isTextChunk(chunk));
    expect(Buffer.from(withoutRecipe).equals(served)).toBe(true);

    const again = await get(wide.id, '', { 'if-none-match': `"${picture.sha256}"` });
    expect(again.status).toBe(304);
  });

  it('serves the nearest thumbnail at least as wide as asked, each with its own ETag', async () => {
    const picture = await pictureOf(wide.id);
    const [t320, t640] = picture.thumbnails;
    const small = await get(wide.id, '?w=320');
    expect(small.status).toBe(200);
    expect(small.headers.get('content-type')).toBe('image/webp');
    expect(small.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(small.headers.get('etag')).toBe(`"${t320.sha256}"`);
    expect(sha(await bytesOf(small))).toBe(t320.sha256);

    expect((await get(wide.id, '?w=500')).headers.get('etag')).toBe(`"${t640.sha256}"`);
    expect((await get(wide.id, '?w=4000')).headers.get('etag')).toBe(`"${picture.sha256}"`);
    expect((await get(wide.id, '?w=320', { 'if-none-match': `W/"x", "${t320.sha256}"` })).status).toBe(304);
    expect((await get(wide.id, '?w=wide')).status).toBe(400);
    expect((await get('no-such-task')).status).toBe(404);
  });

  it('repairs a missing original (and its thumbnails) with a fresh provider URL', async () => {
    const picture = await pictureOf(wide.id);
    // No stored URL to fall back on: the fresh one from the provider must do.
    await db().image.update({ where: { id: picture.id }, data: { sourceUrl: null } });
    rmSync(file(picture.path));
    for (const t of picture.thumbnails) rmSync(file(t.path));
    const statusCalls = sim.log.statusCalls.length;

    const response = await get(wide.id);
    expect(response.status).toBe(200);
    expect(sha(await bytesOf(response))).toBe(picture.sha256);
    expect(sha(readFileSync(file(picture.path)))).toBe(picture.sha256);
    expect(sim.log.statusCalls.length).toBeGreaterThan(statusCalls);

    const after = await pictureOf(wide.id);
    expect(after.lostAt).toBeNull();
    expect(after.sourceUrl).toContain(sim.url);
    expect(after.thumbnails).toHaveLength(3);
    for (const t of after.thumbnails) expect(sha(readFileSync(file(t.path)))).toBe(t.sha256);
  });

  it('detects an overwritten original and puts the real bytes back', async () => {
    const picture = await pictureOf(wide.id);
    writeFileSync(file(picture.path), 'not a picture any more');
    const response = await get(wide.id);
    expect(response.status).toBe(200);
    expect(sha(await bytesOf(response))).toBe(picture.sha256);
    expect(sha(readFileSync(file(picture.path)))).toBe(picture.sha256);
  });

  it('renders a missing thumbnail again from the original', async () => {
    const [t320] = (await pictureOf(wide.id)).thumbnails;
    rmSync(file(t320.path));
    const response = await get(wide.id, '?w=320');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    const [fresh] = (await pictureOf(wide.id)).thumbnails;
    expect(existsSync(file(fresh.path))).toBe(true);
    expect(sha(await bytesOf(response))).toBe(fresh.sha256);
  });

  it('the doctor finds damage the quick serve check cannot, and repairs it', async () => {
    const picture = await pictureOf(wide.id);
    // Same length, different bytes: only a full hash notices.
    const flipped = Buffer.from(readFileSync(file(picture.path)));
    flipped[flipped.length - 100] ^= 0xff;
    writeFileSync(file(picture.path), flipped);
    rmSync(file(picture.thumbnails[1].path));
    const thumbBytes = readFileSync(file(picture.thumbnails[2].path));
    writeFileSync(file(picture.thumbnails[2].path), Buffer.alloc(thumbBytes.length));

    const found = await doctor.runDoctor({ repair: false });
    expect(found.originals).toEqual({ ok: 0, missing: 0, corrupt: 1, repaired: 0, lost: 0 });
    expect(found.thumbnails).toEqual({ ok: 1, missing: 1, corrupt: 1, repaired: 0, lost: 0 });
    expect(found.problems).toEqual([{ taskId: wide.id, prompt: 'harbour at dusk', found: 'corrupt', outcome: 'corrupt' }]);
    expect(found.healthy).toBe(false);
    expect(readFileSync(file(picture.path)).equals(flipped)).toBe(true); // report only: nothing touched

    const fixed = await doctor.runDoctor({ repair: true });
    expect(fixed.originals).toEqual({ ok: 0, missing: 0, corrupt: 0, repaired: 1, lost: 0 });
    expect(fixed.thumbnails).toEqual({ ok: 1, missing: 0, corrupt: 0, repaired: 2, lost: 0 });
    expect(fixed.healthy).toBe(true);
    expect(sha(readFileSync(file(picture.path)))).toBe(picture.sha256);

    const clean = await doctor.runDoctor({ repair: false });
    expect(clean).toMatchObject({ healthy: true, problems: [], originals: { ok: 1 }, thumbnails: { ok: 3 } });
  });

  it('marks a picture lost when its link expired and the provider forgot the task', async () => {
    // Short-lived links for this picture only, so the stored one can expire during the test.
    sim.configure({ imageUrlTtlMs: 2_000 });
    const doomed = await generate('vanishing lighthouse', '720:720', 5);
    sim.configure({ imageUrlTtlMs: 10 * 60 * 1000 });
    const picture = await pictureOf(doomed.id);
    const expiry = Number(/exp=(\d+)/.exec(picture.sourceUrl!)![1]) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now() + 50)));
    expect((await fetch(picture.sourceUrl!)).status).toBe(403);

    sim.reset(); // the provider no longer knows any task
    rmSync(file(picture.path));
    const response = await get(doomed.id);
    expect(response.status).toBe(410);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await pictureOf(doomed.id)).lostAt).toBeInstanceOf(Date);
    expect((await repo.findTask(doomed.id))?.image?.lost).toBe(true);

    // Once lost, serving does not ask the provider again on every request.
    const calls = sim.log.statusCalls.length;
    expect((await get(doomed.id)).status).toBe(410);
    expect(sim.log.statusCalls.length).toBe(calls);

    const report = await doctor.runDoctor({ repair: true });
    expect(report.originals).toMatchObject({ ok: 1, lost: 1 });
    expect(report.problems).toEqual([{ taskId: doomed.id, prompt: 'vanishing lighthouse', found: 'missing', outcome: 'lost' }]);
    expect(report.healthy).toBe(false);
    // Its thumbnails survived, so they still count as fine.
    expect(report.thumbnails).toMatchObject({ ok: 5, lost: 0 });
  });
  it('still serves a picture after the provider link expired (it is ours)', async () => {
    sim.configure({ imageUrlTtlMs: 2_000 });
    const task = await generate('expiring link lantern', '720:720', 3);
    sim.configure({ imageUrlTtlMs: 10 * 60 * 1000 });
    const picture = await pictureOf(task.id);
    const expiry = Number(/exp=(\d+)/.exec(picture.sourceUrl!)![1]) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now() + 50)));
    expect((await fetch(picture.sourceUrl!)).status).toBe(403); // the provider's link is dead
    const response = await get(task.id);
    expect(response.status).toBe(200);
    expect(sha(await bytesOf(response))).toBe(picture.sha256);
  });
});
