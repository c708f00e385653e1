import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryPictureStore } from '@/lib/images/directory-store';
import { hashOfKey, InvalidPictureKeyError, isPictureKey, originalKey, thumbnailKey } from '@/lib/images/picture-keys';

// The picture store's first implementation: content-addressed files under the
// data directory, written atomically, and nothing but picture keys accepted.
const roots: string[] = [];
function freshStore() {
  const root = mkdtempSync(path.join(tmpdir(), 'darkroom-store-'));
  roots.push(root);
  return { root, store: new DirectoryPictureStore(root) };
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (text: string) => Buffer.from(text);

/** Every file under a directory, relative to it (temp files included). */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of iterable) keys.push(key);
  return keys.sort();
}

describe('picture keys', () => {
  it('are the content-addressed relative paths the database already keeps', () => {
    const hash = sha('an original');
    expect(originalKey(hash, 'png')).toBe(`images/${hash.slice(0, 2)}/${hash}.png`);
    expect(thumbnailKey(hash)).toBe(`thumbs/${hash.slice(0, 2)}/${hash}.webp`);
    expect(hashOfKey(originalKey(hash, 'jpg'))).toBe(hash);
    // A row written before this interface (path.join on POSIX) is a key as it is.
    expect(isPictureKey(path.join('images', 'ff', `${hash}.png`))).toBe(true);
    expect(() => originalKey('not-a-hash', 'png')).toThrow(InvalidPictureKeyError);
  });

  it('accept nothing else: no escapes, no other files of the data directory', () => {
    const hash = sha('x');
    for (const bad of [
      '../x',
      '/etc/passwd',
      `images/../../${hash}.png`,
      `images/ab/../../../etc/passwd`,
      `images\\ab\\${hash}.png`,
      `images/ab/${hash}.png\0`,
      `/images/ab/${hash}.png`,
      `images/ab/${hash}.gif`,
      `thumbs/ab/${hash}.png`,
      `images/ab/${hash.toUpperCase()}.png`,
      `images/ab/${hash}.png.1234.tmp`,
      'darkroom.db',
      'session-secret',
      'tmp/import-1.zip',
      '',
    ]) {
      expect(isPictureKey(bad), bad).toBe(false);
    }
  });
});

