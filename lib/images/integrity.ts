import 'server-only';
import { db } from '../db/client';
import type { Image, Thumbnail } from '../db/generated/client';
import { provider } from '../freepik/connection';
import { modelOf } from '../freepik/models';
import { downloadImage } from '../freepik/download';
import { isPictureKey, pictureStore, sha256, storeThumbnail } from './picture-store';
import { markFound, markLost, markRepaired, saveThumbnail, setPlaceholder } from './records';
import { renderPlaceholder, renderThumbnail, thumbnailWidthsFor } from './thumbnails';

/**
 * Keeps stored pictures true to the database. The original is the one thing
 * that matters: if its file is gone or damaged we fetch it again from the
 * provider and accept the copy only if its sha256 is exactly the one we
 * recorded. Thumbnails are derived, so they are simply rendered again. Bytes
 * go through the picture store, row changes through lib/images/records.ts.
 */

export type PictureRecord = Image & {
  thumbnails: Thumbnail[];
  task: {
    providerTaskId: string | null;
    prompt: string;
    seed: bigint | null;
    ratio: string;
    model: string;
    params: string | null;
    createdAt: Date;
  };
};

export const pictureInclude = {
  thumbnails: true,
  // ratio and createdAt: the recipe a downloaded PNG carries (lib/images/recipe.ts).
  task: { select: { providerTaskId: true, prompt: true, seed: true, ratio: true, model: true, params: true, createdAt: true } },
} as const;

export function loadPicture(taskId: string): Promise<PictureRecord | null> {
  return db().image.findUnique({ where: { taskId }, include: pictureInclude });
}

export type FileState = 'ok' | 'missing' | 'corrupt';
export type FileCheck = { state: 'ok'; bytes: Buffer } | { state: 'missing' | 'corrupt' };

/**
 * `full` (every serve, doctor, before a repair, lost pictures): the file exists,
 * has the recorded size and its sha256 matches. Serving hashes every time: the
 * response's ETag *is* the sha256 and is cached as immutable for a year, so a
 * body must never differ from it, and bit rot keeps size and mtime, so no
 * cached verdict could see it. Hashing costs about 2 ms per MB (originals are
 * ~0.2–3 MB, thumbnails a few KB). `quick` (right after writing a file): it
 * exists with the recorded size.
 */
export async function checkFile(file: { path: string; bytes: number; sha256: string }, depth: 'quick' | 'full'): Promise<FileCheck> {
  // A row whose path is not a picture key (never written by Darkroom) names nothing that can be read.
  if (!isPictureKey(file.path)) return { state: 'missing' };
  const bytes = await pictureStore().read(file.path);
  if (!bytes) return { state: 'missing' };
  if (bytes.length !== file.bytes) return { state: 'corrupt' };
  if (depth === 'full' && sha256(bytes) !== file.sha256) return { state: 'corrupt' };
  return { state: 'ok', bytes };
}

// Concurrent requests for one broken picture share a single repair.
const running = new Map<string, Promise<unknown>>();
function once<T>(key: string, work: () => Promise<T>): Promise<T> {
  const current = running.get(key) as Promise<T> | undefined;
  if (current) return current;
  const started = work().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}

/**
 * The original's bytes for serving, repairing the file when needed; null when
 * the picture is lost. A picture already marked lost is only re-checked on
 * disk (a restored backup heals it); asking the provider again is left to
 * `npm run doctor -- --repair`, so a stale page cannot hammer the provider.
 */
export async function ensureOriginal(picture: PictureRecord): Promise<Buffer | null> {
  if (picture.lostAt) {
    const check = await checkFile(picture, 'full');
    if (check.state !== 'ok') return null;
    await markFound(picture);
    return check.bytes;
  }
  const check = await checkFile(picture, 'full');
  if (check.state === 'ok') return check.bytes;
  // Missing or damaged alike: never serve bytes that do not hash to the ETag.
  return once(`original:${picture.id}`, async () => {
    const result = await repairOriginal(picture);
    // Thumbnails usually vanish with the original (a lost or restored data directory).
    if (result.outcome === 'repaired') await restoreThumbnails(picture, result.bytes, 'quick');
    return result.bytes;
  });
}

export type RepairOutcome = { outcome: 'ok' | 'repaired'; bytes: Buffer } | { outcome: 'lost'; bytes: null };

