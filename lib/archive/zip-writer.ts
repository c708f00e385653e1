import { readFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3, no ZIP64) for exports.
 *
 * Every entry's stored size is known before the first byte is sent — files
 * on disk have a size, small in-memory entries (the manifests) are deflated
 * up front — so the archive's exact length is computed in advance and the
 * server can send `Content-Length`: browsers then show real download progress.
 *
 * Files are stored (PNG/WebP/JPEG are compressed already) and read one at a
 * time when their turn comes: memory holds at most one picture, whatever the
 * number of entries. Reading the file before writing its local header lets
 * the header carry the CRC-32 and sizes, so no data descriptors are needed
 * and even strict streaming readers (Java's ZipInputStream, `unzip -`) can
 * read the archive front to back.
 *
 * Without ZIP64 an archive is limited to 4 GiB and 65,534 entries; larger
 * plans are refused with a ZipLimitError before anything is sent.
 */

export type ZipInput =
  /** Small content in memory; `compress` deflates it (text), otherwise stored. */
  | { name: string; modified?: Date; data: Uint8Array; compress?: boolean }
  /** A file on disk, stored as is; `size` must be its length when streamed. */
  | { name: string; modified?: Date; file: string; size: number };

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

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** Extended timestamp extra field (0x5455) carrying only the modification time: UTC, unlike DOS times. */
const TIME_EXTRA = 9;
const FLAG_UTF8 = 1 << 11;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const VERSION_NEEDED = 20; // 2.0: deflate, folders
const VERSION_MADE_BY = (3 << 8) | 63; // UNIX, APPNOTE 6.3 — so external attributes carry permissions
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0; // regular file, rw-r--r--

type PlannedEntry = {
  name: Buffer;
  modified: Date;
  method: number;
  /** Bytes as stored in the archive. */
  storedSize: number;
  /** Offset of the local header. */
  offset: number;
  /** Known in advance for in-memory entries, filled in while streaming for files. */
  crc: number | null;
  size: number;
  data: Uint8Array | null;
  file: string | null;
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
    throw new ZipLimitError(`A zip file holds at most ${ZIP_MAX_ENTRIES.toLocaleString('en')} entries; this one would have ${inputs.length.toLocaleString('en')}.`);
  }
  const seen = new Set<string>();
  const entries: PlannedEntry[] = [];
  let offset = 0;
  let centralSize = 0;
  for (const input of inputs) {
    checkEntryName(input.name);
    if (seen.has(input.name)) throw new ZipLimitError(`Duplicate zip entry name ${JSON.stringify(input.name)}.`);
    seen.add(input.name);
    const name = Buffer.from(input.name, 'utf8');
    if (name.length > 0xffff) throw new ZipLimitError(`Zip entry name is too long: ${input.name.slice(0, 40)}…`);

    let entry: PlannedEntry;
    if ('data' in input) {
      const compressed = input.compress ? deflateRawSync(input.data, { level: 6 }) : null;
      // Deflate only when it helps (it always does for text; never grows stored data).
      const useDeflate = compressed !== null && compressed.length < input.data.length;
      const stored = useDeflate ? compressed : input.data;
      entry = {
        name,
        modified: input.modified ?? new Date(),
        method: useDeflate ? METHOD_DEFLATE : METHOD_STORE,
        storedSize: stored.length,
        size: input.data.length,
        crc: crc32(input.data),
        data: stored,
        file: null,
        offset,
      };
    } else {
      if (!Number.isSafeInteger(input.size) || input.size < 0) throw new ZipLimitError(`Invalid size for ${input.name}.`);
      entry = {
        name,
        modified: input.modified ?? new Date(),
        method: METHOD_STORE,
        storedSize: input.size,
        size: input.size,
        crc: null,
        data: null,
        file: input.file,
        offset,
      };
    }
    if (entry.size > ZIP_MAX_BYTES - 1) throw new ZipLimitError(`${input.name} is larger than a zip file without ZIP64 allows.`);
    entries.push(entry);
    offset += LOCAL_HEADER + name.length + TIME_EXTRA + entry.storedSize;
    centralSize += CENTRAL_HEADER + name.length + TIME_EXTRA;
  }
  const centralOffset = offset;
  const length = centralOffset + centralSize + END_RECORD;
  // Offsets and sizes in the headers are 32-bit; ZIP64 would be needed beyond this.
  if (length > ZIP_MAX_BYTES) {
    throw new ZipLimitError(
      `This archive would be ${formatBytes(length)}; a zip file is limited to 4 GiB here. Export fewer pictures at a time.`,
    );
  }

  return {
    length,
    entryCount: entries.length,
    stream: () => streamEntries(entries, centralOffset, centralSize, length),
  };
}

