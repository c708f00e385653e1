import 'server-only';
import type { Readable } from 'node:stream';
import { dataDir } from '../config/env';
import { singleton } from '../singleton';
import { DirectoryPictureStore } from './directory-store';
import { originalKey, sha256, thumbnailKey, type PictureExt } from './picture-keys';

export { InvalidPictureKeyError, isPictureKey, originalKey, sha256, thumbnailKey, type PictureExt } from './picture-keys';

/**
 * Where picture bytes live: originals and their WebP renditions, by key
 * (lib/images/picture-keys.ts: content-addressed, and the string the database
 * keeps in Image.path / Thumbnail.path). Every read and write of picture bytes
 * — ingest, thumbnails, serving, repair, doctor, export, import, emptying the
 * Trash — goes through `pictureStore()`; no module outside lib/images knows
 * where or how they are kept. Today: files in the data directory
 * (DirectoryPictureStore); an object store can implement the same interface.
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
   * store without local files. Only for the export's zip writer, which takes
   * files by path (lib/archive/zip-writer.ts `ZipInput.file`); it goes once
   * that writer accepts a stream (`get`).
   */
  localPath(key: string): string | null;
}

export type PictureObject = {
  /** Length of `body` in bytes. */
  size: number;
  body: Readable;
};

/**
 * The process's picture store. One per configuration (keyed by the data
 * directory: a test or tool that points the process at another database gets
 * that directory's store). Issue #10 selects an object store here by
 * configuration.
 */
export function pictureStore(): PictureStore {
  const root = dataDir();
  return singleton(`PictureStore:${root}`, () => new DirectoryPictureStore(root));
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
