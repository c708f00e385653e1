import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdir, open, opendir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertPictureKey, InvalidPictureKeyError, isPictureKey, PICTURE_FOLDERS } from './picture-keys';
import type { PictureObject, PictureStore } from './picture-store';

/**
 * The first PictureStore: files under a directory (the data directory), one
 * per key — `<root>/images/ab/<sha256>.<ext>` and `<root>/thumbs/ab/<sha256>.webp`.
 * Writes go to a uniquely named temp file beside the target, then rename, so
 * a crash never leaves a half-written picture under its final name and two
 * writers of the same key (a repair racing an import) never share a temp file.
 */
export class DirectoryPictureStore implements PictureStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file of a key; refuses anything that is not a key (see picture-keys.ts). */
  private fileOf(key: string): string {
    assertPictureKey(key);
    const file = path.join(this.root, ...key.split('/'));
    // The key grammar already rules out escapes; this is the second wall.
    if (!file.startsWith(this.root + path.sep)) throw new InvalidPictureKeyError(key);
    return file;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.fileOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<PictureObject | null> {
    const file = this.fileOf(key);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return null;
      }
      // The stream closes the handle when it ends or is destroyed.
      return { size: info.size, body: handle.createReadStream() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.fileOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      const info = await stat(this.fileOf(key));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  async *list(): AsyncIterable<string> {
    for (const folder of PICTURE_FOLDERS) {
      for (const shard of await entriesOf(path.join(this.root, folder), 'directory')) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        for (const name of await entriesOf(path.join(this.root, folder, shard), 'file')) {
          const key = `${folder}/${shard}/${name}`;
          // Temp files of writes in progress (or of a crash) and strangers are not keys.
          if (isPictureKey(key)) yield key;
        }
      }
    }
  }

  localPath(key: string): string {
    return this.fileOf(key);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/** Names of the sub-directories or files of a directory (none when it does not exist). */
async function entriesOf(dir: string, kind: 'directory' | 'file'): Promise<string[]> {
  const names: string[] = [];
  try {
    // opendir streams the entries: a shard may hold many thousands of files.
    for await (const entry of await opendir(dir)) {
      if (kind === 'directory' ? entry.isDirectory() : entry.isFile()) names.push(entry.name);
    }
  } catch (error) {
    if (isMissing(error)) return names;
    throw error;
  }
  return names;
}
