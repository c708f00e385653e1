import 'server-only';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { singleton } from '../singleton';
import { assertPictureKey, isPictureKey, PICTURE_FOLDERS } from './picture-keys';
import type { PictureObject, PictureStore } from './picture-store';

/**
 * The PictureStore of several instances (issue #10): objects in an
 * S3-compatible bucket, one per key, named `<prefix><key>` —
 * `team-a/images/ab/<sha256>.png`, `team-a/thumbs/ab/<sha256>.webp`. Keys are
 * content-addressed, so an object never changes meaning: a PutObject replaces
 * it whole (readers see the old or the new object, never a part) and an
 * object already there with our exact bytes is not sent again.
 *
 * Nothing touches the local disk: bytes go from memory to the bucket and back
 * (a stream for the export, a Buffer for hashing and sharp). Credentials,
 * region and endpoint are the AWS SDK's own business (AWS_REGION,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3 /
 * AWS_ENDPOINT_URL, or a profile/role); errors are rethrown as
 * PictureStoreError, which names the operation, the object and the S3 error
 * code but never a credential (S3's error bodies can carry the access key id,
 * and the SDK copies them onto its error objects).
 *
 * Permissions needed on the bucket: s3:GetObject, s3:PutObject,
 * s3:DeleteObject and s3:ListBucket (without ListBucket, S3 answers 403
 * instead of 404 for a missing object).
 */

/**
 * The SDK is loaded on first use, not with this module: a process that keeps
 * pictures in a directory never pays its ~20 MB and start-up time.
 */
type Sdk = typeof import('@aws-sdk/client-s3');
let loading: Promise<Sdk> | undefined;
const sdk = () => (loading ??= import('@aws-sdk/client-s3'));

export type S3StoreOptions = {
  bucket: string;
  /** '' or a prefix ending in '/', as lib/config/env-schema.ts `storageLocationOf` resolves it. */
  prefix: string;
  client: S3Client | Promise<S3Client>;
  /** Keys per ListObjectsV2 page (S3's maximum and default: 1000); tests use small pages. */
  pageSize?: number;
};

export class PictureStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PictureStoreError';
  }
}

const CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

export class S3PictureStore implements PictureStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: Promise<S3Client>;
  private readonly pageSize: number;

  constructor({ bucket, prefix, client, pageSize = 1000 }: S3StoreOptions) {
    if (prefix !== '' && !prefix.endsWith('/')) throw new Error(`An S3 prefix must be empty or end with '/': ${JSON.stringify(prefix)}.`);
    this.bucket = bucket;
    this.prefix = prefix;
    this.client = Promise.resolve(client);
    // Failures surface on each call; never as an unhandled rejection before the first one.
    this.client.catch(() => {});
    this.pageSize = pageSize;
  }

  /** The object name of a key; refuses anything that is not a key (see picture-keys.ts). */
  private nameOf(key: string): string {
    assertPictureKey(key);
    return this.prefix + key;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const name = this.nameOf(key);
    const md5 = createHash('md5').update(bytes).digest();
    // Content-addressed: an object with this name, size and MD5 (a single-part upload's ETag) already holds
    // these bytes. Same size alone is not enough — a repair overwrites a damaged object of the same length.
    // Only a shortcut: when the HEAD itself fails, the upload decides (and reports a real problem).
    const existing = await this.headObject(name, 'put').catch(() => null);
    if (existing && existing.size === bytes.byteLength && existing.etag === md5.toString('hex')) return;
    await this.call('PutObject', name, ({ PutObjectCommand }, client) =>
      client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: name,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)],
          // S3 refuses the upload (BadDigest) unless exactly these bytes arrived.
          ContentMD5: md5.toString('base64'),
        }),
      ),
    );
  }

  async get(key: string): Promise<PictureObject | null> {
    const name = this.nameOf(key);
    const response = await this.call(
      'GetObject',
      name,
      ({ GetObjectCommand }, client) => client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name })),
      { missing: null },
    );
    if (!response) return null;
    // In Node the SDK's body is the HTTP response (an IncomingMessage, a Readable).
    const body = response.Body as Readable | undefined;
    if (!body || typeof response.ContentLength !== 'number') {
      body?.destroy();
      throw new PictureStoreError(`S3 GetObject of ${this.describe(name)} answered without a body or a length.`);
    }
    // A dropped connection mid-body surfaces as the stream's error, without credentials either.
    return { size: response.ContentLength, body };
  }

  async read(key: string): Promise<Buffer | null> {
    const object = await this.get(key);
    if (!object) return null;
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of object.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        length += chunk.length;
      }
    } catch (error) {
      throw this.failure('GetObject', this.prefix + key, error);
    }
    // Never hand out a short read as the object: it would look like damage and trigger a repair.
    if (length !== object.size) {
      throw new PictureStoreError(`S3 GetObject of ${this.describe(this.prefix + key)} ended after ${length} of ${object.size} bytes.`);
    }
    return Buffer.concat(chunks, length);
  }

  async head(key: string): Promise<{ size: number } | null> {
    const found = await this.headObject(this.nameOf(key), 'head');
    return found ? { size: found.size } : null;
  }

  async has(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    const name = this.nameOf(key);
    // S3 answers 204 for a missing object too.
    await this.call('DeleteObject', name, ({ DeleteObjectCommand }, client) =>
      client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: name })),
    );
  }

  async *list(): AsyncIterable<string> {
    for (const folder of PICTURE_FOLDERS) {
      const prefix = `${this.prefix}${folder}/`;
      let token: string | undefined;
      do {
        const page = await this.call('ListObjectsV2', prefix, ({ ListObjectsV2Command }, client) =>
          client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: this.pageSize, ContinuationToken: token })),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(this.prefix.length);
          // Objects someone else put under the prefix are not pictures.
          if (key && object.Key!.startsWith(this.prefix) && isPictureKey(key)) yield key;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  }

  localPath(key: string): null {
    assertPictureKey(key);
    return null;
  }

  private async headObject(name: string, purpose: 'head' | 'put'): Promise<{ size: number; etag: string | null } | null> {
    const response = await this.call(
      'HeadObject',
      name,
      ({ HeadObjectCommand }, client) => client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: name })),
      { missing: null },
    );
    if (!response) return null;
    if (typeof response.ContentLength !== 'number') {
      if (purpose === 'put') return null; // upload again rather than trust an object we cannot size
      throw new PictureStoreError(`S3 HeadObject of ${this.describe(name)} answered without a length.`);
    }
    return { size: response.ContentLength, etag: response.ETag?.replace(/"/g, '').toLowerCase() ?? null };
  }

  /** Runs one S3 call; "no such key" becomes `missing` when given, every other failure a PictureStoreError. */
  private async call<T, M = never>(
    operation: string,
    name: string,
    send: (sdk: Sdk, client: S3Client) => Promise<T>,
    options?: { missing: M },
  ): Promise<T | M> {
    try {
      return await send(await sdk(), await this.client);
    } catch (error) {
      if (options && isNoSuchKey(error)) return options.missing;
      throw this.failure(operation, name, error);
    }
  }

  private describe(name: string): string {
    return `s3://${this.bucket}/${name}`;
  }

  private failure(operation: string, name: string, error: unknown): PictureStoreError {
    return new PictureStoreError(`S3 ${operation} of ${this.describe(name)} failed: ${describeError(error)}`);
  }
}

