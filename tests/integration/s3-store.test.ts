import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ImportResult } from '@/lib/archive/import-result';
import type { Manifest } from '@/lib/archive/manifest';
import { openZip } from '@/lib/archive/zip-reader';
import { originalKey, thumbnailKey } from '@/lib/images/picture-keys';
import { PictureStoreError, S3PictureStore } from '@/lib/images/s3-store';
import type { RunningSimulator } from '@/lib/simulator/server';
import { startIntegration, stopIntegration } from '../support/integration';
import { pictureStoreContract } from '../support/picture-store-contract';
import { setupDatabase } from '../support/test-db';

// Pictures in an S3-compatible bucket (issue #10): s3rver (npm, offline) runs
// as a child process on a free loopback port; the S3 store keeps the same
// contract as the directory store; and the whole app — ingest, serving and
// repair, doctor, export, import into a fresh instance, emptying the Trash —
// works with STORAGE_URL=s3://…, writing no picture to the local disk.

const BUCKET = 'darkroom';
const KEY = 's3-key-0123456789';
const ORIGIN = 'http://localhost:3000';
let server: ChildProcess;
let serverDir: string;
let endpoint: string;
let client: S3Client;
const scratch: string[] = [];

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/**
 * Starts s3rver on a port of its choosing; resolves with the port once it
 * says it listens (≤ 15 s). s3rver 3.7.1 encrypts ListObjectsV2 continuation
 * tokens with DES, which OpenSSL 3 only has in its legacy provider: without
 * the flag every second page is a 500.
 */
function startS3rver(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      path.resolve('node_modules/s3rver/bin/s3rver.js'),
      ...['-d', dir, '-a', '127.0.0.1', '-p', '0', '-s', '--configure-bucket', BUCKET],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`s3rver did not start within 15 s: ${err}`));
    }, 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const listening = /listening on [^\s:]+:(\d+)/.exec(out);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, port: Number(listening[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}): ${err}`));
    });
  });
}

/** Stops the child by its PID: SIGTERM, then SIGKILL after 5 s. */
async function stopS3rver(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  serverDir = mkdtempSync(path.join(tmpdir(), 'darkroom-s3rver-'));
  const started = await startS3rver(serverDir);
  server = started.child;
  endpoint = `http://127.0.0.1:${started.port}`;
  // The standard variables the AWS SDK reads itself (Darkroom passes none of them on).
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  client = new S3Client({ forcePathStyle: true });
});

afterAll(async () => {
  client?.destroy();
  await stopS3rver(server);
  for (const dir of [serverDir, ...scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A client that records the name of every command it sends. */
function countingClient(): { client: S3Client; commands: string[] } {
  const counted = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const commands: string[] = [];
  counted.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize' },
  );
  return { client: counted, commands };
}

/** Object names under a prefix, straight from the bucket. */
async function objectsUnder(prefix: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    names.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return names.sort();
}

async function objectBytes(name: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: name }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

const putObject = (name: string, bytes: Uint8Array) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: name, Body: bytes }));

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of iterable) keys.push(key);
  return keys.sort();
}

let contracts = 0;
pictureStoreContract('S3PictureStore', async () => {
  const prefix = `contract-${contracts++}/`;
  return {
    store: new S3PictureStore({ bucket: BUCKET, prefix, client }),
    plant: (name, bytes) => putObject(prefix + name, bytes).then(() => {}),
  };
});

