import 'server-only';
import sharp from 'sharp';
import { storeThumbnail } from './picture-store';
import { MAX_MODEL_PIXELS } from './verify';

/**
 * WebP renditions for the gallery. The grid's tiles are ~220 px tall rows, so
 * 320/640 cover 1x/2x screens there; 1280 serves the picture dialog and wide
 * phones. The original is never altered: these are derived, disposable files
 * that can always be regenerated from it.
 */
export const THUMBNAIL_WIDTHS = [320, 640, 1280] as const;

/** Placeholder width: a handful of pixels is enough for a blurred preview and keeps the data URL tiny. */
const PLACEHOLDER_WIDTH = 16;

export type StoredThumbnail = { width: number; height: number; bytes: number; sha256: string; path: string };

/** Widths worth making for an original: never upscale, and a rendition as wide as the original is pointless. */
export function thumbnailWidthsFor(originalWidth: number): number[] {
  return THUMBNAIL_WIDTHS.filter((width) => width < originalWidth);
}

/**
 * Originals are verified before they get here, but thumbnails are also made
 * again from stored files (repair): the pixel limit is a second wall against a
 * decompression bomb either way.
 */
const DECODE_OPTIONS = { limitInputPixels: MAX_MODEL_PIXELS } as const;

export async function renderThumbnail(original: Buffer, width: number): Promise<{ bytes: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(original, DECODE_OPTIONS)
    .resize({ width, withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/** A ~16 px wide WebP as a data URL (well under 1 KB), shown blurred while the real image loads. */
export async function renderPlaceholder(original: Buffer): Promise<string> {
  const bytes = await sharp(original, DECODE_OPTIONS)
    .resize({ width: PLACEHOLDER_WIDTH, withoutEnlargement: true })
    .webp({ quality: 50 })
    .toBuffer();
  return `data:image/webp;base64,${bytes.toString('base64')}`;
}

/** Render and store (content-addressed under thumbs/) one rendition. */
export async function createThumbnail(original: Buffer, width: number): Promise<StoredThumbnail> {
  const rendered = await renderThumbnail(original, width);
  const stored = await storeThumbnail(rendered.bytes);
  return { width: rendered.width, height: rendered.height, bytes: rendered.bytes.length, ...stored };
}

/** Every rendition the grid needs for this original, smallest first. */
export async function createThumbnails(original: Buffer, originalWidth: number): Promise<StoredThumbnail[]> {
  const thumbnails: StoredThumbnail[] = [];
  // One at a time: sharp already uses every core for a single resize.
  for (const width of thumbnailWidthsFor(originalWidth)) thumbnails.push(await createThumbnail(original, width));
  return thumbnails;
}
