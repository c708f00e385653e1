import 'server-only';
import type { Readable } from 'node:stream';
import { env } from '../config/env';
import { storageLocationOf } from '../config/env-schema';
import { singleton } from '../singleton';
import { DirectoryPictureStore } from './directory-store';
import { originalKey, sha256, thumbnailKey, type PictureExt } from './picture-keys';
import { s3PictureStore } from './s3-store';

export { InvalidPictureKeyError, isPictureKey, originalKey, sha256, thumbnailKey, type PictureExt } from './picture-keys';

/**
 * Where picture bytes live: originals and their WebP renditions, by key
 * (lib/images/picture-keys.ts: content-addressed, and the string the database
 * keeps in Image.path / Thumbnail.path). Every read and write of picture bytes
 * — ingest, thumbnails, serving, repair, doctor, export, import, emptying the
 * Trash — goes through `pictureStore()`; no module outside lib/images knows
 * where or how they are kept: files in a directory (DirectoryPictureStore, the
 * default: the data directory) or objects in an S3-compatible bucket
 * (S3PictureStore), as STORAGE_URL says.
 *
 * Every method refuses (InvalidPictureKeyError) a string that is not a key.
 */
export interface PictureStore {
  /**
   * Stores the bytes under the key, atomically: a reader sees the previous
   * object or the complete new one, never a part. Overwrites (a repair puts
   * the exact recorded bytes back under their key).
   */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The object as a stream with its size, or null when there is none. The caller must consume or destroy `body`. */
  get(key: string): Promise<PictureObject | null>;
  /** The whole object in memory (for hashing and sharp), or null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** The object's size without its bytes, or null when there is none. */
  head(key: string): Promise<{ size: number } | null>;
  has(key: string): Promise<boolean>;
  /** Removes the object; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** Every stored key (originals, then thumbnails), for the doctor; never temp files of writes in progress. */
  list(): AsyncIterable<string>;
  /**
   * A path on this machine the object's bytes can be read from, or null for a
   * store without local files (S3). Only for the export's zip writer, which
   * reads such files directly (`ZipInput.file`) and otherwise streams `get`.
   */
  localPath(key: string): string | null;
}

export type PictureObject = {
  /** Length of `body` in bytes. */
  size: number;
  body: Readable;
};

/**
 * The process's picture store, chosen by STORAGE_URL (lib/config/env-schema.ts
 * `storageLocationOf`): `file:<dir>` or, by default, the data directory beside
 * the SQLite file → DirectoryPictureStore; `s3://<bucket>[/<prefix>]` →
 * S3PictureStore over the process's one S3 client. One store per location: a
 * test or tool that points the process at another database or bucket gets
 * that location's store.
 */
export function pictureStore(): PictureStore {
  const config = env();
  const location = storageLocationOf(config, process.cwd());
  if (location.kind === 's3') return s3PictureStore(location.bucket, location.prefix, config.S3_FORCE_PATH_STYLE);
  return singleton(`PictureStore:${location.dir}`, () => new DirectoryPictureStore(location.dir));
}

/** Stores an original under its content address; returns the sha256 and the key (Image.path). */
export async function storeOriginal(bytes: Uint8Array, ext: PictureExt): Promise<{ sha256: string; path: string }> {
  const hash = sha256(bytes);
  const key = originalKey(hash, ext);
  await pictureStore().put(key, bytes);
  return { sha256: hash, path: key };
}

/** Stores a WebP rendition under its content address; returns the sha256 and the key (Thumbnail.path). */
export async function storeThumbnail(bytes: Uint8Array): Promise<{ sha256: string; path: string }> {
  const hash = sha256(bytes);
  const key = thumbnailKey(hash);
  await pictureStore().put(key, bytes);
  return { sha256: hash, path: key };
}