describe('S3PictureStore', () => {
  it('names objects <prefix><key>, with the picture type and an MD5 S3 checks', async () => {
    const store = new S3PictureStore({ bucket: BUCKET, prefix: 'layout/', client });
    const png = Buffer.from('png bytes');
    const webp = Buffer.from('webp bytes');
    await store.put(originalKey(sha(png), 'png'), png);
    await store.put(thumbnailKey(sha(webp)), webp);
    expect(await objectsUnder('layout/')).toEqual([`layout/${originalKey(sha(png), 'png')}`, `layout/${thumbnailKey(sha(webp))}`].sort());
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `layout/${originalKey(sha(png), 'png')}` }));
    expect(head).toMatchObject({ ContentType: 'image/png', ContentLength: png.length, ETag: `"${md5(png)}"` });
    const thumb = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `layout/${thumbnailKey(sha(webp))}` }));
    expect(thumb.ContentType).toBe('image/webp');
  });

  it('does not upload an object that is already there with the same bytes (content-addressed)', async () => {
    const { client: counted, commands } = countingClient();
    const store = new S3PictureStore({ bucket: BUCKET, prefix: 'dedupe/', client: counted });
    const bytes = Buffer.from('stored once');
    const key = originalKey(sha(bytes), 'png');
    await store.put(key, bytes);
    expect(commands).toEqual(['HeadObject', 'PutObject']);
    commands.length = 0;
    await store.put(key, bytes);
    expect(commands).toEqual(['HeadObject']);
    counted.destroy();
  });

  it('lists every key across pages of ListObjectsV2', async () => {
    const { client: counted, commands } = countingClient();
    const store = new S3PictureStore({ bucket: BUCKET, prefix: 'pages/', client: counted, pageSize: 2 });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(originalKey(sha(`original ${i}`), i % 2 ? 'png' : 'webp'));
    for (let i = 0; i < 3; i++) keys.push(thumbnailKey(sha(`thumbnail ${i}`)));
    for (const key of keys) await store.put(key, Buffer.from(key));
    commands.length = 0;
    const listed: string[] = [];
    for await (const key of store.list()) listed.push(key);
    // Originals first, then thumbnails, every key once.
    expect(listed.slice(0, 5).every((k) => k.startsWith('images/'))).toBe(true);
    expect(listed.sort()).toEqual(keys.sort());
    // 5 originals in pages of 2 (3 pages) + 3 thumbnails (2 pages).
    expect(commands).toEqual(Array(5).fill('ListObjectsV2'));
    counted.destroy();
  });

  it('keeps prefixes apart: one bucket, several stores', async () => {
    const team = new S3PictureStore({ bucket: BUCKET, prefix: 'team/', client });
    const lookalike = new S3PictureStore({ bucket: BUCKET, prefix: 'team-b/', client });
    const nested = new S3PictureStore({ bucket: BUCKET, prefix: 'team/images/', client });
    const root = new S3PictureStore({ bucket: BUCKET, prefix: '', client });
    const bytes = Buffer.from('team picture');
    const key = originalKey(sha(bytes), 'png');
    await team.put(key, bytes);
    for (const other of [lookalike, nested, root]) {
      expect(await other.has(key)).toBe(false);
      expect(await other.read(key)).toBeNull();
      expect(await collect(other.list())).toEqual([]);
    }
    await lookalike.put(key, Buffer.from('other bytes!'));
    await lookalike.delete(key);
    await root.delete(key);
    expect((await team.read(key))!.equals(bytes)).toBe(true);
    expect(await collect(team.list())).toEqual([key]);
  });

  it('fails loudly, without credentials, when the bucket is wrong or the credentials are refused', async () => {
    const key = originalKey(sha('anything'), 'png');
    const missing = new S3PictureStore({ bucket: 'no-such-bucket', prefix: '', client });
    await expect(missing.put(key, Buffer.from('x'))).rejects.toThrow(/NoSuchBucket/);
    // A missing bucket is not a missing picture: reading must not conclude "lost".
    await expect(missing.read(key)).rejects.toThrow(PictureStoreError);

    // s3rver checks the access key id (not the secret): an unknown id is refused, and S3's error document names it.
    await putObject(`refused/${key}`, Buffer.from('anything'));
    const accessKeyId = 'AKIAWRONGKEY12345678';
    const secret = 'wrong-secret-0123456789abcdef';
    const refused = new S3Client({ forcePathStyle: true, credentials: { accessKeyId, secretAccessKey: secret } });
    const store = new S3PictureStore({ bucket: BUCKET, prefix: 'refused/', client: refused });
    const error = await store.read(key).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PictureStoreError);
    expect((error as Error).message).toMatch(/InvalidAccessKeyId \(HTTP 403\)/);
    const everything = `${inspect(error, { depth: 5, showHidden: true })} ${JSON.stringify(error)} ${(error as Error).stack}`;
    for (const leak of [accessKeyId, secret, 'AWSAccessKeyId']) expect(everything).not.toContain(leak);
    refused.destroy();
  });
});