function streamEntries(entries: PlannedEntry[], centralOffset: number, centralSize: number, length: number) {
  // CRCs of file entries are learned while streaming; keep per-stream copies.
  const crcs = entries.map((e) => e.crc);
  let index = 0;
  let written = 0;
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (finished) return;
        try {
          if (index < entries.length) {
            const entry = entries[index];
            let data = entry.data;
            if (entry.file !== null) {
              data = await readFile(entry.file);
              if (data.length !== entry.size) {
                throw new Error(`${entry.file} changed size while being exported (${data.length} bytes, expected ${entry.size}).`);
              }
              crcs[index] = crc32(data);
            }
            const header = localHeader(entry, crcs[index]!);
            controller.enqueue(header);
            if (data!.length) controller.enqueue(data!);
            written += header.length + data!.length;
            index++;
            return;
          }
          const tail = Buffer.concat([
            ...entries.map((entry, i) => centralHeader(entry, crcs[i]!)),
            endRecord(entries.length, centralSize, centralOffset),
          ]);
          controller.enqueue(tail);
          written += tail.length;
          finished = true;
          if (written !== length) throw new Error(`Zip length mismatch: wrote ${written} bytes, announced ${length}.`);
          controller.close();
        } catch (error) {
          finished = true;
          controller.error(error);
        }
      },
      cancel() {
        finished = true;
      },
    },
    // One entry in flight at a time: the consumer's pace decides when the next file is read.
    { highWaterMark: 1 },
  );
}

function dosDateTime(date: Date): { time: number; date: number } {
  // DOS times are local time and cannot go before 1980; the UT extra field has the exact UTC time.
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function timeExtra(date: Date): Buffer {
  const extra = Buffer.alloc(TIME_EXTRA);
  extra.writeUInt16LE(0x5455, 0);
  extra.writeUInt16LE(5, 2);
  extra.writeUInt8(1, 4); // flags: modification time present
  extra.writeUInt32LE(Math.min(Math.max(Math.floor(date.getTime() / 1000), 0), 0xffff_ffff), 5);
  return extra;
}

/**
 * The fields the local header and the central directory record share, in the
 * same order (APPNOTE 4.3.7 / 4.3.12): version needed, flags, method, time,
 * date, CRC, sizes, name length, extra length. 26 bytes from `at`.
 */
function writeEntryFields(header: Buffer, at: number, entry: PlannedEntry, crc: number): void {
  const { time, date } = dosDateTime(entry.modified);
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(FLAG_UTF8, at + 2);
  header.writeUInt16LE(entry.method, at + 4);
  header.writeUInt16LE(time, at + 6);
  header.writeUInt16LE(date, at + 8);
  header.writeUInt32LE(crc >>> 0, at + 10);
  header.writeUInt32LE(entry.storedSize, at + 14);
  header.writeUInt32LE(entry.size, at + 18);
  header.writeUInt16LE(entry.name.length, at + 22);
  header.writeUInt16LE(TIME_EXTRA, at + 24);
}

function localHeader(entry: PlannedEntry, crc: number): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER);
  header.writeUInt32LE(0x04034b50, 0);
  writeEntryFields(header, 4, entry, crc);
  return Buffer.concat([header, entry.name, timeExtra(entry.modified)]);
}

function centralHeader(entry: PlannedEntry, crc: number): Buffer {
  const header = Buffer.alloc(CENTRAL_HEADER);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  writeEntryFields(header, 6, entry, crc);
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(FILE_ATTRIBUTES, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name, timeExtra(entry.modified)]);
}

function endRecord(count: number, centralSize: number, centralOffset: number): Buffer {
  const record = Buffer.alloc(END_RECORD);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(0, 4); // this disk
  record.writeUInt16LE(0, 6); // disk with the central directory
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(centralSize, 12);
  record.writeUInt32LE(centralOffset, 16);
  record.writeUInt16LE(0, 20); // comment length
  return record;
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
