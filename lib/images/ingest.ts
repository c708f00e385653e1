import 'server-only';
import { storeOriginal } from './picture-store';
import { createThumbnails, renderPlaceholder, type StoredThumbnail } from './thumbnails';
import { verifyImage, type ImageSource } from './verify';

export type { StoredThumbnail } from './thumbnails';

/** Everything Darkroom keeps of a finished picture. */
export type IngestedPicture = {
  sha256: string;
  path: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  placeholder: string | null;
  sourceUrl: string | null;
  thumbnails: StoredThumbnail[];
};

/**
 * Verify a picture (downloaded from the provider, or uploaded in an import),
 * store the original byte-for-byte and derive what the gallery shows. Throws
 * ImageVerificationError for a bad file — before anything is stored or decoded
 * beyond its header (lib/images/verify.ts).
 */
export async function ingestPicture(
  bytes: Buffer,
  ratio: string,
  sourceUrl: string | null,
  source: ImageSource = 'download',
  shapeOnly = false,
): Promise<IngestedPicture> {
  const verified = await verifyImage(bytes, ratio, source, shapeOnly);
  const stored = await storeOriginal(bytes, verified.ext);
  const derived = await deriveRenditions(bytes, verified.width);
  return {
    ...stored,
    mimeType: verified.mime,
    width: verified.width,
    height: verified.height,
    bytes: bytes.length,
    sourceUrl,
    ...derived,
  };
}

/**
 * Thumbnails are a convenience: if making them fails the picture is still
 * complete (the grid falls back to the original, and `npm run doctor --
 * --repair` fills them in later), so a failure here must not fail the task.
 */
async function deriveRenditions(bytes: Buffer, width: number): Promise<Pick<IngestedPicture, 'placeholder' | 'thumbnails'>> {
  try {
    return { thumbnails: await createThumbnails(bytes, width), placeholder: await renderPlaceholder(bytes) };
  } catch (error) {
    console.error('[images] could not make thumbnails:', error instanceof Error ? error.message : error);
    return { thumbnails: [], placeholder: null };
  }
}
