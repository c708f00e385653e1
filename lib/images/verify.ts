import sharp from 'sharp';
import { ratioSize, type Ratio } from '../generation/schema';

export type ImageType = { mime: 'image/png' | 'image/jpeg' | 'image/webp'; ext: 'png' | 'jpg' | 'webp' };
export type VerifiedImage = ImageType & { width: number; height: number };

export class ImageVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageVerificationError';
  }
}

/** Type from the leading bytes, never from a URL or a Content-Type header. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return { mime: 'image/png', ext: 'png' };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { mime: 'image/webp', ext: 'webp' };
  return undefined;
}

/**
 * Accepts a picture only if its bytes are a known image type, it decodes fully
 * (a truncated download fails here), and its shape matches the requested ratio.
 * Exact pixel size is expected from RunWay; 1% tolerance guards against a
 * provider that rounds dimensions.
 */
export async function verifyImage(bytes: Buffer, ratio: Ratio): Promise<VerifiedImage> {
  const type = sniffImageType(bytes);
  if (!type) throw new ImageVerificationError('The downloaded file is not a PNG, JPEG or WebP image.');

  let width: number;
  let height: number;
  try {
    // Decoding every pixel (not just reading the header) catches truncated files.
    const { info } = await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true });
    width = info.width;
    height = info.height;
  } catch {
    throw new ImageVerificationError('The downloaded image is damaged and cannot be decoded.');
  }

  const expected = ratioSize(ratio);
  const wanted = expected.width / expected.height;
  if (Math.abs(width / height - wanted) / wanted > 0.01) {
    throw new ImageVerificationError(
      `The downloaded image is ${width}×${height}, which does not match the ratio ${ratio}.`,
    );
  }
  return { ...type, width, height };
}
