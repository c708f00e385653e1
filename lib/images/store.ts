import 'server-only';
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '../config/env';

/**
 * Pictures live under <data dir>/images, content-addressed by sha256 so a file
 * name is also its integrity check. Writes go to a temp file then rename, so a
 * crash never leaves a half-written picture under its final name.
 */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function relativeImagePath(hash: string, ext: string): string {
  return path.join('images', hash.slice(0, 2), `${hash}.${ext}`);
}

export function absoluteImagePath(relative: string): string {
  return path.join(dataDir(), relative);
}

export async function storeImage(bytes: Buffer, ext: string): Promise<{ sha256: string; path: string }> {
  const hash = sha256(bytes);
  const relative = relativeImagePath(hash, ext);
  const target = absoluteImagePath(relative);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, target);
  return { sha256: hash, path: relative };
}

export async function readStoredImage(relative: string): Promise<Buffer> {
  return readFile(absoluteImagePath(relative));
}

export async function removeStoredImage(relative: string): Promise<void> {
  await rm(absoluteImagePath(relative), { force: true });
}