/**
 * Put back a missing or damaged original: fresh signed URLs from the provider
 * first (the stored one has probably expired), then the last known URL. On
 * failure the picture is marked lost so the gallery can say so.
 */
export async function repairOriginal(picture: PictureRecord): Promise<RepairOutcome> {
  // Another request, or another Image sharing this content-addressed file, may have fixed it already.
  const again = await checkFile(picture, 'full');
  if (again.state === 'ok') {
    if (picture.lostAt) await markFound(picture);
    return { outcome: 'ok', bytes: again.bytes };
  }

  const copy = isPictureKey(picture.path) ? await fetchVerifiedCopy(picture) : null;
  if (!copy) {
    await markLost(picture);
    return { outcome: 'lost', bytes: null };
  }
  await pictureStore().put(picture.path, copy.bytes);
  await markRepaired(picture, copy.url);
  return { outcome: 'repaired', bytes: copy.bytes };
}

async function fetchVerifiedCopy(picture: PictureRecord): Promise<{ bytes: Buffer; url: string } | null> {
  const urls = [...(await freshProviderUrls(picture.task.model, picture.task.providerTaskId))];
  if (picture.sourceUrl && !urls.includes(picture.sourceUrl)) urls.push(picture.sourceUrl);
  for (const url of urls) {
    try {
      const bytes = await downloadImage(url, 30_000);
      // Only the exact bytes we stored are acceptable: a re-render, even a similar one, is not our picture.
      if (sha256(bytes) === picture.sha256) return { bytes, url };
      console.warn(`[images] a fresh copy of picture ${picture.id} does not match its recorded sha256`);
    } catch (error) {
      // Signed URLs are credentials of sorts: log the reason, never the URL.
      console.warn(`[images] could not fetch picture ${picture.id}:`, error instanceof Error ? error.message : error);
    }
  }
  return null;
}

async function freshProviderUrls(model: string, providerTaskId: string | null): Promise<string[]> {
  if (!providerTaskId) return [];
  try {
    return (await (await provider()).getTask(modelOf(model), providerTaskId)).imageUrls;
  } catch (error) {
    // Typically "not found": the provider forgot the task. The stored URL is the last chance.
    console.warn('[images] provider lookup for a repair failed:', error instanceof Error ? error.message : error);
    return [];
  }
}

/** A thumbnail's bytes and hash for serving; regenerated from the original when its file is gone. */
export async function ensureThumbnail(picture: PictureRecord, thumb: Thumbnail): Promise<{ bytes: Buffer; sha256: string } | null> {
  // Its sha256 is the ETag too: a damaged rendition is rendered again from the (verified) original.
  const check = await checkFile(thumb, 'full');
  if (check.state === 'ok') return { bytes: check.bytes, sha256: thumb.sha256 };
  return once(`thumb:${thumb.id}`, async () => {
    const original = await ensureOriginal(picture);
    return original ? regenerateThumbnail(picture, original, thumb.width) : null;
  });
}

async function regenerateThumbnail(picture: PictureRecord, original: Buffer, width: number) {
  const rendered = await renderThumbnail(original, width);
  const stored = await storeThumbnail(rendered.bytes);
  await saveThumbnail(picture, width, { width: rendered.width, height: rendered.height, bytes: rendered.bytes.length, ...stored });
  return { bytes: rendered.bytes, sha256: stored.sha256 };
}

export type ThumbnailRestore = { width: number; found: FileState; repaired: boolean };

/**
 * Checks every rendition the original should have (a row may be absent for
 * pictures stored before thumbnails existed) and, given the original's bytes,
 * renders the missing or damaged ones. Without bytes it only reports.
 */
export async function restoreThumbnails(
  picture: PictureRecord,
  original: Buffer | null,
  depth: 'quick' | 'full',
): Promise<ThumbnailRestore[]> {
  const results: ThumbnailRestore[] = [];
  for (const width of thumbnailWidthsFor(picture.width)) {
    const row = picture.thumbnails.find((t) => t.width === width);
    const found: FileState = row ? (await checkFile(row, depth)).state : 'missing';
    const repaired = found !== 'ok' && original !== null;
    if (repaired) await regenerateThumbnail(picture, original, width);
    results.push({ width, found, repaired });
  }
  if (original && !picture.placeholder) {
    await setPlaceholder(picture, await renderPlaceholder(original));
  }
  return results;
}
