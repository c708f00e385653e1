import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '@/lib/simulator/server';
import { generateCompleted, startIntegration, stopIntegration } from '../support/integration';

/**
 * A damaged stored file must never be served under the original's ETag (which
 * browsers and proxies keep for a year as immutable): it is repaired from the
 * provider first, or the picture is reported lost — exactly as for a missing
 * file. And with a password set, pictures are `private` to every cache.
 */
const KEY = 'integrity-key-0123456789';
let sim: RunningSimulator;
let dataDir: string;
let route: typeof import('@/app/api/images/[id]/route');
let db: typeof import('@/lib/db/client').db;

beforeAll(async () => {
  ({ sim, dataDir } = await startIntegration('integrity', {
    key: KEY,
    sim: { inProgressAfterMs: 30, completeAfterMs: 150 },
    env: { APP_PASSWORD: 'integrity-password' },
  }));
  route = await import('@/app/api/images/[id]/route');
  db = (await import('@/lib/db/client')).db;
});
afterAll(async () => {
  delete process.env.APP_PASSWORD;
  await stopIntegration(sim);
});

const generate = generateCompleted;

const get = (id: string, query = '') =>
  route.GET(new Request(`http://127.0.0.1/api/images/${id}${query}`), { params: Promise.resolve({ id }) });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const etagOf = (response: Response) => response.headers.get('etag')?.replace(/"/g, '');
const pictureOf = async (taskId: string) =>
  (await db().image.findUnique({ where: { taskId }, include: { thumbnails: { orderBy: { width: 'asc' } } } }))!;

/** Flips one byte in the middle of a stored file, keeping its size. */
function flipOneByte(relative: string) {
  const file = path.join(dataDir, relative);
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(file, bytes);
}

describe('integrity of stored pictures on serve', () => {
  it('repairs a damaged original from the provider before serving it, on the first request', async () => {
    const task = await generate('integrity original repaired', '1024:1024', 3);
    const picture = await pictureOf(task.id);
    expect((await get(task.id)).status).toBe(200); // served once while intact (a verdict cached here must not hide the damage)
    flipOneByte(picture.path);

    const response = await get(task.id);
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(etagOf(response)).toBe(picture.sha256);
    expect(sha(body)).toBe(picture.sha256);
    expect(sha(readFileSync(path.join(dataDir, picture.path)))).toBe(picture.sha256);
    expect((await pictureOf(task.id)).lostAt).toBeNull();
  });

  it('reports a damaged original as lost when the provider no longer has it, never serving the damaged bytes', async () => {
    const task = await generate('integrity original lost', '1024:1024', 4);
    const picture = await pictureOf(task.id);
    sim.reset(); // the provider forgets every task; its signed links stop working
    flipOneByte(picture.path);

    for (const query of ['', '?download=1']) {
      const response = await get(task.id, query);
      expect(response.status, query).toBe(410);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(etagOf(response)).toBeUndefined();
    }
    expect((await pictureOf(task.id)).lostAt).not.toBeNull();
  });

  it('renders a damaged thumbnail again instead of serving it', async () => {
    const task = await generate('integrity thumbnail', '1920:1080', 5);
    const [thumb] = (await pictureOf(task.id)).thumbnails;
    flipOneByte(thumb.path);

    const response = await get(task.id, '?w=320');
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(sha(body)).toBe(etagOf(response));
    const [after] = (await pictureOf(task.id)).thumbnails;
    expect(sha(readFileSync(path.join(dataDir, after.path)))).toBe(after.sha256);
  });

  it('marks pictures private (still immutable for a year) while the password gate is on', async () => {
    const task = await generate('integrity private', '1920:1080', 6);
    for (const query of ['', '?w=320', '?download=1']) {
      const response = await get(task.id, query);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control'), query).toBe('private, max-age=31536000, immutable');
    }
  });
});