/**
 * A missing object: GetObject says NoSuchKey; HeadObject has no body, so the
 * SDK names any 404 "NotFound" (a missing bucket too — but then every write
 * fails loudly with NoSuchBucket, and reads go through GetObject).
 */
function isNoSuchKey(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/**
 * The error's code, HTTP status and message — and nothing else of it: the
 * SDK copies S3's error document onto the error (e.g. `AWSAccessKeyId` for
 * InvalidAccessKeyId), so neither the object nor its properties are kept.
 * Credential values are cut out of the message for good measure.
 */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? e.code : null;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : null;
  let message = typeof e.message === 'string' && e.message !== 'UnknownError' ? e.message : '';
  for (const variable of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = process.env[variable];
    if (value && value.length >= 4) message = message.split(value).join('[redacted]');
  }
  // Access key ids have a recognisable shape wherever they came from (a profile, a role).
  message = message.replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[redacted]').slice(0, 300);
  const label = [name, code && code !== name ? code : null].filter(Boolean).join(' ');
  return `${label}${status ? ` (HTTP ${status})` : ''}${message && message !== name ? `: ${message}` : ''}`;
}

/**
 * The process's store for a bucket and prefix, over the process's one S3
 * client (one connection pool for every picture). The SDK reads region,
 * credentials and endpoint from the standard AWS variables itself; both are
 * keyed by the settings that shape the client, so a test that points the
 * process elsewhere gets a matching pair. A server has exactly one of each.
 */
export function s3PictureStore(bucket: string, prefix: string, forcePathStyle: boolean): S3PictureStore {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || '';
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || '';
  const settings = JSON.stringify([forcePathStyle, endpoint, region]);
  const client = singleton(`S3Client:${settings}`, () => sdk().then((loaded) => newS3Client(loaded, forcePathStyle)));
  return singleton(`PictureStore:s3://${bucket}/${prefix}:${settings}`, () => new S3PictureStore({ bucket, prefix, client }));
}

function newS3Client({ S3Client }: Sdk, forcePathStyle: boolean): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3?.trim() || process.env.AWS_ENDPOINT_URL?.trim();
  return new S3Client({
    // The SDK would take an empty AWS_REGION (a copied .env) as the region "" and refuse it; servers other
    // than AWS (an endpoint is set) mostly ignore the region, so us-east-1 is their conventional default.
    region: process.env.AWS_REGION?.trim() || process.env.AWS_DEFAULT_REGION?.trim() || (endpoint ? 'us-east-1' : undefined),
    forcePathStyle,
    // Our own Content-MD5 instead of the SDK's default CRC32 header: every S3-compatible server knows
    // Content-MD5, and it is what the ETag of a single-part object is compared with in `put`.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // A dead endpoint fails fast; no overall request timeout, since an export may pause a body for long.
    requestHandler: { connectionTimeout: 10_000 },
  });
}
