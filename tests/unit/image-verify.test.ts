import { pngFile } from '../support/png-file';
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { sniffImageType, verifyImage, ImageVerificationError, MAX_INPUT_PIXELS } from '@/lib/images/verify';

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } })
    .png()
    .toBuffer();

/**
 * A PNG that is all header: a valid IHDR claiming width×height and an IDAT with
 * a few rows of zeros only. Reading the header works; decoding it fails
 * (truncated) — so an answer other than "damaged" proves the header was judged
 * before any decode.
 */
function headerOnlyPng(width: number, height: number): Buffer {
  return pngFile(width, height, deflateSync(Buffer.alloc((width + 1) * 2)));
}

describe('image verification', () => {
  it('accepts a real PNG of exactly the requested size', async () => {
    const verified = await verifyImage(await png(1920, 1080), '1920:1080');
    expect(verified).toMatchObject({ mime: 'image/png', ext: 'png', width: 1920, height: 1080 });
    expect(await verifyImage(await png(720, 960), '720:960', 'upload')).toMatchObject({ width: 720, height: 960 });
  });

  it('detects JPEG and WebP from bytes', async () => {
    const jpeg = await sharp(await png(72, 72))
      .jpeg()
      .toBuffer();
    const webp = await sharp(await png(72, 72))
      .webp()
      .toBuffer();
    expect(sniffImageType(jpeg)?.mime).toBe('image/jpeg');
    expect(sniffImageType(webp)?.mime).toBe('image/webp');
  });

  it('rejects a non-image, even one that claims to be a PNG by name', async () => {
    const html = Buffer.from('<html><body>Access denied</body></html>');
    await expect(verifyImage(html, '1024:1024')).rejects.toThrow(ImageVerificationError);
    await expect(verifyImage(html, '1024:1024')).rejects.toThrow(/not a PNG, JPEG or WebP/);
  });

  it('rejects a truncated PNG that only has a valid header', async () => {
    const full = await png(1024, 1024);
    await expect(verifyImage(full.subarray(0, Math.floor(full.length / 2)), '1024:1024')).rejects.toThrow(/damaged/);
    await expect(verifyImage(headerOnlyPng(1024, 1024), '1024:1024', 'upload')).rejects.toThrow(/damaged/);
  });

  it('rejects a picture whose shape does not match the ratio', async () => {
    await expect(verifyImage(await png(100, 100), '1920:1080')).rejects.toThrow(/does not match the ratio 1920:1080/);
  });

  it('names the source: "downloaded" for the provider’s pictures, "uploaded" for imports', async () => {
    const html = Buffer.from('<html><body>Access denied</body></html>');
    await expect(verifyImage(html, '1024:1024')).rejects.toThrow('The downloaded file is not a PNG, JPEG or WebP image.');
    await expect(verifyImage(html, '1024:1024', 'download')).rejects.toThrow(/^The downloaded file/);
    await expect(verifyImage(html, '1024:1024', 'upload')).rejects.toThrow('The uploaded file is not a PNG, JPEG or WebP image.');

    const truncated = (await png(1024, 1024)).subarray(0, 2000);
    await expect(verifyImage(truncated, '1024:1024', 'upload')).rejects.toThrow('The uploaded image is damaged and cannot be decoded.');
    await expect(verifyImage(truncated, '1024:1024')).rejects.toThrow('The downloaded image is damaged and cannot be decoded.');
    await expect(verifyImage(await png(512, 512), '1024:1024', 'upload')).rejects.toThrow(/^The uploaded image is 512×512 pixels/);
  });

  describe('header check before any decode', () => {
    it('refuses a header claiming more pixels than any RunWay picture as too large, never "damaged"', async () => {
      // Decoding these would fail (their pixel data is a few rows long), so "too large" comes from the header alone.
      for (const source of ['upload', 'download'] as const) {
        await expect(verifyImage(headerOnlyPng(16000, 16000), '1024:1024', source)).rejects.toThrow(
          /image is too large: 16000×16000 pixels; a 1024:1024 picture is 1024×1024\./,
        );
        await expect(verifyImage(headerOnlyPng(50000, 50000), '1920:1080', source)).rejects.toThrow(/too large: 50000×50000 pixels/);
      }
      expect(MAX_INPUT_PIXELS).toBeGreaterThanOrEqual(1940 * 1091); // 1920×1080 plus the download tolerance
      expect(MAX_INPUT_PIXELS).toBeLessThan(4_000_000);
    });

    it('refuses an upload that is not exactly its ratio’s size, from the header', async () => {
      // Same shape as 1024:1024 — accepted by a ratio check alone — but not RunWay's size.
      await expect(verifyImage(headerOnlyPng(1000, 1000), '1024:1024', 'upload')).rejects.toThrow(
        'The uploaded image is 1000×1000 pixels, which does not match the ratio 1024:1024: a 1024:1024 picture is 1024×1024.',
      );
      await expect(verifyImage(await png(1930, 1085), '1920:1080', 'upload')).rejects.toThrow(/does not match the ratio 1920:1080/);
    });

    it('lets a download be 1% off in each direction, not more', async () => {
      expect(await verifyImage(await png(1930, 1085), '1920:1080')).toMatchObject({ width: 1930, height: 1085 });
      // 1952×1098 has the very shape of 1920:1080 but is 1.7% too big each way.
      await expect(verifyImage(headerOnlyPng(1952, 1098), '1920:1080')).rejects.toThrow(
        'The downloaded image is 1952×1098 pixels, which does not match the ratio 1920:1080: a 1920:1080 picture is 1920×1080.',
      );
      await expect(verifyImage(headerOnlyPng(960, 540), '1920:1080')).rejects.toThrow(/960×540 pixels, which does not match/);
    });
  });
});
