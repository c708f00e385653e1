import { UpstreamError } from '../errors';
import { isWebUrl, type ProviderTask, type WireTask } from '../schemas';

/**
 * Imagen 3's `generated`: the schema says URLs, the GET example shows base64 pictures (freepik-models.md §4).
 * Both are taken: a link stays a link, a base64 picture becomes a `data:` URL of the type its first bytes name,
 * anything else is an answer Darkroom cannot understand.
 */

/** The base64 of each format's magic bytes: PNG 89 50 4E 47, JPEG FF D8 FF, WEBP "RIFF" (…"WEBP"). */
const MAGIC: ReadonlyArray<[prefix: string, mime: string]> = [
  ['iVBOR', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['UklGR', 'image/webp'],
];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A picture the provider already wrapped as a data URL (not documented, but harmless to accept). */
const DATA_URL = /^data:image\/[a-z+.-]+;base64,/i;

/** One `generated` entry → a link Darkroom can download (https or data:), or null when it is not a picture. */
export function pictureUrlOf(entry: string): string | null {
  if (isWebUrl(entry)) return entry;
  // Line breaks are allowed in MIME-style base64; they are not part of the picture.
  const base64 = entry.replace(DATA_URL, '').replace(/\s+/g, '');
  if (!BASE64.test(base64)) return null;
  const magic = MAGIC.find(([prefix]) => base64.startsWith(prefix));
  return magic ? `data:${magic[1]};base64,${base64}` : null;
}

/** ModelSpec.reshape for a model whose `generated` may hold links or base64 pictures. */
export function reshapeInlinePictures(raw: WireTask): ProviderTask {
  const imageUrls = (raw.generated ?? []).map((entry) => {
    const url = pictureUrlOf(entry);
    if (url === null) throw new UpstreamError('invalid-response');
    return url;
  });
  return { taskId: raw.task_id, status: raw.status, imageUrls };
}
