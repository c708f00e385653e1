import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { InvalidPictureKeyError, originalKey, thumbnailKey } from '@/lib/images/picture-keys';
import type { PictureStore } from '@/lib/images/picture-store';

/**
 * What every PictureStore promises (lib/images/picture-store.ts), run against
 * each implementation: the directory store (tests/unit/picture-store.test.ts)
 * and the S3 store (tests/integration/s3-store.test.ts).
 */
export type ContractSubject = {
  store: PictureStore;
  /** Writes raw bytes at a name relative to the store's root (a file, an object under the prefix), bypassing the store. */
  plant(name: string, bytes: Uint8Array): Promise<void>;
};

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (text: string) => Buffer.from(text);

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of iterable) keys.push(key);
  return keys.sort();
}

export function pictureStoreContract(label: string, fresh: () => Promise<ContractSubject>) {
  describe(`${label}: the PictureStore contract`, () => {
    it('puts, reads, streams, stats, lists and deletes by key', async () => {
      const { store } = await fresh();
      const original = bytesOf('original bytes');
      const thumb = bytesOf('thumbnail bytes');
      const originalAt = originalKey(sha(original), 'png');
      const thumbAt = thumbnailKey(sha(thumb));

      expect(await store.has(originalAt)).toBe(false);
      await store.put(originalAt, original);
      await store.put(thumbAt, thumb);

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
      expect(await store.read(originalAt)).toBeNull();
      expect(await collect(store.list())).toEqual([thumbAt]);
    });

    it('answers null for a key with nothing stored (get, read, head) and lists nothing when empty', async () => {
      const { store } = await fresh();
      const absent = originalKey(sha('never stored'), 'webp');
      expect(await store.get(absent)).toBeNull();
      expect(await store.read(absent)).toBeNull();
      expect(await store.head(absent)).toBeNull();
      expect(await store.has(absent)).toBe(false);
      expect(await collect(store.list())).toEqual([]);
    });

    it('overwrites: a longer object, and a damaged one of the same length (a repair)', async () => {
      const { store, plant } = await fresh();
      const key = originalKey(sha('v1'), 'png');
      await store.put(key, bytesOf('first'));
      await store.put(key, bytesOf('second, longer'));
      expect((await store.read(key))!.toString()).toBe('second, longer');

      // Bit rot keeps the length: the exact bytes put back must land all the same.
      await plant(key, bytesOf('second, LONGER'));
      expect((await store.read(key))!.toString()).toBe('second, LONGER');
      await store.put(key, bytesOf('second, longer'));
      expect((await store.read(key))!.toString()).toBe('second, longer');

      // Putting the very same bytes again is harmless.
      await store.put(key, bytesOf('second, longer'));
      expect((await store.read(key))!.toString()).toBe('second, longer');
      expect(await collect(store.list())).toEqual([key]);
    });

    it('keeps working after a stream is dropped unread', async () => {
      const { store } = await fresh();
      const bytes = Buffer.alloc(256 * 1024, 7);
      const key = originalKey(sha(bytes), 'png');
      await store.put(key, bytes);
      for (let i = 0; i < 3; i++) (await store.get(key))!.body.destroy();
      expect((await store.read(key))!.equals(bytes)).toBe(true);
    });

    it('lists only keys: temp files, strangers and other files of the root are left out', async () => {
      const { store, plant } = await fresh();
      const key = thumbnailKey(sha('listed'));
      await store.put(key, bytesOf('listed'));
      await plant(`${key}.4242.abc.tmp`, bytesOf('half a picture'));
      await plant('images/README', bytesOf('not a picture'));
      await plant(`images/zz/${sha('z')}.png`, bytesOf('wrong shard name'));
      await plant(`images/ab/${sha('upper').toUpperCase()}.png`, bytesOf('not lowercase'));
      await plant('darkroom.db', bytesOf('the database lives beside the pictures'));
      expect(await collect(store.list())).toEqual([key]);
    });

    it('refuses every method for a string that is not a key', async () => {
      const { store } = await fresh();
      for (const bad of ['../x', '../../etc/passwd', 'darkroom.db', `images/../darkroom.db`, '/etc/passwd', `images/ab/${sha('x')}.gif`]) {
        await expect(store.put(bad, bytesOf('evil')), bad).rejects.toThrow(InvalidPictureKeyError);
        await expect(store.get(bad), bad).rejects.toThrow(InvalidPictureKeyError);
        await expect(store.read(bad), bad).rejects.toThrow(InvalidPictureKeyError);
        await expect(store.head(bad), bad).rejects.toThrow(InvalidPictureKeyError);
        await expect(store.has(bad), bad).rejects.toThrow(InvalidPictureKeyError);
        await expect(store.delete(bad), bad).rejects.toThrow(InvalidPictureKeyError);
        expect(() => store.localPath(bad), bad).toThrow(InvalidPictureKeyError);
      }
      expect(await collect(store.list())).toEqual([]);
    });
  });
}
