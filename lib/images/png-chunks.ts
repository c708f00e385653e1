/**
 * PNG chunks, read and written without decoding a pixel. Pure and shared by
 * the server (adding a picture's recipe to a download) and the browser
 * (reading one from a file someone drops): Uint8Array, DataView and
 * TextDecoder only — no Node Buffer, no node:zlib — so the same code runs in
 * both. Everything read is bounds-checked: a file is hostile until checked.
 *
 * A PNG is an 8-byte signature, then chunks: length (u32 BE, at most 2^31−1),
 * type (4 ASCII letters), data, CRC-32 of type + data. IHDR comes first (13
 * bytes), IEND last. Text chunks (tEXt, zTXt, iTXt) may stand anywhere between
 * them.
 */

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The largest chunk length the PNG specification allows. */
const MAX_CHUNK_LENGTH = 0x7fffffff;
/** Length + type + CRC around every chunk's data. */
const CHUNK_OVERHEAD = 12;
const IHDR_LENGTH = 13;

export type PngChunkErrorKind = 'not-png' | 'damaged';

/** Why bytes could not be read as a PNG: not one at all, or one that is cut short or malformed. */
export class PngChunkError extends Error {
  constructor(
    readonly kind: PngChunkErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PngChunkError';
  }
}

export type PngChunk = {
  /** Four ASCII letters, e.g. `IHDR`, `tEXt`. */
  type: string;
  /** Where the chunk starts in the file (its length field). */
  offset: number;
  /** The data (a view into the file, not a copy). */
  data: Uint8Array;
  /** The CRC stored in the file (unsigned). */
  crc: number;
};

export function isPng(bytes: Uint8Array): boolean {
  if (bytes.length < PNG_SIGNATURE.length) return false;
  return PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

// ── CRC-32 (ISO-HDLC, as PNG and zlib use it) ────────────────────────────────

let table: Uint32Array | null = null;
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * CRC-32 of `bytes`, unsigned; pass a previous result as `crc` to continue it.
 * A table CRC rather than node:zlib's `crc32`, which browsers do not have (the
 * unit test checks both agree).
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = crcTable();
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Whether a chunk's stored CRC matches its type and data. */
export function chunkCrcOk(chunk: PngChunk): boolean {
  return crc32(chunk.data, crc32(latin1Bytes(chunk.type))) === chunk.crc;
}

// ── Reading ──────────────────────────────────────────────────────────────────

const damaged = (detail: string) => new PngChunkError('damaged', `The PNG is damaged: ${detail}.`);

function isChunkType(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const b = bytes[i];
    if (!((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) return false;
  }
  return true;
}

/**
 * Walks the chunks from IHDR to IEND, checking the structure as it goes: the
 * signature, IHDR first with 13 bytes, every length within the file and the
 * specification's limit, chunk types of four letters, and an IEND before the
 * file ends (a truncated file has none). Bytes after IEND are ignored, as
 * every decoder does. CRCs are not checked here (that would hash every IDAT):
 * check the chunks you read with `chunkCrcOk`. Throws PngChunkError.
 */
export function* walkChunks(bytes: Uint8Array): Generator<PngChunk, void, undefined> {
  if (!isPng(bytes)) throw new PngChunkError('not-png', 'Not a PNG: the file does not start with the PNG signature.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = PNG_SIGNATURE.length;
  let first = true;
  for (;;) {
    if (at + 8 > bytes.length) throw damaged(`it ends at byte ${bytes.length} without an IEND chunk`);
    const length = view.getUint32(at);
    if (!isChunkType(bytes, at + 4)) throw damaged(`the chunk at byte ${at} has no valid type`);
    const type = latin1String(bytes.subarray(at + 4, at + 8));
    if (length > MAX_CHUNK_LENGTH) throw damaged(`the ${type} chunk at byte ${at} claims ${length} bytes`);
    if (at + CHUNK_OVERHEAD + length > bytes.length) throw damaged(`the ${type} chunk at byte ${at} is cut short`);
    if (first && (type !== 'IHDR' || length !== IHDR_LENGTH)) throw damaged('it does not begin with a 13-byte IHDR chunk');
    first = false;
    const data = bytes.subarray(at + 8, at + 8 + length);
    const crc = view.getUint32(at + 8 + length);
    yield { type, offset: at, data, crc };
    at += CHUNK_OVERHEAD + length;
    if (type === 'IEND') return;
  }
}

/** Every chunk, in file order (see walkChunks for the checks). */
export function readChunks(bytes: Uint8Array): PngChunk[] {
  return [...walkChunks(bytes)];
}

// ── Text chunks ──────────────────────────────────────────────────────────────

export type TextChunkType = 'tEXt' | 'zTXt' | 'iTXt';
export const TEXT_CHUNK_TYPES: readonly TextChunkType[] = ['tEXt', 'zTXt', 'iTXt'];

export const isTextChunk = (chunk: Pick<PngChunk, 'type'>): chunk is PngChunk & { type: TextChunkType } =>
  (TEXT_CHUNK_TYPES as readonly string[]).includes(chunk.type);

/**
 * A text chunk's keyword and text. `text` is null when it cannot be read
 * without risk or a decompressor: `compressed` (zTXt, or iTXt with its
 * compression flag set — never inflated here) or `too-large` (over the caller's
 * limit: the text is not decoded at all).
 */
export type TextEntry =
  | { type: TextChunkType; keyword: string; text: string }
  | { type: TextChunkType; keyword: string; text: null; unreadable: 'compressed' | 'too-large' };

/** The keyword of a text chunk: 1–79 Latin-1 bytes before a NUL. Throws PngChunkError when malformed. */
export function textChunkKeyword(chunk: PngChunk): string {
  const end = chunk.data.subarray(0, 80).indexOf(0);
  if (end < 1) throw damaged(`a ${chunk.type} chunk has no valid keyword`);
  return latin1String(chunk.data.subarray(0, end));
}

/**
 * Decodes a tEXt (Latin-1) or iTXt (UTF-8) chunk; zTXt and compressed iTXt
 * are reported, not inflated. A chunk whose data is over `maxBytes` is not
 * decoded. Malformed fields or invalid UTF-8 throw PngChunkError ('damaged').
 * The CRC is the caller's to check (chunkCrcOk).
 */
export function readTextChunk(chunk: PngChunk & { type: TextChunkType }, maxBytes = Number.POSITIVE_INFINITY): TextEntry {
  const { type, data } = chunk;
  const keyword = textChunkKeyword(chunk);
  if (type === 'zTXt') return { type, keyword, text: null, unreadable: 'compressed' };
  if (data.length > maxBytes) return { type, keyword, text: null, unreadable: 'too-large' };
  let at = keyword.length + 1;
  if (type === 'tEXt') return { type, keyword, text: latin1String(data.subarray(at)) };
  // iTXt: compression flag, compression method, language tag NUL, translated keyword NUL, text.
  if (at + 2 > data.length) throw damaged('an iTXt chunk is cut short');
  const compressed = data[at];
  if (compressed !== 0 && compressed !== 1) throw damaged('an iTXt chunk has an invalid compression flag');
  at += 2;
  for (let field = 0; field < 2; field++) {
    const end = data.indexOf(0, at);
    if (end < 0) throw damaged('an iTXt chunk is cut short');
    at = end + 1;
  }
  if (compressed === 1) return { type, keyword, text: null, unreadable: 'compressed' };
  try {
    return { type, keyword, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data.subarray(at)) };
  } catch {
    throw damaged('an iTXt chunk holds invalid UTF-8');
  }
}

// ── Writing ──────────────────────────────────────────────────────────────────

/** A whole chunk (length, type, data, CRC) ready to splice into a file. */
export function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`Not a PNG chunk type: ${JSON.stringify(type)}`);
  if (data.length > MAX_CHUNK_LENGTH) throw new Error('A PNG chunk holds at most 2^31−1 bytes.');
  const typeBytes = latin1Bytes(type);
  const out = new Uint8Array(CHUNK_OVERHEAD + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(data, crc32(typeBytes)));
  return out;
}

