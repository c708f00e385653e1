import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sniffImageType, verifyImage, ImageVerificationError } from '@/lib/images/verify';

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } }).png().toBuffer();

describe('image verification', () => {
  it('accepts a real PNG of the requested ratio', async () => {
    const verified = await verifyImage(await png(192, 108), '1920:1080');
    expect(verified).toMatchObject({ mime: 'image/png', ext: 'png', width: 192, height: 108 });
  });

  it('detects JPEG and WebP from bytes', async () => {
    const jpeg = await sharp(await png(72, 72)).jpeg().toBuffer();
    const webp = await sharp(await png(72, 72)).webp().toBuffer();
    expect(sniffImageType(jpeg)?.mime).toBe('image/jpeg');
    expect(sniffImageType(webp)?.mime).toBe('image/webp');
  });

  it('rejects a non-image, even one that claims to be a PNG by name', async () => {
    const html = Buffer.from('<html><body>Access denied</body></html>');
    await expect(verifyImage(html, '1024:1024')).rejects.toThrow(ImageVerificationError);
    await expect(verifyImage(html, '1024:1024')).rejects.toThrow(/not a PNG, JPEG or WebP/);
  });

  it('rejects a truncated PNG that only has a valid header', async () => {
    const full = await png(400, 400);
    await expect(verifyImage(full.subarray(0, Math.floor(full.length / 2)), '1024:1024')).rejects.toThrow(/damaged/);
  });

  it('rejects a picture whose shape does not match the ratio', async () => {
    await expect(verifyImage(await png(100, 100), '1920:1080')).rejects.toThrow(/does not match the ratio 1920:1080/);
  });
});
