import { createReadStream } from 'node:fs';
import type { PassThrough, Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { ZipFile } from 'yazl';

/**
 * The export's ZIP writer: yazl encodes and streams the archive (headers,
 * UTF-8 names, timestamps, CRC-32, central directory); this module plans it
 * and keeps our rules (safe unique names, no ZIP64, an exact length).
 *
 * Every entry's stored size is known before the first byte is sent — files
 * and streamed objects have a size, small in-memory entries (the manifests)
 * are deflated once up front to learn theirs — so the archive's exact length is computed
 * in advance and the server can send `Content-Length`: browsers then show
 * real download progress. The stream checks it wrote exactly that many bytes.
 * (yazl's own `end(_, callback)` total is not used: yazl 3.3.1 adds 76 bytes
 * of ZIP64 records it does not write once the central directory passes
 * 64 KiB, about 600 pictures.)
 *
 * Files (or objects of a picture store without local files, `open()`) are
 * stored (PNG/WebP/JPEG are compressed already) and streamed one at a time,
 * opened when their turn comes, at the consumer's pace: memory stays flat
 * whatever the number of entries. yazl learns a streamed file's CRC-32
 * only after its bytes, so those entries carry it in a data descriptor (flag
 * bit 3) after the data; readers that use the central directory (unzip,
 * Python, 7-Zip, Windows, macOS, java.util.zip.ZipFile) do not care, Java's
 * front-to-back ZipInputStream refuses stored entries in this form. A file
 * whose length is not the planned size, or a source that fails to open or
 * errors midway, fails the stream.
 *
 * Without ZIP64 an archive is limited to 4 GiB and 65,534 entries; larger
 * plans are refused with a ZipLimitError before anything is sent.
 */

export type ZipInput =
  /** Small content in memory; `compress` deflates it (text), otherwise stored. */
  | { name: string; modified?: Date; data: Uint8Array; compress?: boolean }
  /** A file on disk, stored as is; `size` must be its length when streamed. */
  | { name: string; modified?: Date; file: string; size: number }
  /**
   * Bytes from elsewhere (an object store), stored as is: `open` is called
   * when the entry's turn comes and must give a stream of exactly `size` bytes.
   */
  | { name: string; modified?: Date; size: number; open(): Promise<Readable> };

export type PreparedZip = {
  /** Exact byte length of the archive `stream()` produces. */
  length: number;
  entryCount: number;
  /** A new stream of the archive each call (files are read lazily, one at a time). */
  stream(): ReadableStream<Uint8Array>;
};

/** Largest archive (and offset) a ZIP without ZIP64 can describe. */
export const ZIP_MAX_BYTES = 0xffff_ffff;
/** 0xFFFF itself means "see ZIP64" in the end record, so one less. */
export const ZIP_MAX_ENTRIES = 0xfffe;

export class ZipLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipLimitError';
  }
}

/** yazl's layout: local header + name (no extra field) + data (+ data descriptor when streamed); central header + name + UT time. */
const LOCAL_HEADER = 30;
const DATA_DESCRIPTOR = 16;
const CENTRAL_HEADER = 46 + 9;
const END_RECORD = 22;
const DEFLATE_LEVEL = 6;
const FILE_MODE = 0o100644; // regular file, rw-r--r--
/** Pictures are read in 1 MiB pieces: few chunks per picture, little memory. */
const READ_CHUNK = 1024 * 1024;

type PlannedEntry = {
  name: string;
  modified: Date;
  /** Deflate in yazl (only when it was found to make the entry smaller). */
  compress: boolean;
  size: number;
  data: Uint8Array | null;
  /** Opens a streamed entry's bytes (a file or a store object); null for in-memory data. */
  open: (() => Promise<Readable>) | null;
};

/** Refuses names that could escape the extraction folder or that readers disagree about. */
export function checkEntryName(name: string): void {
  const problem =
    name === ''
      ? 'is empty'
      : name.includes('\\')
        ? 'contains a backslash'
        : name.includes('\0')
          ? 'contains a NUL character'
          : name.startsWith('/') || /^[a-zA-Z]:/.test(name)
            ? 'is an absolute path'
            : name.split('/').some((part) => part === '..' || part === '.')
              ? 'contains a relative segment'
              : null;
  if (problem) throw new ZipLimitError(`Zip entry name ${JSON.stringify(name)} ${problem}.`);
}

