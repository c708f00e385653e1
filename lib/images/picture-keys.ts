import { createHash } from 'node:crypto';

/**
 * Names of stored pictures. A key is content-addressed and is the very string
 * the database keeps in `Image.path` / `Thumbnail.path`:
 *
 *   images/<first 2 of sha256>/<sha256>.<png|jpg|webp>   an original, byte-for-byte
 *   thumbs/<first 2 of sha256>/<sha256>.webp              a rendition (lib/images/thumbnails.ts)
 *
 * Today's rows hold exactly these relative paths, so they are valid keys as
 * they are (no data migration). The directory store maps a key to
 * `<data dir>/<key>`; an object store maps it to `<prefix><key>` — a
 * content-addressed object name either way. Nothing else is a key: the strict
 * grammar below is what keeps a key (possibly read from a database row or a
 * request) from naming anything outside the picture folders (`..`, absolute
 * paths, separators, NUL, other files of the data directory).
 */

export type PictureExt = 'png' | 'jpg' | 'webp';

/** The top-level folders (prefixes) keys live under. */
export const PICTURE_FOLDERS = ['images', 'thumbs'] as const;

const KEY = /^(?:images\/[0-9a-f]{2}\/[0-9a-f]{64}\.(?:png|jpg|webp)|thumbs\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp)$/;

export class InvalidPictureKeyError extends Error {
  constructor(key: string) {
    super(`Not a picture key: ${JSON.stringify(key.slice(0, 200))}.`);
    this.name = 'InvalidPictureKeyError';
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function isPictureKey(key: string): boolean {
  return KEY.test(key);
}

export function assertPictureKey(key: string): void {
  if (!isPictureKey(key)) throw new InvalidPictureKeyError(key);
}

function checkHash(hash: string): void {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new InvalidPictureKeyError(hash);
}

/** Key of an original with this sha256 and type. */
export function originalKey(hash: string, ext: PictureExt): string {
  checkHash(hash);
  return `images/${hash.slice(0, 2)}/${hash}.${ext}`;
}

/** Key of a WebP rendition with this sha256. */
export function thumbnailKey(hash: string): string {
  checkHash(hash);
  return `thumbs/${hash.slice(0, 2)}/${hash}.webp`;
}

/** The sha256 a key names (its file name without the extension). */
export function hashOfKey(key: string): string {
  assertPictureKey(key);
  return key.slice(key.lastIndexOf('/') + 1, key.lastIndexOf('.'));
}
