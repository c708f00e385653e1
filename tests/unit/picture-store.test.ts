import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryPictureStore } from '@/lib/images/directory-store';
import { hashOfKey, InvalidPictureKeyError, isPictureKey, originalKey, thumbnailKey } from '@/lib/images/picture-keys';
import { describeError, S3PictureStore } from '@/lib/images/s3-store';
import { pictureStoreContract } from '../support/picture-store-contract';

// The picture store's directory implementation: content-addressed files under
// the data directory, written atomically, and nothing but picture keys
// accepted. The contract every store keeps is shared with the S3 store
// (tests/support/picture-store-contract.ts, tests/integration/s3-store.test.ts).
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

pictureStoreContract('DirectoryPictureStore', async () => {
  const { root, store } = freshStore();
  return {
    store,
    async plant(name, bytes) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), bytes);
    },
  };
});

describe('DirectoryPictureStore', () => {
  it("keeps today's layout, byte for byte: <root>/<key>", async () => {
    const { root, store } = freshStore();
    const original = bytesOf('original bytes');
    const thumb = bytesOf('thumbnail bytes');
    const originalAt = originalKey(sha(original), 'png');
    const thumbAt = thumbnailKey(sha(thumb));
    await store.put(originalAt, original);
    await store.put(thumbAt, thumb);
    expect(readFileSync(path.join(root, 'images', originalAt.slice(7, 9), `${sha(original)}.png`)).equals(original)).toBe(true);
    expect(filesUnder(root)).toEqual([originalAt, thumbAt].sort());
    expect(await collect(store.list())).toEqual([originalAt, thumbAt].sort());
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

  it('reaches nothing outside the picture folders for a string that is not a key', async () => {
    const { root, store } = freshStore();
    writeFileSync(path.join(root, 'darkroom.db'), 'precious');
    for (const bad of ['../x', '../../etc/passwd', 'darkroom.db', `images/../darkroom.db`, '/etc/passwd']) {
      await expect(store.put(bad, bytesOf('evil')), bad).rejects.toThrow(InvalidPictureKeyError);
      await expect(store.delete(bad), bad).rejects.toThrow(InvalidPictureKeyError);
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
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    STORAGE_URL: process.env.STORAGE_URL,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED,
  };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is one store per data directory (it follows DATABASE_URL)', async () => {
    const first = mkdtempSync(path.join(tmpdir(), 'darkroom-store-a-'));
    const second = mkdtempSync(path.join(tmpdir(), 'darkroom-store-b-'));
    roots.push(first, second);
    const { pictureStore } = await import('@/lib/images/picture-store');
    delete process.env.STORAGE_URL;
    process.env.DATABASE_URL = `file:${first}/darkroom.db`;
    const a = pictureStore();
    expect(pictureStore()).toBe(a);
    expect((a as DirectoryPictureStore).root).toBe(first);
    process.env.DATABASE_URL = `file:${second}/darkroom.db`;
    expect((pictureStore() as DirectoryPictureStore).root).toBe(second);
  });

  it('follows STORAGE_URL: a directory of its own, or a bucket and prefix (no local files)', async () => {
    const pictures = mkdtempSync(path.join(tmpdir(), 'darkroom-store-c-'));
    roots.push(pictures);
    const { pictureStore } = await import('@/lib/images/picture-store');
    process.env.DATABASE_URL = `file:${pictures}/db/darkroom.db`;
    process.env.STORAGE_URL = `file:${pictures}/pictures`;
    expect(pictureStore()).toBeInstanceOf(DirectoryPictureStore);
    expect((pictureStore() as DirectoryPictureStore).root).toBe(`${pictures}/pictures`);

    process.env.STORAGE_URL = 's3://darkroom-pictures/team-a';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'; // the SDK's notice that Node 22 is coming
    const s3 = pictureStore();
    expect(s3).toBeInstanceOf(S3PictureStore);
    expect(pictureStore()).toBe(s3);
    expect(s3).toMatchObject({ bucket: 'darkroom-pictures', prefix: 'team-a/' });
    expect(s3.localPath(originalKey(sha('remote'), 'png'))).toBeNull();
    expect(() => s3.localPath('../x')).toThrow(InvalidPictureKeyError);
  });
});

describe('S3 store errors', () => {
  it('keep the operation, code, status and message, and drop credentials', () => {
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = 'unit-secret-value-123';
    try {
      // What the SDK makes of an S3 error document: its fields copied onto the error.
      const refused = Object.assign(new Error('Signed with unit-secret-value-123 by AKIAABCDEFGHIJKLMNOP: no match'), {
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
        AWSAccessKeyId: 'AKIAABCDEFGHIJKLMNOP',
      });
      expect(describeError(refused)).toBe('SignatureDoesNotMatch (HTTP 403): Signed with [redacted] by [redacted]: no match');
      const offline = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
      expect(describeError(offline)).toBe('Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9');
      expect(describeError(Object.assign(new Error('UnknownError'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }))).toBe(
        'NotFound (HTTP 404)',
      );
    } finally {
      if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved;
    }
  });
});
