import { describe, expect, it } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import sharp from 'sharp';
import {
  chunkCrcOk,
  crc32,
  encodeChunk,
  insertAfterIhdr,
  isLatin1,
  isPng,
  itxtChunk,
  PngChunkError,
  readChunks,
  readTextChunk,
  removeChunks,
  textChunk,
  type PngChunk,
} from '@/lib/images/png-chunks';

/** A real 16×9 PNG from sharp (signature, IHDR, IDAT…, IEND). */
const png = () =>
  sharp({ create: { width: 16, height: 9, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .png()
    .toBuffer();

const bytes = (text: string) => new TextEncoder().encode(text);
const types = (file: Uint8Array) => readChunks(file).map((c) => c.type);
const textOf = (chunk: PngChunk) => readTextChunk(chunk as PngChunk & { type: 'tEXt' | 'iTXt' | 'zTXt' });

function caught(fn: () => unknown): PngChunkError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PngChunkError) return error;
    throw error;
  }
  throw new Error('expected a PngChunkError');
}

describe('CRC-32', () => {
  it('matches the check value of CRC-32/ISO-HDLC and node:zlib', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    // IEND's CRC, which every PNG ends with.
    expect(crc32(bytes('IEND'))).toBe(0xae426082);
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff);
    expect(crc32(random)).toBe(zlibCrc32(random) >>> 0);
  });

  it('continues from a previous value', () => {
    expect(crc32(bytes('56789'), crc32(bytes('1234')))).toBe(0xcbf43926);
  });
});

describe('reading chunks', () => {
  it('lists a real PNG’s chunks from IHDR to IEND with correct CRCs', async () => {
    const file = await png();
    expect(isPng(file)).toBe(true);
    const chunks = readChunks(file);
    expect(chunks[0]).toMatchObject({ type: 'IHDR', offset: 8 });
    expect(chunks[0].data).toHaveLength(13);
    expect(chunks.at(-1)?.type).toBe('IEND');
    expect(chunks.some((c) => c.type === 'IDAT')).toBe(true);
    for (const chunk of chunks) expect(chunkCrcOk(chunk), chunk.type).toBe(true);
  });

  it('refuses what is not a PNG', () => {
    expect(isPng(bytes('GIF89a........'))).toBe(false);
    expect(caught(() => readChunks(bytes('<html>not a picture</html>'))).kind).toBe('not-png');
    expect(caught(() => readChunks(new Uint8Array(3))).kind).toBe('not-png');
  });

  it('reports a truncated file as damaged, wherever it is cut', async () => {
    const file = await png();
    for (const end of [8, 12, 20, 33, 40, file.length - 12, file.length - 1]) {
      const error = caught(() => readChunks(file.subarray(0, end)));
      expect(error.kind, `cut at ${end}`).toBe('damaged');
      expect(error.message).toMatch(/^The PNG is damaged/);
    }
  });

  it('checks bounds: a length past the end or beyond 2^31−1, a bad type, a missing IHDR', async () => {
    const file = new Uint8Array(await png());
    const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

    const huge = file.slice();
    view(huge).setUint32(8, 0xfffffff0);
    expect(caught(() => readChunks(huge)).message).toMatch(/claims/);

    const idatAt = readChunks(file).find((c) => c.type === 'IDAT')!.offset;
    const past = file.slice();
    view(past).setUint32(idatAt, file.length);
    expect(caught(() => readChunks(past)).message).toMatch(/cut short/);

    const badType = file.slice();
    badType[idatAt + 5] = 0x31; // "I1AT"
    expect(caught(() => readChunks(badType)).message).toMatch(/no valid type/);

    const noIhdr = file.slice();
    noIhdr.set(bytes('IHDX'), 12);
    expect(caught(() => readChunks(noIhdr)).message).toMatch(/IHDR/);
  });

  it('finds a damaged chunk by its CRC', async () => {
    const file = new Uint8Array(await png());
    const withText = insertAfterIhdr(file, [textChunk('Comment', 'hello')]);
    const text = readChunks(withText)[1];
    withText[text.offset + 8 + 8] ^= 0x01; // flip a bit of the text
    const flipped = readChunks(withText)[1];
    expect(chunkCrcOk(flipped)).toBe(false);
  });

  it('ignores bytes after IEND, as decoders do', async () => {
    const file = await png();
    const trailing = new Uint8Array([...file, 1, 2, 3]);
    expect(types(trailing)).toEqual(types(file));
  });
});