describe('Darkroom with STORAGE_URL=s3://darkroom/test-prefix', () => {
  let sim: RunningSimulator;
  let dataDir: string;
  const instanceDirs: string[] = [];

  beforeAll(async () => {
    ({ sim, dataDir } = await startIntegration('s3', {
      key: KEY,
      sim: { inProgressAfterMs: 30, completeAfterMs: 150 },
      env: { STORAGE_URL: `s3://${BUCKET}/test-prefix`, S3_FORCE_PATH_STYLE: 'true' },
    }));
    instanceDirs.push(dataDir);
    scratch.push(dataDir);
  });

  afterAll(async () => {
    await stopIntegration(sim);
    for (const name of ['STORAGE_URL', 'S3_FORCE_PATH_STYLE']) delete process.env[name];
  });

  async function generate(prompt: string, seed: number) {
    const service = await import('@/lib/tasks/service');
    const repo = await import('@/lib/tasks/repository');
    const result = await service.requestGeneration({ prompt, ratio: '1920:1080', seed: String(seed) });
    if (!result.ok) throw new Error(result.error);
    for (const deadline = Date.now() + 15_000; ;) {
      const task = await repo.findTask(result.task.id);
      if (task?.status === 'COMPLETED') return task;
      if (task?.status === 'FAILED' || Date.now() > deadline) throw new Error(`task ${result.task.id} ended ${task?.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function serve(id: string, query = '', headers: Record<string, string> = {}) {
    const route = await import('@/app/api/images/[id]/route');
    return route.GET(new Request(`${ORIGIN}/api/images/${id}${query}`, { headers }), { params: Promise.resolve({ id }) });
  }

  const pictureOf = async (taskId: string) => {
    const { db } = await import('@/lib/db/client');
    return (await db().image.findUnique({ where: { taskId }, include: { thumbnails: { orderBy: { width: 'asc' } } } }))!;
  };

  /** Files under a data directory: only the database and the (emptied) upload folder may be there. */
  function localFiles(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort();
  }

  it('stores, serves, repairs, audits, exports, imports and deletes pictures in the bucket only', async () => {
    // Ingest: the original and its three thumbnails are objects under the prefix.
    const task = await generate('harbour in the bucket', 11);
    const picture = await pictureOf(task.id);
    expect(picture.thumbnails.map((t) => t.width)).toEqual([320, 640, 1280]);
    const names = [picture.path, ...picture.thumbnails.map((t) => t.path)].map((key) => `test-prefix/${key}`);
    expect(await objectsUnder('test-prefix/')).toEqual([...names].sort());
    const original = await objectBytes(`test-prefix/${picture.path}`);
    expect(sha(original)).toBe(picture.sha256);

    // Serving streams through the app: same ETag (the sha256), same cache rule, verified bytes.
    const response = await serve(task.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${picture.sha256}"`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-length')).toBe(String(original.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true);
    expect((await serve(task.id, '', { 'if-none-match': `"${picture.sha256}"` })).status).toBe(304);
    const small = await serve(task.id, '?w=320');
    expect(small.headers.get('etag')).toBe(`"${picture.thumbnails[0].sha256}"`);
    expect(sha(Buffer.from(await small.arrayBuffer()))).toBe(picture.thumbnails[0].sha256);

    // A deleted original is fetched again from the provider and put back in the bucket.
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `test-prefix/${picture.path}` }));
    const repaired = await serve(task.id);
    expect(repaired.status).toBe(200);
    expect(sha(Buffer.from(await repaired.arrayBuffer()))).toBe(picture.sha256);
    expect(sha(await objectBytes(`test-prefix/${picture.path}`))).toBe(picture.sha256);

    // The doctor hashes objects, finds same-length damage, repairs it, and counts strays by listing the bucket.
    const doctor = await import('@/lib/images/doctor');
    const flipped = Buffer.from(original);
    flipped[flipped.length - 100] ^= 0xff;
    await putObject(`test-prefix/${picture.path}`, flipped);
    const stray = Buffer.from('no picture uses me');
    await putObject(`test-prefix/${thumbnailKey(sha(stray))}`, stray);
    const found = await doctor.runDoctor({ repair: false });
    expect(found).toMatchObject({ healthy: false, strays: 1, originals: { corrupt: 1 }, thumbnails: { ok: 3 } });
    const fixed = await doctor.runDoctor({ repair: true });
    expect(fixed).toMatchObject({ healthy: true, originals: { repaired: 1 } });
    expect(sha(await objectBytes(`test-prefix/${picture.path}`))).toBe(picture.sha256);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `test-prefix/${thumbnailKey(sha(stray))}` }));

    // Export streams the original from the bucket into the zip, with an exact Content-Length.
    const exportRoute = await import('@/app/api/export/route');
    const exported = await exportRoute.GET(new Request(`${ORIGIN}/api/export`));
    expect(exported.status).toBe(200);
    expect(exported.headers.get('x-darkroom-export-pictures')).toBe('1');
    const zip = Buffer.from(await exported.arrayBuffer());
    expect(Number(exported.headers.get('content-length'))).toBe(zip.length);
    const zipDir = mkdtempSync(path.join(tmpdir(), 'darkroom-s3-zip-'));
    scratch.push(zipDir);
    writeFileSync(path.join(zipDir, 'export.zip'), zip);
    const archive = await openZip(path.join(zipDir, 'export.zip'));
    try {
      const manifest = JSON.parse((await archive.read(archive.get('manifest.json')!)).toString()) as Manifest;
      const file = manifest.tasks[0].file!;
      expect((await archive.read(archive.get(file)!)).equals(original)).toBe(true);
    } finally {
      await archive.close();
    }

    // Import into a fresh instance (new database, data directory and prefix): its objects land in the bucket.
    (await import('@/lib/tasks/follower-instance')).follower().stop();
    await (await import('@/lib/db/client')).db().$disconnect();
    delete (globalThis as { __darkroomDb?: unknown }).__darkroomDb;
    vi.resetModules();
    const fresh = await setupDatabase('s3-import', { STORAGE_URL: `s3://${BUCKET}/imported`, S3_FORCE_PATH_STYLE: 'true' });
    instanceDirs.push(fresh.dataDir);
    scratch.push(fresh.dataDir);
    const importRoute = await import('@/app/api/import/route');
    const imported = await importRoute.POST(
      new Request(`${ORIGIN}/api/import`, {
        method: 'POST',
        body: new Uint8Array(zip),
        headers: { host: 'localhost:3000', origin: ORIGIN, 'content-type': 'application/zip', 'content-length': String(zip.length) },
      }),
    );
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ ok: true, imported: 1, duplicates: 0 } satisfies Partial<ImportResult>);
    const { db } = await import('@/lib/db/client');
    const copy = (await db().task.findFirst({ include: { image: { include: { thumbnails: true } } } }))!;
    expect(copy.image!.sha256).toBe(picture.sha256);
    const importedNames = [copy.image!.path, ...copy.image!.thumbnails.map((t) => t.path)].map((key) => `imported/${key}`);
    expect(await objectsUnder('imported/')).toEqual(importedNames.sort());
    const servedCopy = await serve(copy.id);
    expect(servedCopy.headers.get('etag')).toBe(`"${picture.sha256}"`);
    expect(Buffer.from(await servedCopy.arrayBuffer()).equals(original)).toBe(true);
    expect(await (await import('@/lib/images/doctor')).runDoctor({ repair: false })).toMatchObject({ healthy: true, strays: 0 });

    // Emptying the Trash deletes the objects no picture uses any more.
    const collection = await import('@/lib/gallery/collection');
    await collection.moveToTrash([copy.id]);
    expect(await collection.emptyTrash()).toEqual({ tasks: 1, files: 4 });
    expect(await objectsUnder('imported/')).toEqual([]);

    // No picture ever touched the local disk: the database, and an emptied upload folder.
    for (const dir of instanceDirs) {
      expect(existsSync(path.join(dir, 'images')), dir).toBe(false);
      expect(existsSync(path.join(dir, 'thumbs')), dir).toBe(false);
      expect(
        localFiles(dir).filter((file) => !/^darkroom\.db(-wal|-shm|-journal)?$/.test(file)),
        dir,
      ).toEqual([]);
    }
  }, 40_000);
});
