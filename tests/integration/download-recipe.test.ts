import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import type { RunningSimulator } from '@/lib/simulator/server';
import { removeChunks, isTextChunk, readChunks, textChunkKeyword } from '@/lib/images/png-chunks';
import { parseRecipe } from '@/lib/images/recipe';
import { generateCompleted, startIntegration, stopIntegration } from '../support/integration';

/**
 * A downloaded original carries its recipe (issue #12): `darkroom` iTXt JSON
 * and AUTOMATIC1111 `parameters`, added on the way out. The stored file, its
 * sha256 and the inline original stay exactly as they were.
 */
const KEY = 'recipe-key-0123456789';
let sim: RunningSimulator;
let dataDir: string;
let route: typeof import('@/app/api/images/[id]/route');
let db: typeof import('@/lib/db/client').db;

beforeAll(async () => {
  ({ sim, dataDir } = await startIntegration('recipe', { key: KEY, sim: { inProgressAfterMs: 30, completeAfterMs: 150 } }));
  route = await import('@/app/api/images/[id]/route');
  db = (await import('@/lib/db/client')).db;
});
afterAll(() => stopIntegration(sim));

const get = (id: string, query = '', headers: Record<string, string> = {}) =>
  route.GET(new Request(`http://127.0.0.1/api/images/${id}${query}`, { headers }), { params: Promise.resolve({ id }) });
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pictureOf = async (taskId: string) => (await db().image.findUnique({ where: { taskId } }))!;
const stored = (relative: string) => readFileSync(path.join(dataDir, relative));