/** True when every character of `text` is in Latin-1 (U+0000–U+00FF), the only text a tEXt chunk can hold. */
export function isLatin1(text: string): boolean {
  return /^[\u0000-\u00ff]*$/.test(text);
}

/** PNG keywords: 1–79 printable Latin-1 characters, no leading, trailing or double spaces. */
function checkKeyword(keyword: string) {
  if (!/^[\u0020-\u007e\u00a1-\u00ff]{1,79}$/.test(keyword) || /^ | $| {2}/.test(keyword)) {
    throw new Error(`Not a PNG text keyword: ${JSON.stringify(keyword)}`);
  }
}

/** A tEXt chunk: Latin-1 text without NUL characters (throws otherwise: use itxtChunk). */
export function textChunk(keyword: string, text: string): Uint8Array {
  checkKeyword(keyword);
  if (!isLatin1(text) || text.includes('\u0000')) throw new Error('tEXt holds Latin-1 text without NUL characters; use iTXt.');
  return encodeChunk('tEXt', concat([latin1Bytes(keyword), Uint8Array.of(0), latin1Bytes(text)]));
}

/** An uncompressed iTXt chunk: UTF-8 text (no NUL), no language tag, no translated keyword. */
export function itxtChunk(keyword: string, text: string): Uint8Array {
  checkKeyword(keyword);
  if (text.includes('\u0000')) throw new Error('iTXt text may not contain NUL characters.');
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text.
  return encodeChunk('iTXt', concat([latin1Bytes(keyword), Uint8Array.of(0, 0, 0, 0, 0), new TextEncoder().encode(text)]));
}

/**
 * The file with `chunks` (whole, encoded chunks) right after IHDR, before any
 * other chunk. The input is not changed; its other bytes are copied as they are.
 */
export function insertAfterIhdr(bytes: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  const walk = walkChunks(bytes);
  walk.next(); // checks the signature and that IHDR comes first with 13 bytes
  const cut = PNG_SIGNATURE.length + CHUNK_OVERHEAD + IHDR_LENGTH;
  return concat([bytes.subarray(0, cut), ...chunks, bytes.subarray(cut)]);
}

/**
 * The file without the chunks `drop` picks (IHDR and IEND are always kept).
 * Walks the whole file (see walkChunks); returns the input itself when nothing
 * is dropped. Bytes after IEND are kept.
 */
export function removeChunks(bytes: Uint8Array, drop: (chunk: PngChunk) => boolean): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, PNG_SIGNATURE.length)];
  let dropped = false;
  let end = PNG_SIGNATURE.length;
  for (const chunk of walkChunks(bytes)) {
    end = chunk.offset + CHUNK_OVERHEAD + chunk.data.length;
    if (chunk.type !== 'IHDR' && chunk.type !== 'IEND' && drop(chunk)) dropped = true;
    else parts.push(bytes.subarray(chunk.offset, end));
  }
  if (!dropped) return bytes;
  parts.push(bytes.subarray(end));
  return concat(parts);
}

// ── Bytes ⇄ strings ──────────────────────────────────────────────────────────

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Latin-1 as PNG means it (ISO 8859-1: byte = code point), not TextDecoder's "latin1" (windows-1252). */
function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function latin1String(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
