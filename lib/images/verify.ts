import sharp from 'sharp';
import { RATIOS, ratioSize } from '../generation/schema';
import { SHAPE_TOLERANCE } from '../freepik/models/sizes';

export type ImageType = { mime: 'image/png' | 'image/jpeg' | 'image/webp'; ext: 'png' | 'jpg' | 'webp' };
export type VerifiedImage = ImageType & { width: number; height: number };

/**
 * Where the bytes came from, for the wording of a refusal and for how exact
 * the size must be: a picture downloaded from the provider may be off by 1%
 * (a provider that rounds), an uploaded one (import) must be exactly the size
 * of its ratio, as every RunWay picture is.
 */
export type ImageSource = 'download' | 'upload';

/**
 * The most pixels any sharp call in Darkroom decodes from an image it did not
 * make itself: the largest RunWay size (1920×1080 = 2,073,600 px; 2112×912 is
 * 1,926,144) plus 25% headroom — more than a 1% rounding by the provider
 * needs. Passed as sharp's `limitInputPixels`, so a decompression bomb (a
 * small file with huge dimensions) is refused before its pixels are
 * allocated even where the header check below is not in the way.
 */
export const MAX_INPUT_PIXELS = Math.ceil(Math.max(...RATIOS.map((ratio) => ratioSize(ratio).width * ratioSize(ratio).height)) * 1.25);

/**
 * The most pixels of a picture from a model whose sizes are not documented (named aspect ratios, checked by
 * shape only: lib/freepik/models): Mystic's 4k tier is about 4096×4096, plus 25% headroom. Thumbnails of
 * stored pictures decode behind this limit too.
 */
export const MAX_MODEL_PIXELS = Math.ceil(4096 * 4096 * 1.25);

/** "W:H" in pixels. */
function sizeOf(ratio: string): { width: number; height: number } {
  const [width, height] = ratio.split(':').map(Number);
  return { width, height };
}

/** A provider may round its dimensions: this much off the ratio's size is still its picture. */
const DOWNLOAD_TOLERANCE = 0.01;

export class ImageVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageVerificationError';
  }
}

/** Type from the leading bytes, never from a URL or a Content-Type header. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const b = bytes;
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  ) {
    return { mime: 'image/png', ext: 'png' };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { mime: 'image/webp', ext: 'webp' };
  return undefined;
}

/** sharp's own refusal of an image above `limitInputPixels`. */
function isPixelLimitError(error: unknown): boolean {
  return error instanceof Error && /pixel limit/i.test(error.message);
}

/**
 * Accepts a picture only if its bytes are a known image type, its header's
 * dimensions are those of the requested ratio, and it then decodes fully (a
 * truncated download fails here). Nothing is decoded before the header is
 * checked: a small file claiming 16000×16000 pixels is refused on its header
 * alone. Uploads must be exactly the ratio's size (every RunWay picture is);
 * downloads may be 1% off in each direction (a provider that rounds), and their
 * shape must match the ratio within 1%. With `shapeOnly` (models with named aspect ratios, whose pixel sizes
 * are not documented: lib/freepik/models) any size up to MAX_MODEL_PIXELS of the right shape
 * (±SHAPE_TOLERANCE) is the picture — never refused for being another size of the right shape.
 */
export async function verifyImage(
  bytes: Buffer,
  ratio: string,
  source: ImageSource = 'download',
  shapeOnly = false,
): Promise<VerifiedImage> {
  const what = source === 'upload' ? 'uploaded' : 'downloaded';
  const type = sniffImageType(bytes);
  if (!type) throw new ImageVerificationError(`The ${what} file is not a PNG, JPEG or WebP image.`);
  const damaged = () => new ImageVerificationError(`The ${what} image is damaged and cannot be decoded.`);
  const expected = sizeOf(ratio);
  const expectedText = shapeOnly
    ? `a ${ratio} picture has the shape ${expected.width}:${expected.height}`
    : `a ${ratio} picture is ${expected.width}×${expected.height}`;
  const pixelLimit = shapeOnly ? MAX_MODEL_PIXELS : MAX_INPUT_PIXELS;
  const tooLarge = (size: string) => new ImageVerificationError(`The ${what} image is too large${size}; ${expectedText}.`);

  // 1. The header only: sharp's metadata() reads the dimensions without decoding a
  //    pixel. No pixel limit here, so even a 50000×50000 header yields its size for the message.
  let header: { width: number; height: number };
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) throw damaged();
    header = { width: meta.width, height: meta.height };
  } catch (error) {
    if (error instanceof ImageVerificationError) throw error;
    if (isPixelLimitError(error)) throw tooLarge('');
    throw damaged();
  }
  const { width, height } = header;
  const sizeText = `${width}×${height} pixels`;
  if (width * height > pixelLimit) throw tooLarge(`: ${sizeText}`);
  const mismatch = () =>
    new ImageVerificationError(`The ${what} image is ${sizeText}, which does not match the ratio ${ratio}: ${expectedText}.`);
  if (shapeOnly) {
    const shapeOff = Math.abs(Math.log(width / height) - Math.log(expected.width / expected.height));
    if (shapeOff > Math.log(1 + SHAPE_TOLERANCE)) throw mismatch();
  } else if (source === 'upload') {
    if (width !== expected.width || height !== expected.height) throw mismatch();
  } else {
    const off = (actual: number, wanted: number) => Math.abs(actual - wanted) / wanted > DOWNLOAD_TOLERANCE;
    const wantedShape = expected.width / expected.height;
    if (off(width, expected.width) || off(height, expected.height) || off(width / height, wantedShape)) throw mismatch();
  }

  // 2. Only now every pixel (catches truncated files), behind sharp's pixel limit as a second wall.
  let decoded: { width: number; height: number };
  try {
    const { info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: pixelLimit }).raw().toBuffer({ resolveWithObject: true });
    decoded = { width: info.width, height: info.height };
  } catch (error) {
    if (isPixelLimitError(error)) throw tooLarge(`: ${sizeText}`);
    throw damaged();
  }
  // A header that lies about the picture behind it is a damaged file.
  if (decoded.width !== width || decoded.height !== height) throw damaged();
  return { ...type, width, height };
}