describe('the downloaded original carries its recipe', () => {
  let task: Awaited<ReturnType<typeof generateCompleted>>;
  beforeAll(async () => {
    task = await generateCompleted('a glasshouse at night, “ferns” & fog', '1360:768', 987654321);
  });

  it('adds darkroom and parameters chunks after IHDR; the picture still decodes at the same size', async () => {
    const picture = await pictureOf(task.id);
    const response = await get(task.id, '?download=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="a-glasshouse-at-night-ferns-fog-seed-987654321\.png"$/,
    );
    const body = await bytesOf(response);
    expect(response.headers.get('content-length')).toBe(String(body.length));
    expect(body.length).toBeGreaterThan(picture.bytes);

    const meta = await sharp(body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1360, 768]);
    // Decoding every pixel works too, and gives the stored picture's pixels.
    const [sent, original] = await Promise.all([sharp(body).raw().toBuffer(), sharp(stored(picture.path)).raw().toBuffer()]);
    expect(sent.equals(original)).toBe(true);

    const chunks = readChunks(body);
    // Curly quotes are not ASCII, so `parameters` is iTXt too (see the last test).
    expect(chunks.slice(0, 3).map((c) => c.type)).toEqual(['IHDR', 'iTXt', 'iTXt']);
    expect(chunks.slice(1, 3).map(textChunkKeyword)).toEqual(['darkroom', 'parameters']);
    expect(chunks.findIndex((c) => c.type === 'IDAT')).toBeGreaterThan(2);

    expect(parseRecipe(body)).toEqual({
      ok: true,
      recipe: { prompt: 'a glasshouse at night, “ferns” & fog', ratio: '1360:768', seed: 987654321 },
      source: 'darkroom',
    });
    // Without the two chunks it is the stored file, byte for byte.
    const stripped = removeChunks(body, (c) => isTextChunk(c) && ['darkroom', 'parameters'].includes(textChunkKeyword(c)));
    expect(sha(stripped)).toBe(picture.sha256);
  });

  it('is read by an independent reader (libspng through sharp) as PNG text', async () => {
    const body = await bytesOf(await get(task.id, '?download=1'));
    const { comments } = await sharp(body).metadata();
    const darkroom = comments?.find((c) => c.keyword === 'darkroom');
    expect(JSON.parse(darkroom!.text)).toEqual({
      prompt: task.prompt,
      ratio: '1360:768',
      seed: 987654321,
      model: 'RunWay',
      taskId: task.id,
      createdAt: task.createdAt,
    });
    expect(comments).toContainEqual({ keyword: 'parameters', text: `${task.prompt}\nSeed: 987654321, Size: 1360x768, Model: RunWay` });
  });

  it('leaves the stored file, its sha256 and the inline original untouched', async () => {
    const picture = await pictureOf(task.id);
    await get(task.id, '?download=1');
    expect(sha(stored(picture.path))).toBe(picture.sha256);
    const inline = await get(task.id);
    expect(inline.headers.get('etag')).toBe(`"${picture.sha256}"`);
    expect(inline.headers.get('content-disposition')).toBeNull();
    const body = await bytesOf(inline);
    expect(body.equals(stored(picture.path))).toBe(true);
    expect(readChunks(body).some((c) => isTextChunk(c))).toBe(false);
    // Thumbnails are WebP renditions as before, without a recipe.
    const thumb = await get(task.id, '?w=320');
    expect(thumb.headers.get('content-type')).toBe('image/webp');
  });

  it('has its own strong ETag, answers 304 to it, and keeps the cache rules', async () => {
    const picture = await pictureOf(task.id);
    const response = await get(task.id, '?download=1');
    const tag = `"${picture.sha256}-recipe1"`;
    expect(response.headers.get('etag')).toBe(tag);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // The same bytes every time, so the tag is honest.
    expect(sha(await bytesOf(response))).toBe(sha(await bytesOf(await get(task.id, '?download=1'))));

    const again = await get(task.id, '?download=1', { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(tag);
    // The inline original's tag does not validate the download, nor the other way round.
    expect((await get(task.id, '?download=1', { 'if-none-match': `"${picture.sha256}"` })).status).toBe(200);
    expect((await get(task.id, '', { 'if-none-match': tag })).status).toBe(200);
  });

  it('passes other image types through unchanged, under the original’s ETag', async () => {
    const { storeOriginal } = await import('@/lib/images/picture-store');
    const jpegTask = await generateCompleted('a jpeg imported from elsewhere', '1280:720', 77);
    const jpeg = await sharp(stored((await pictureOf(jpegTask.id)).path))
      .jpeg()
      .toBuffer();
    // As an import of a JPEG would leave it: the Image row names a stored .jpg.
    const saved = await storeOriginal(jpeg, 'jpg');
    await db().image.update({
      where: { taskId: jpegTask.id },
      data: { path: saved.path, sha256: saved.sha256, bytes: jpeg.length, mimeType: 'image/jpeg' },
    });

    const response = await get(jpegTask.id, '?download=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('etag')).toBe(`"${saved.sha256}"`);
    expect(response.headers.get('content-disposition')).toMatch(/seed-77\.jpg"$/);
    expect((await bytesOf(response)).equals(jpeg)).toBe(true);
  });

  it('writes parameters as tEXt when the prompt is ASCII, else as iTXt, and both read right', async () => {
    const ascii = await generateCompleted('tin plate, plain ASCII', '720:720', 5);
    const latin = await generateCompleted('crème brûlée on a tin plate', '960:720', 6);
    const expected = [
      [ascii, 'tEXt', 'tin plate, plain ASCII\nSeed: 5, Size: 720x720, Model: RunWay'],
      // tEXt would be Latin-1, which libvips (this very reader) decodes as UTF-8: "cr�me". iTXt is UTF-8 for everyone.
      [latin, 'iTXt', 'crème brûlée on a tin plate\nSeed: 6, Size: 960x720, Model: RunWay'],
    ] as const;
    for (const [picture, type, text] of expected) {
      const body = await bytesOf(await get(picture.id, '?download=1'));
      const parameters = readChunks(body).find((c) => isTextChunk(c) && textChunkKeyword(c) === 'parameters');
      expect(parameters?.type).toBe(type);
      expect((await sharp(body).metadata()).comments).toContainEqual({ keyword: 'parameters', text });
      expect(parseRecipe(body)).toMatchObject({ ok: true, recipe: { prompt: picture.prompt, ratio: picture.ratio, seed: picture.seed } });
    }
  });
});
