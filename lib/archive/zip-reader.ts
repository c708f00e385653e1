import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import * as yauzl from 'yauzl';
import { checkEntryName, ZipLimitError } from './zip-writer';

/**
 * Reads a ZIP file on disk through its central directory (random access: the
 * archive is never loaded whole) and streams single entries, inflating
 * deflated ones. yauzl parses the directory and reads the entries; this
 * module adds what untrusted uploads need on top: names that could escape a
 * folder, encrypted entries, ZIP64 and split archives, archives with too many
 * entries, entries declaring absurd sizes, and overlapping entries ("zip
 * bombs") are refused, and every entry's length and CRC-32 (which yauzl does
 * not check) are verified as it is read.
 */

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

export type ZipLimits = {
  maxEntries: number;
  /** Largest uncompressed size of a single entry. */
  maxEntrySize: number;
  /** Largest sum of the uncompressed sizes of all entries. */
  maxTotalSize: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 0xfffe,
  maxEntrySize: 256 * 1024 * 1024,
  maxTotalSize: 8 * 1024 * 1024 * 1024,
};

export type ZipEntry = {
  name: string;
  /** 0 stored, 8 deflated (others are listed but cannot be read). */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
  isDirectory: boolean;
};

const EOCD_SIGNATURE = 0x06054b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EXTRA_FIELD = 0x0001;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export class ZipArchive {
  private readonly byName: Map<string, ZipEntry>;

  constructor(
    private readonly zip: yauzl.ZipFile,
    readonly path: string,
    readonly entries: readonly ZipEntry[],
    private readonly sources: ReadonlyMap<ZipEntry, yauzl.Entry>,
    private readonly dataEnd: number,
  ) {
    this.byName = new Map(entries.map((e) => [e.name, e]));
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** A stream of the entry's uncompressed bytes; errors if its length or CRC-32 is wrong. */
  async openEntry(entry: ZipEntry): Promise<Readable> {
    if (entry.flags & 0x1) throw new ZipFormatError(`${entry.name} is encrypted; Darkroom cannot read it.`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}; only stored and deflated entries can be read.`);
    }
    const source = this.sources.get(entry);
    if (!source) throw new Error(`${entry.name} is not an entry of ${this.path}.`);
    let start: number;
    try {
      ({ fileDataStart: start } = await this.zip.readLocalFileHeaderPromise(source, { minimal: true }));
    } catch (error) {
      throw formatError(error, `The zip is damaged: the entry ${entry.name} is not where its directory says.`);
    }
    if (start + entry.compressedSize > this.dataEnd)
      throw new ZipFormatError(`The zip is damaged: ${entry.name} runs past the end of the data.`);

    const raw = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStreamLowLevel(start, entry.compressedSize, 0, entry.compressedSize, entry.method === 8, null, (error, stream) =>
        error ? reject(error) : resolve(stream),
      ),
    );
    const check = new EntryCheck(entry);
    // pipeline destroys every stage when one fails, so the consumer of `check` sees the error.
    pipeline(raw, check, () => {});
    return check;
  }

  /** The entry's bytes in memory; refuses entries larger than `maxBytes`. */
  async read(entry: ZipEntry, maxBytes = DEFAULT_ZIP_LIMITS.maxEntrySize): Promise<Buffer> {
    if (entry.size > maxBytes) throw new ZipFormatError(`${entry.name} is too large (${entry.size} bytes).`);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.openEntry(entry)) chunks.push(chunk as Buffer);
    } catch (error) {
      if (error instanceof ZipFormatError) throw error;
      // zlib's complaints ("invalid distance too far back") mean damaged data.
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ZipFormatError(`${entry.name} is damaged (${(error as Error).message}).`);
      }
      throw error;
    }
    return Buffer.concat(chunks, entry.size);
  }

  /** Releases the file (once entry streams still being read have ended). */
  async close(): Promise<void> {
    this.zip.close();
  }
}

/** Counts and CRCs the bytes going through; fails the stream on any mismatch. */
class EntryCheck extends Transform {
  private length = 0;
  private crc = 0;

  constructor(private readonly entry: ZipEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.length += chunk.length;
    if (this.length > this.entry.size) {
      callback(new ZipFormatError(`${this.entry.name} is larger than its recorded size.`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    if (this.length !== this.entry.size) {
      callback(new ZipFormatError(`${this.entry.name} is shorter than its recorded size (damaged or truncated).`));
    } else if (this.crc >>> 0 !== this.entry.crc32 >>> 0) {
      callback(new ZipFormatError(`${this.entry.name} is damaged (CRC-32 mismatch).`));
    } else {
      callback();
    }
  }
}

export async function openZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipArchive> {
  const handle = await open(path, 'r');
  let dataEnd: number;
  try {
    dataEnd = await checkEndRecord(handle, limits);
  } finally {
    await handle.close();
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { autoClose: false, decodeStrings: false, validateEntrySizes: false });
  } catch (error) {
    throw formatError(error, 'The zip file is damaged');
  }
  // zip.close() closes the file once no entry stream uses it any more.
  zip.on('error', (error: Error) => console.warn('[zip] closing an archive failed:', error.message));
  try {
    const { entries, sources } = await readDirectory(zip, dataEnd, limits);
    return new ZipArchive(zip, path, entries, sources, dataEnd);
  } catch (error) {
    zip.close();
    throw formatError(error, 'The zip file is damaged: its directory cannot be read');
  }
}

/** yauzl's complaints about the bytes (plain errors, no `code`) become ZipFormatErrors; I/O errors stay as they are. */
function formatError(error: unknown, context: string): unknown {
  if (error instanceof ZipFormatError || !(error instanceof Error) || (error as NodeJS.ErrnoException).code) return error;
  return new ZipFormatError(context.endsWith('.') ? context : `${context} (${error.message}).`);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new ZipFormatError('The zip file is truncated.');
  return buffer;
}

/**
 * Our checks on the end record, before yauzl reads anything else: is it a
 * (complete) zip at all, not ZIP64, not split, not too many entries, a
 * directory within bounds. Returns where the entries' data area ends (the
 * directory's offset).
 */
async function checkEndRecord(handle: FileHandle, limits: ZipLimits): Promise<number> {
  const { size: fileSize } = await handle.stat();
  if (fileSize < EOCD_SIZE) throw new ZipFormatError('This is not a zip file.');

  // The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const head = await readAt(handle, 0, 4);
    throw new ZipFormatError(
      head.readUInt32LE(0) === LOCAL_SIGNATURE ? 'The zip file is incomplete (truncated download or upload?).' : 'This is not a zip file.',
    );
  }
  const disk = tail.readUInt16LE(eocd + 4);
  const centralDisk = tail.readUInt16LE(eocd + 6);
  const countOnDisk = tail.readUInt16LE(eocd + 8);
  const count = tail.readUInt16LE(eocd + 10);
  const centralSize = tail.readUInt32LE(eocd + 12);
  const centralOffset = tail.readUInt32LE(eocd + 16);

  if (
    count === 0xffff ||
    centralSize === 0xffff_ffff ||
    centralOffset === 0xffff_ffff ||
    (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE)
  ) {
    throw new ZipFormatError('ZIP64 archives (over 4 GiB or 65,535 entries) are not supported.');
  }
  if (disk !== 0 || centralDisk !== 0 || countOnDisk !== count) throw new ZipFormatError('Split (multi-part) zip files are not supported.');
  if (count > limits.maxEntries) {
    throw new ZipFormatError(`The zip has ${count} entries; at most ${limits.maxEntries} are accepted.`);
  }
  if (centralOffset + centralSize > tailStart + eocd) throw new ZipFormatError('The zip file is damaged: its directory is out of bounds.');
  // The smallest possible central header is 46 bytes: a count that cannot fit is a lie.
  if (count * 46 > centralSize) throw new ZipFormatError('The zip file is damaged: its directory is too small for its entry count.');
  return centralOffset;
}

/** Lists the entries yauzl reads from the central directory, applying our rules to each. */
async function readDirectory(zip: yauzl.ZipFile, dataEnd: number, limits: ZipLimits) {
  const entries: ZipEntry[] = [];
  const sources = new Map<ZipEntry, yauzl.Entry>();
  const names = new Set<string>();
  let totalSize = 0;
  let totalCompressed = 0;
  for await (const source of zip.eachEntry()) {
    const size = source.uncompressedSize;
    const method = source.compressionMethod;
    const headerOffset = source.relativeOffsetOfLocalHeader;
    if (
      source.compressedSize === 0xffff_ffff ||
      size === 0xffff_ffff ||
      headerOffset === 0xffff_ffff ||
      source.extraFields.some((field) => field.id === ZIP64_EXTRA_FIELD)
    ) {
      throw new ZipFormatError('ZIP64 entries (over 4 GiB) are not supported.');
    }
    const name = decodeName(source.fileNameRaw, (source.generalPurposeBitFlag & 0x800) !== 0);
    try {
      checkEntryName(name);
    } catch (error) {
      throw new ZipFormatError(error instanceof ZipLimitError ? `Unsafe file name in the zip: ${error.message}` : String(error));
    }
    if (names.has(name)) throw new ZipFormatError(`The zip lists ${JSON.stringify(name)} twice.`);
    names.add(name);
    if (size > limits.maxEntrySize) throw new ZipFormatError(`${name} is too large (${size} bytes).`);
    if (method === 0 && source.compressedSize !== size)
      throw new ZipFormatError(`The zip file is damaged: ${name} has inconsistent sizes.`);
    if (headerOffset + 30 > dataEnd) throw new ZipFormatError(`The zip file is damaged: ${name} is out of bounds.`);
    totalSize += size;
    totalCompressed += source.compressedSize;
    if (totalSize > limits.maxTotalSize) throw new ZipFormatError('The zip would unpack to more than Darkroom accepts.');

    const entry: ZipEntry = {
      name,
      method,
      flags: source.generalPurposeBitFlag,
      crc32: source.crc32,
      compressedSize: source.compressedSize,
      size,
      headerOffset,
      isDirectory: name.endsWith('/'),
    };
    entries.push(entry);
    sources.set(entry, source);
  }
  // Entries sharing their compressed bytes (overlap) are the classic zip bomb; honest archives never need it.
  if (totalCompressed > dataEnd) throw new ZipFormatError('The zip file is damaged or malicious: its entries overlap.');
  return { entries, sources };
}

function decodeName(bytes: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return bytes.toString('utf8');
  try {
    // Many tools write UTF-8 without the flag; fall back to Latin-1 for legacy code pages.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