export function prepareZip(inputs: readonly ZipInput[]): PreparedZip {
  if (inputs.length > ZIP_MAX_ENTRIES) {
    throw new ZipLimitError(
      `A zip file holds at most ${ZIP_MAX_ENTRIES.toLocaleString('en')} entries; this one would have ${inputs.length.toLocaleString('en')}.`,
    );
  }
  const seen = new Set<string>();
  const entries: PlannedEntry[] = [];
  let length = END_RECORD;
  for (const input of inputs) {
    checkEntryName(input.name);
    if (seen.has(input.name)) throw new ZipLimitError(`Duplicate zip entry name ${JSON.stringify(input.name)}.`);
    seen.add(input.name);
    const nameLength = Buffer.byteLength(input.name, 'utf8');
    if (nameLength > 0xffff) throw new ZipLimitError(`Zip entry name is too long: ${input.name.slice(0, 40)}…`);

    let entry: PlannedEntry;
    let storedSize: number;
    if ('data' in input) {
      // Deflated here only to learn the size: yazl deflates again with the same zlib and level, so the same bytes.
      const compressedSize = input.compress ? deflateRawSync(input.data, { level: DEFLATE_LEVEL }).length : Infinity;
      // Deflate only when it helps (it always does for text; never grows stored data).
      const compress = compressedSize < input.data.length;
      storedSize = compress ? compressedSize : input.data.length;
      entry = { name: input.name, modified: input.modified ?? new Date(), compress, size: input.data.length, data: input.data, open: null };
    } else {
      if (!Number.isSafeInteger(input.size) || input.size < 0) throw new ZipLimitError(`Invalid size for ${input.name}.`);
      storedSize = input.size + DATA_DESCRIPTOR;
      const open = 'file' in input ? fileOpener(input.file) : () => input.open();
      entry = { name: input.name, modified: input.modified ?? new Date(), compress: false, size: input.size, data: null, open };
    }
    if (entry.size > ZIP_MAX_BYTES - 1) throw new ZipLimitError(`${input.name} is larger than a zip file without ZIP64 allows.`);
    entries.push(entry);
    length += LOCAL_HEADER + nameLength + storedSize + CENTRAL_HEADER + nameLength;
  }
  // Offsets and sizes in the headers are 32-bit; ZIP64 would be needed beyond this.
  if (length > ZIP_MAX_BYTES) {
    throw new ZipLimitError(
      `This archive would be ${formatBytes(length)}; a zip file is limited to 4 GiB here. Export fewer pictures at a time.`,
    );
  }

  return { length, entryCount: entries.length, stream: () => toWebStream(zipChunks(entries, length)) };
}

/** The archive's bytes as yazl produces them: files and objects are opened one at a time, when their turn comes. */
async function* zipChunks(entries: readonly PlannedEntry[], length: number): AsyncGenerator<Uint8Array> {
  const zip = new ZipFile();
  const output = zip.outputStream as PassThrough;
  // yazl reports a file whose length is not the planned size here (after its bytes): the stream fails.
  zip.on('error', (error: Error) => output.destroy(error));
  for (const entry of entries) {
    const options = {
      mtime: entry.modified,
      mode: FILE_MODE,
      compress: entry.compress,
      compressionLevel: entry.compress ? DEFLATE_LEVEL : 0,
    };
    if (entry.data) zip.addBuffer(Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength), entry.name, options);
    else {
      const open = entry.open!;
      zip.addReadStreamLazy(entry.name, { ...options, size: entry.size }, (done) => {
        open().then(
          (stream) => done(null, watched(stream, output)),
          // A source that cannot be opened (gone from the store) fails the archive.
          (error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))),
        );
      });
    }
  }
  zip.end();

  let written = 0;
  for await (const chunk of output as AsyncIterable<Buffer>) {
    written += chunk.length;
    yield chunk;
  }
  if (written !== length) throw new Error(`Zip length mismatch: wrote ${written} bytes, announced ${length}.`);
}

function fileOpener(file: string): () => Promise<Readable> {
  return async () => createReadStream(file, { highWaterMark: READ_CHUNK });
}

/**
 * yazl pipes the source without listening for its errors (a file deleted
 * mid-export, a dropped connection to the object store): they fail the
 * archive instead. A cancelled download closes the source too.
 */
function watched(stream: Readable, output: PassThrough): Readable {
  if (output.destroyed) {
    // The download was cancelled while the source was being opened.
    stream.destroy();
    return stream;
  }
  const stop = () => stream.destroy();
  output.once('close', stop);
  return stream.on('error', (error) => output.destroy(error)).on('close', () => output.off('close', stop));
}

function toWebStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // Nothing read ahead: the consumer's pace decides when the next file is read.
    { highWaterMark: 0 },
  );
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
