import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { paintImage } from '@/lib/simulator/paint';
import { sniffImageType } from '@/lib/images/verify';
import { imageSrcSet } from '@/lib/images/urls';
import { pickThumbnail } from '@/lib/images/serve';

// Stored files go under the data directory, which follows DATABASE_URL: set it before server modules read it.
const dataDir = mkdtempSync(path.join(tmpdir(), 'darkroom-thumbs-'));
process.env.DATABASE_URL = `file:${dataDir}/darkroom.db`;
let thumbs: typeof import('@/lib/images/thumbnails');

beforeAll(async () => {
  thumbs = await import('@/lib/images/thumbnails');
});

const wide = await paintImage({ prompt: 'thumbnail harbour', ratio: '1920:1080', seed: 4 });
const square = await paintImage({ prompt: 'thumbnail square', ratio: '720:720', seed: 4 });

describe('thumbnails', () => {
  it('makes the grid widths, never upscaling or repeating the original width', () => {
    expect(thumbs.thumbnailWidthsFor(1920)).toEqual([320, 640, 1280]);
    expect(thumbs.thumbnailWidthsFor(1280)).toEqual([320, 640]);
    expect(thumbs.thumbnailWidthsFor(720)).toEqual([320, 640]);
    expect(thumbs.thumbnailWidthsFor(300)).toEqual([]);
  });

  it('stores WebP renditions that keep the aspect ratio and are smaller than the original', async () => {
    const stored = await thumbs.createThumbnails(wide, 1920);
    expect(stored.map((t) => [t.width, t.height])).toEqual([
      [320, 180],
      [640, 360],
      [1280, 720],
    ]);
    for (const t of stored) {
      const bytes = readFileSync(path.join(dataDir, t.path));
      expect(sniffImageType(bytes)?.mime).toBe('image/webp');
      expect(bytes.length).toBe(t.bytes);
      expect(bytes.length).toBeLessThan(wide.length);
      expect(t.path).toBe(path.join('thumbs', t.sha256.slice(0, 2), `${t.sha256}.webp`));
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height]).toEqual([t.width, t.height]);
    }
  });

  it('makes only the widths below a small original', async () => {
    const stored = await thumbs.createThumbnails(square, 720);
    expect(stored.map((t) => [t.width, t.height])).toEqual([
      [320, 320],
      [640, 640],
    ]);
  });

  it('makes a tiny WebP placeholder as a data URL under 1 KB', async () => {
    const placeholder = await thumbs.renderPlaceholder(wide);
    expect(placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
    expect(placeholder.length).toBeLessThan(1024);
    const bytes = Buffer.from(placeholder.split(',')[1], 'base64');
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 16, 9]);
  });

  it("refuses to decode more pixels than any model's picture has (a second wall against decompression bombs)", async () => {
    // 5000×5000 grey zeros: a small file, 25 M pixels — above Mystic's 4k tier plus headroom, cheap to make here.
    const bomb = await sharp(Buffer.alloc(5000 * 5000), { raw: { width: 5000, height: 5000, channels: 1 } })
      .png()
      .toBuffer();
    await expect(thumbs.renderThumbnail(bomb, 320)).rejects.toThrow(/pixel limit/);
    await expect(thumbs.renderPlaceholder(bomb)).rejects.toThrow(/pixel limit/);
    await expect(thumbs.createThumbnails(bomb, 5000)).rejects.toThrow(/pixel limit/);
    expect(5000 * 5000).toBeGreaterThan((await import('@/lib/images/verify')).MAX_MODEL_PIXELS);
    // The largest RunWay size still renders.
    expect((await thumbs.renderThumbnail(wide, 320)).width).toBe(320);
  });
});

describe('srcset and width choice', () => {
  const image = { width: 1920, sha256: 'a'.repeat(64) };
  const renditions = [
    { width: 1280, sha256: 'd'.repeat(64) },
    { width: 320, sha256: 'b'.repeat(64) },
    { width: 640, sha256: 'c'.repeat(64) },
  ];

  it('lists thumbnails narrowest first, then the original at its real width', () => {
    expect(imageSrcSet('t1', image, renditions)).toBe(
      [
        `/api/images/t1?w=320&v=${'b'.repeat(16)} 320w`,
        `/api/images/t1?w=640&v=${'c'.repeat(16)} 640w`,
        `/api/images/t1?w=1280&v=${'d'.repeat(16)} 1280w`,
        `/api/images/t1?v=${'a'.repeat(16)} 1920w`,
      ].join(', '),
    );
    expect(imageSrcSet('t1', image, [])).toBe(`/api/images/t1?v=${'a'.repeat(16)} 1920w`);
  });

  it('serves the nearest stored width at least as wide as asked, else the original', () => {
    expect(pickThumbnail(renditions, 1)?.width).toBe(320);
    expect(pickThumbnail(renditions, 320)?.width).toBe(320);
    expect(pickThumbnail(renditions, 321)?.width).toBe(640);
    expect(pickThumbnail(renditions, 1000)?.width).toBe(1280);
    expect(pickThumbnail(renditions, 1281)).toBeNull();
  });
});