describe('DirectoryPictureStore', () => {
  it('puts, reads, streams, stats, lists and deletes by key', async () => {
    const { root, store } = freshStore();
    const original = bytesOf('original bytes');
    const thumb = bytesOf('thumbnail bytes');
    const originalAt = originalKey(sha(original), 'png');
    const thumbAt = thumbnailKey(sha(thumb));

    expect(await store.has(originalAt)).toBe(false);
    await store.put(originalAt, original);
    await store.put(thumbAt, thumb);

    // Today's layout, byte for byte.
    expect(readFileSync(path.join(root, 'images', originalAt.slice(7, 9), `${sha(original)}.png`)).equals(original)).toBe(true);
    expect(filesUnder(root)).toEqual([originalAt, thumbAt].sort());

    expect(await store.has(originalAt)).toBe(true);
    expect(await store.head(originalAt)).toEqual({ size: original.length });
    expect((await store.read(thumbAt))!.equals(thumb)).toBe(true);

    const object = (await store.get(originalAt))!;
    expect(object.size).toBe(original.length);
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(original)).toBe(true);

    expect(await collect(store.list())).toEqual([originalAt, thumbAt].sort());

    await store.delete(originalAt);
    await store.delete(originalAt); // already gone: no error
    expect(await store.has(originalAt)).toBe(false);
    expect(await collect(store.list())).toEqual([thumbAt]);
  });

  it('answers null for a key with nothing stored (get, read, head)', async () => {
    const { store } = freshStore();
    const absent = originalKey(sha('never stored'), 'webp');
    expect(await store.get(absent)).toBeNull();
    expect(await store.read(absent)).toBeNull();
    expect(await store.head(absent)).toBeNull();
    expect(await store.has(absent)).toBe(false);
    expect(await collect(store.list())).toEqual([]); // no folders yet: an empty list, not an error
  });

  it('overwrites atomically and leaves no temp file, also when the write fails', async () => {
    const { root, store } = freshStore();
    const key = originalKey(sha('v1'), 'png');
    await store.put(key, bytesOf('first'));
    await store.put(key, bytesOf('second, longer'));
    expect((await store.read(key))!.toString()).toBe('second, longer');
    expect(filesUnder(root)).toEqual([key]);

    // A directory squats on the target name: the rename fails, the temp file is removed again.
    const blocked = originalKey(sha('blocked'), 'png');
    mkdirSync(path.join(root, blocked), { recursive: true });
    await expect(store.put(blocked, bytesOf('cannot land'))).rejects.toThrow();
    expect(filesUnder(root)).toEqual([key]);
    expect(filesUnder(root).some((file) => file.endsWith('.tmp'))).toBe(false);
    expect(await store.get(blocked)).toBeNull(); // a directory is not a stored picture
  });

  it('lists only keys: temp files of writes in progress and strangers are left out', async () => {
    const { root, store } = freshStore();
    const key = thumbnailKey(sha('listed'));
    await store.put(key, bytesOf('listed'));
    writeFileSync(path.join(root, `${key}.4242.abc.tmp`), 'half a picture');
    mkdirSync(path.join(root, 'images', 'zz'), { recursive: true });
    writeFileSync(path.join(root, 'images', 'README'), 'not a picture');
    writeFileSync(path.join(root, 'images', 'zz', `${sha('z')}.png`), 'wrong shard name');
    writeFileSync(path.join(root, 'darkroom.db'), 'the database lives beside the pictures');
    expect(await collect(store.list())).toEqual([key]);
  });

  it('refuses every method for a string that is not a key, so nothing outside the picture folders is reachable', async () => {
    const { root, store } = freshStore();
    writeFileSync(path.join(root, 'darkroom.db'), 'precious');
    for (const bad of ['../x', '../../etc/passwd', 'darkroom.db', `images/../darkroom.db`, '/etc/passwd']) {
      await expect(store.put(bad, bytesOf('evil')), bad).rejects.toThrow(InvalidPictureKeyError);
      await expect(store.get(bad), bad).rejects.toThrow(InvalidPictureKeyError);
      await expect(store.read(bad), bad).rejects.toThrow(InvalidPictureKeyError);
      await expect(store.head(bad), bad).rejects.toThrow(InvalidPictureKeyError);
      await expect(store.has(bad), bad).rejects.toThrow(InvalidPictureKeyError);
      await expect(store.delete(bad), bad).rejects.toThrow(InvalidPictureKeyError);
      expect(() => store.localPath(bad), bad).toThrow(InvalidPictureKeyError);
    }
    expect(readFileSync(path.join(root, 'darkroom.db'), 'utf8')).toBe('precious');
    expect(existsSync(path.join(path.dirname(root), 'x'))).toBe(false);
  });

  it('tells the export where a key lies on disk', () => {
    const { root, store } = freshStore();
    const key = originalKey(sha('local'), 'jpg');
    expect(store.localPath(key)).toBe(path.join(root, key));
  });
});

describe('pictureStore()', () => {
  it('is one store per data directory (it follows DATABASE_URL)', async () => {
    const saved = process.env.DATABASE_URL;
    try {
      const first = mkdtempSync(path.join(tmpdir(), 'darkroom-store-a-'));
      const second = mkdtempSync(path.join(tmpdir(), 'darkroom-store-b-'));
      roots.push(first, second);
      const { pictureStore } = await import('@/lib/images/picture-store');
      process.env.DATABASE_URL = `file:${first}/darkroom.db`;
      const a = pictureStore();
      expect(pictureStore()).toBe(a);
      expect((a as DirectoryPictureStore).root).toBe(first);
      process.env.DATABASE_URL = `file:${second}/darkroom.db`;
      expect((pictureStore() as DirectoryPictureStore).root).toBe(second);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
