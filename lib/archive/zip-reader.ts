import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { checkEntryName, ZipLimitError } from './zip-writer';

/**
 * Reads a ZIP file on disk through its central directory (random access: the
 * archive is never loaded whole) and streams single entries, inflating
 * deflated ones. Built for untrusted uploads: names that could escape a
 * folder, encrypted entries, ZIP64, archives with too many entries, entries
 * declaring absurd sizes, and overlapping entries ("zip bombs") are refused;
 * every entry's length and CRC-32 are checked as it is read.
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
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export class ZipArchive {
  private readonly byName: Map<string, ZipEntry>;

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly entries: readonly ZipEntry[],
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
    const header = Buffer.alloc(30);
    const { bytesRead } = await this.handle.read(header, 0, 30, entry.headerOffset);
    if (bytesRead !== 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) {
      throw new ZipFormatError(`The zip is damaged: the entry ${entry.name} is not where its directory says.`);
    }
    const start = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const end = start + entry.compressedSize;
    if (end > this.dataEnd) throw new ZipFormatError(`The zip is damaged: ${entry.name} runs past the end of the data.`);

    const raw =
      entry.compressedSize === 0
        ? Readable.from([])
        : createReadStream(this.path, { start, end: end - 1, highWaterMark: 256 * 1024 });
    const check = new EntryCheck(entry);
    // pipeline destroys every stage when one fails, so the consumer of `check` sees the error.
    const done = () => {};
    if (entry.method === 0) pipeline(raw, check, done);
    else pipeline(raw, createInflateRaw(), check, done);
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

  close(): Promise<void> {
    return this.handle.close();
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
  try {
    const entriesAndEnd = await readDirectory(handle, limits);
    return new ZipArchive(handle, path, entriesAndEnd.entries, entriesAndEnd.dataEnd);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new ZipFormatError('The zip file is truncated.');
  return buffer;
}

async function readDirectory(handle: FileHandle, limits: ZipLimits): Promise<{ entries: ZipEntry[]; dataEnd: number }> {
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
    const head = await readAt(handle, 0, Math.min(4, fileSize));
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
  const eocdPosition = tailStart + eocd;

  if (count === 0xffff || centralSize === 0xffff_ffff || centralOffset === 0xffff_ffff ||
    (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE)) {
    throw new ZipFormatError('ZIP64 archives (over 4 GiB or 65,535 entries) are not supported.');
  }
  if (disk !== 0 || centralDisk !== 0 || countOnDisk !== count) throw new ZipFormatError('Split (multi-part) zip files are not supported.');
  if (count > limits.maxEntries) {
    throw new ZipFormatError(`The zip has ${count} entries; at most ${limits.maxEntries} are accepted.`);
  }
  if (centralOffset + centralSize > eocdPosition) throw new ZipFormatError('The zip file is damaged: its directory is out of bounds.');
  // The smallest possible central header is 46 bytes: a count that cannot fit is a lie.
  if (count * 46 > centralSize) throw new ZipFormatError('The zip file is damaged: its directory is too small for its entry count.');

  const directory = await readAt(handle, centralOffset, centralSize);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let position = 0;
  let totalSize = 0;
  let totalCompressed = 0;
  for (let i = 0; i < count; i++) {
    if (position + 46 > directory.length || directory.readUInt32LE(position) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError('The zip file is damaged: its directory cannot be read.');
    }
    const flags = directory.readUInt16LE(position + 8);
    const method = directory.readUInt16LE(position + 10);
    const crc = directory.readUInt32LE(position + 16);
    const compressedSize = directory.readUInt32LE(position + 20);
    const size = directory.readUInt32LE(position + 24);
    const nameLength = directory.readUInt16LE(position + 28);
    const extraLength = directory.readUInt16LE(position + 30);
    const commentLength = directory.readUInt16LE(position + 32);
    const headerOffset = directory.readUInt32LE(position + 42);
    const next = position + 46 + nameLength + extraLength + commentLength;
    if (next > directory.length) throw new ZipFormatError('The zip file is damaged: its directory cannot be read.');
    const name = decodeName(directory.subarray(position + 46, position + 46 + nameLength), (flags & 0x800) !== 0);
    position = next;

    if (compressedSize === 0xffff_ffff || size === 0xffff_ffff || headerOffset === 0xffff_ffff) {
      throw new ZipFormatError('ZIP64 entries (over 4 GiB) are not supported.');
    }
    try {
      checkEntryName(name);
    } catch (error) {
      throw new ZipFormatError(error instanceof ZipLimitError ? `Unsafe file name in the zip: ${error.message}` : String(error));
    }
    if (names.has(name)) throw new ZipFormatError(`The zip lists ${JSON.stringify(name)} twice.`);
    names.add(name);
    if (size > limits.maxEntrySize) throw new ZipFormatError(`${name} is too large (${size} bytes).`);
    if (method === 0 && compressedSize !== size) throw new ZipFormatError(`The zip file is damaged: ${name} has inconsistent sizes.`);
    if (headerOffset + 30 > centralOffset) throw new ZipFormatError(`The zip file is damaged: ${name} is out of bounds.`);
    totalSize += size;
    totalCompressed += compressedSize;
    if (totalSize > limits.maxTotalSize) throw new ZipFormatError('The zip would unpack to more than Darkroom accepts.');

    entries.push({
      name,
      method,
      flags,
      crc32: crc,
      compressedSize,
      size,
      headerOffset,
      isDirectory: name.endsWith('/'),
    });
  }
  // Entries sharing their compressed bytes (overlap) are the classic zip bomb; honest archives never need it.
  if (totalCompressed > centralOffset) throw new ZipFormatError('The zip file is damaged or malicious: its entries overlap.');
  return { entries, dataEnd: centralOffset };
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