describe('text chunks', () => {
  it('writes tEXt as Latin-1 and iTXt as uncompressed UTF-8, and reads both back', () => {
    const latin = encodeAndRead(textChunk('parameters', 'café au lait\nSeed: 1'));
    expect(latin).toEqual({ type: 'tEXt', keyword: 'parameters', text: 'café au lait\nSeed: 1' });
    const utf8 = encodeAndRead(itxtChunk('darkroom', '{"prompt":"東京の夜 🌃"}'));
    expect(utf8).toEqual({ type: 'iTXt', keyword: 'darkroom', text: '{"prompt":"東京の夜 🌃"}' });
  });

  it('uses Latin-1 byte for byte (é is one byte 0xE9, not UTF-8)', () => {
    const chunk = textChunk('k', 'é');
    expect([...chunk.subarray(8, 8 + 3)]).toEqual([0x6b, 0x00, 0xe9]);
  });

  it('refuses to write text tEXt cannot hold, and bad keywords', () => {
    expect(isLatin1('naïve')).toBe(true);
    expect(isLatin1('naïve 東京')).toBe(false);
    expect(() => textChunk('parameters', '東京')).toThrow(/iTXt/);
    expect(() => textChunk('k', 'a\u0000b')).toThrow();
    expect(() => itxtChunk('', 'x')).toThrow(/keyword/);
    expect(() => itxtChunk('x'.repeat(80), 'x')).toThrow(/keyword/);
    expect(() => itxtChunk(' lead', 'x')).toThrow(/keyword/);
  });

  it('does not inflate compressed text and does not decode text over the limit', () => {
    const ztxt = parse(encodeChunk('zTXt', new Uint8Array([...bytes('k'), 0, 0, 0x78, 0x9c])));
    expect(readTextChunk(ztxt)).toMatchObject({ keyword: 'k', text: null, unreadable: 'compressed' });
    const compressedItxt = parse(encodeChunk('iTXt', new Uint8Array([...bytes('k'), 0, 1, 0, 0, 0, 0x78, 0x9c])));
    expect(readTextChunk(compressedItxt)).toMatchObject({ text: null, unreadable: 'compressed' });
    const big = parse(textChunk('parameters', 'x'.repeat(70_000)));
    expect(readTextChunk(big, 64 * 1024)).toMatchObject({ keyword: 'parameters', text: null, unreadable: 'too-large' });
  });

  it('reports malformed text chunks as damaged', () => {
    const noKeyword = parse(encodeChunk('tEXt', bytes('no separator here')));
    expect(caught(() => textOf(noKeyword)).kind).toBe('damaged');
    const shortItxt = parse(encodeChunk('iTXt', new Uint8Array([...bytes('k'), 0, 0])));
    expect(caught(() => textOf(shortItxt)).kind).toBe('damaged');
    const badUtf8 = parse(encodeChunk('iTXt', new Uint8Array([...bytes('k'), 0, 0, 0, 0, 0, 0xff, 0xfe])));
    expect(caught(() => textOf(badUtf8)).message).toMatch(/UTF-8/);
  });
});

describe('inserting and removing chunks', () => {
  it('inserts right after IHDR, before IDAT, in the order given, leaving everything else byte for byte', async () => {
    const file = await png();
    const out = insertAfterIhdr(file, [itxtChunk('darkroom', '{}'), textChunk('parameters', 'p')]);
    expect(types(out)).toEqual(['IHDR', 'iTXt', 'tEXt', ...types(file).slice(1)]);
    for (const chunk of readChunks(out)) expect(chunkCrcOk(chunk), chunk.type).toBe(true);
    const inserted = readChunks(out).slice(1, 3).map(textOf);
    expect(inserted.map((t) => [t.keyword, t.text])).toEqual([
      ['darkroom', '{}'],
      ['parameters', 'p'],
    ]);
    // The input is untouched, and removing the chunks again gives it back exactly.
    expect(Buffer.from(out.subarray(0, 33)).equals(file.subarray(0, 33))).toBe(true);
    const back = removeChunks(out, (c) => c.type === 'iTXt' || c.type === 'tEXt');
    expect(Buffer.from(back).equals(file)).toBe(true);
  });

  it('still decodes with sharp (an independent reader), which sees the text', async () => {
    const file = await png();
    const out = insertAfterIhdr(file, [textChunk('Comment', 'made here')]);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 16, 9]);
    expect(meta.comments).toContainEqual({ keyword: 'Comment', text: 'made here' });
  });

  it('returns the input itself when nothing is removed, and refuses a damaged file', async () => {
    const file = await png();
    expect(removeChunks(file, () => false)).toBe(file);
    expect(caught(() => insertAfterIhdr(bytes('nope'), [])).kind).toBe('not-png');
    expect(caught(() => removeChunks(file.subarray(0, file.length - 4), () => true)).kind).toBe('damaged');
  });
});

/** A lone encoded chunk as readChunks would return it. */
function parse(encoded: Uint8Array): PngChunk & { type: 'tEXt' | 'iTXt' | 'zTXt' } {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const length = view.getUint32(0);
  const chunk = {
    type: String.fromCharCode(...encoded.subarray(4, 8)),
    offset: 0,
    data: encoded.subarray(8, 8 + length),
    crc: view.getUint32(8 + length),
  } as PngChunk & { type: 'tEXt' | 'iTXt' | 'zTXt' };
  expect(chunkCrcOk(chunk)).toBe(true);
  return chunk;
}

function encodeAndRead(encoded: Uint8Array) {
  const { type, keyword, text } = readTextChunk(parse(encoded));
  return { type, keyword, text };
}
