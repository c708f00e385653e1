import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '../config/env';

/**
 * Pictures live under <data dir>/images and their WebP renditions under
 * <data dir>/thumbs, content-addressed by sha256 so a file name is also its
 * integrity check. Writes go to a temp file then rename, so a crash never
 * leaves a half-written picture under its final name.
 */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function relativeImagePath(hash: string, ext: string): string {
  return path.join('images', hash.slice(0, 2), `${hash}.${ext}`);
}

export function relativeThumbnailPath(hash: string): string {
  return path.join('thumbs', hash.slice(0, 2), `${hash}.webp`);
}

export function absoluteImagePath(relative: string): string {
  return path.join(dataDir(), relative);
}

/** Atomic write of a stored file (also how a repair puts a fresh copy back). */
export async function writeStoredFile(relative: string, bytes: Uint8Array): Promise<void> {
  const target = absoluteImagePath(relative);
  await mkdir(path.dirname(target), { recursive: true });
  // Unique temp name: two requests repairing the same file must not share one.
  const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function storeImage(bytes: Buffer, ext: string): Promise<{ sha256: string; path: string }> {
  const hash = sha256(bytes);
  const relative = relativeImagePath(hash, ext);
  await writeStoredFile(relative, bytes);
  return { sha256: hash, path: relative };
}

export async function storeThumbnail(bytes: Buffer): Promise<{ sha256: string; path: string }> {
  const hash = sha256(bytes);
  const relative = relativeThumbnailPath(hash);
  await writeStoredFile(relative, bytes);
  return { sha256: hash, path: relative };
}

/** The file's bytes, or null when it does not exist (other I/O errors still throw). */
export async function readStoredFileIfExists(relative: string): Promise<Buffer | null> {
  try {
    return await readFile(absoluteImagePath(relative));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

export async function removeStoredImage(relative: string): Promise<void> {
  await rm(absoluteImagePath(relative), { force: true });
}
