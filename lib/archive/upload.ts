import 'server-only';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { dataDir } from '../config/env';

/**
 * Receiving an upload without holding it in memory: the request body is
 * written to a temp file under <data dir>/tmp, counted against a limit, then
 * read back with random access by the zip reader.
 */

/** A zip without ZIP64 cannot be larger; Export refuses beyond it too. */
export const MAX_IMPORT_BYTES = 0xffff_ffff;
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

function uploadDir(): string {
  return path.join(dataDir(), 'tmp');
}

/** Leftovers of imports interrupted by a crash. */
async function removeStaleUploads(dir: string): Promise<void> {
  try {
    for (const name of await readdir(dir)) {
      if (!name.startsWith('import-')) continue;
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (info && Date.now() - info.mtimeMs > STALE_AFTER_MS) await rm(file, { force: true });
    }
  } catch {
    // best effort
  }
}

/**
 * Streams `body` into a new temp file; returns its path (the caller removes
 * it). Throws UploadError for an over-long or incomplete body.
 */
export async function saveUpload(
  body: ReadableStream<Uint8Array>,
  declaredLength: number | null,
  maxBytes = MAX_IMPORT_BYTES,
): Promise<{ file: string; bytes: number }> {
  const dir = uploadDir();
  await mkdir(dir, { recursive: true });
  await removeStaleUploads(dir);
  const file = path.join(dir, `import-${process.pid}-${randomUUID()}.zip`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(new UploadError(413, tooLarge(maxBytes)));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>), counter, createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof UploadError) throw error;
    throw new UploadError(400, 'The upload was interrupted. Please try again.');
  }
  if (declaredLength !== null && bytes !== declaredLength) {
    await rm(file, { force: true });
    // A proxy in front (or Next's proxy.ts body buffering) may cut bodies short without saying so.
    throw new UploadError(
      413,
      `Only ${bytes} of ${declaredLength} bytes of the upload arrived: something between the browser and Darkroom cut it short (a body size limit?).`,
    );
  }
  return { file, bytes };
}

export function tooLarge(maxBytes: number): string {
  return `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB, the most Darkroom imports at once.`;
}

/** Zip files start with a local header ("PK\3\4"), or an end record when empty ("PK\5\6"). */
export async function looksLikeZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4) return false;
    const signature = head.readUInt32LE(0);
    return signature === 0x04034b50 || signature === 0x06054b50;
  } finally {
    await handle.close();
  }
}
