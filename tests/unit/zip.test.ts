import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { csvRecord } from '@/lib/archive/csv';
import { archiveFileName, MANIFEST_COLUMNS, manifestCsv, type ManifestTask } from '@/lib/archive/manifest';
import { openZip, ZipFormatError } from '@/lib/archive/zip-reader';
import { prepareZip, ZipLimitError, type ZipInput } from '@/lib/archive/zip-writer';

/** RFC 4180 as spreadsheets read it (csv-parse, strict about quotes), the UTF-8 BOM skipped. */
const parseCsv = (text: string) => parse(text, { bom: true });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'darkroom-zip-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Streams a prepared zip to a file; returns its bytes and path. */
async function writeZip(inputs: ZipInput[]) {
  const zip = prepareZip(inputs);
  const chunks: Uint8Array[] = [];
  const reader = zip.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  const file = path.join(dir, `archive-${counter++}.zip`);
  writeFileSync(file, bytes);
  return { zip, bytes, file };
}

function hasTool(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PROMPT_EDGE_CASES = [
  'plain',
  'comma, inside',
  'a "quoted" word',
  '"starts and ends with quotes"',
  'line one\nline two',
  'windows\r\nline break',
  'trailing space ',
  ' leading space',
  '',
  'Café crème — 東京の夜 🌃',
  ',,,""\n\r',
  '=1+2 looks like a formula',
];

describe('zip writer → reader', () => {
  it('round-trips stored files, deflated text and non-ASCII names with an exact announced length', async () => {
    const picture = randomBytes(200_000); // incompressible, like a PNG
    const pictureFile = path.join(dir, 'picture.bin');
    writeFileSync(pictureFile, picture);
    const emptyFile = path.join(dir, 'empty.bin');
    writeFileSync(emptyFile, '');
    const text = Buffer.from('hello, manifest\n'.repeat(5_000));

    const { zip, bytes, file } = await writeZip([
      { name: 'manifest.json', data: text, compress: true, modified: new Date('2026-11-26T10:00:00Z') },
      { name: 'images/café-東京-seed-1-abcdef12.png', file: pictureFile, size: picture.length },
      { name: 'images/empty.png', file: emptyFile, size: 0 },
      { name: 'raw.bin', data: Buffer.from([1, 2, 3]) },
    ]);
    expect(bytes.length).toBe(zip.length);
    expect(zip.entryCount).toBe(4);
    // Deflate made the text entry much smaller than it is.
    expect(bytes.length).toBeLessThan(text.length / 4 + picture.length + 2_000);

    const archive = await openZip(file);
    try {
      expect(archive.entries.map((e) => e.name)).toEqual([
        'manifest.json',
        'images/café-東京-seed-1-abcdef12.png',
        'images/empty.png',
        'raw.bin',
      ]);
      expect(archive.get('manifest.json')!.method).toBe(8);
      expect(archive.get('images/café-東京-seed-1-abcdef12.png')!.method).toBe(0);
      expect((await archive.read(archive.get('manifest.json')!)).equals(text)).toBe(true);
      expect((await archive.read(archive.get('images/café-東京-seed-1-abcdef12.png')!)).equals(picture)).toBe(true);
      expect((await archive.read(archive.get('images/empty.png')!)).length).toBe(0);
      expect([...(await archive.read(archive.get('raw.bin')!))]).toEqual([1, 2, 3]);
    } finally {
      await archive.close();
    }
  });

  it('writes archives other tools accept (unzip, Python zipfile)', async (context) => {
    const haveUnzip = hasTool('unzip', ['-v']);
    const havePython = hasTool('python3', ['--version']);
    if (!haveUnzip && !havePython) context.skip();
    const pictureFile = path.join(dir, 'tool.bin');
    writeFileSync(pictureFile, randomBytes(10_000));
    const { file } = await writeZip([
      { name: 'manifest.csv', data: Buffer.from('a,b\r\n1,2\r\n'), compress: true },
      { name: 'images/ñandú-seed-7-0123abcd.png', file: pictureFile, size: 10_000 },
    ]);
    if (haveUnzip) {
      expect(execFileSync('unzip', ['-t', file]).toString()).toContain('No errors detected');
    }
    if (havePython) {
      const out = execFileSync('python3', [
        '-c',
        'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("|".join(z.namelist()))',
        file,
      ]).toString();
      expect(out.trim()).toBe('manifest.csv|images/ñandú-seed-7-0123abcd.png');
    }
  });

  it('refuses unsafe or duplicate names when writing', () => {
    for (const name of ['../evil.png', 'images/../../evil.png', '/etc/passwd', 'C:/windows.png', 'images\\evil.png', 'a/./b', '']) {
      expect(() => prepareZip([{ name, data: Buffer.from('x') }])).toThrow(ZipLimitError);
    }
    expect(() =>
      prepareZip([
        { name: 'same', data: Buffer.from('x') },
        { name: 'same', data: Buffer.from('y') },
      ]),
    ).toThrow(/Duplicate/);
  });

  it('refuses clearly beyond 4 GiB (no ZIP64) without reading anything', () => {
    const huge = Array.from({ length: 3 }, (_, i) => ({ name: `images/${i}.png`, file: '/nonexistent', size: 1.5 * 1024 ** 3 }));
    expect(() => prepareZip(huge)).toThrow(/limited to 4 GiB/);
    expect(() => prepareZip(huge.slice(0, 2))).not.toThrow();
  });

  it('announces the exact length also when the central directory passes 64 KiB', async () => {
    // ~700 entries × ~110-byte central records: yazl's own total would be 76 bytes too long here.
    const inputs = Array.from({ length: 700 }, (_, i) => ({
      name: `images/a-rather-long-prompt-about-a-harbour-at-dusk-seed-${i}-${String(i).padStart(8, '0')}.png`,
      data: Buffer.from([i & 255]),
    }));
    const { zip, bytes, file } = await writeZip(inputs);
    expect(bytes.length).toBe(zip.length);
    const archive = await openZip(file);
    try {
      expect(archive.entries).toHaveLength(700);
      expect([...(await archive.read(archive.get(inputs[699].name)!))]).toEqual([699 & 255]);
    } finally {
      await archive.close();
    }
  });

  it('fails the stream when a file vanished before its turn', async () => {
    const vanishing = path.join(dir, 'vanishing.bin');
    writeFileSync(vanishing, Buffer.alloc(100));
    const zip = prepareZip([
      { name: 'manifest.json', data: Buffer.from('{}') },
      { name: 'a.png', file: vanishing, size: 100 },
    ]);
    rmSync(vanishing);
    await expect(new Response(zip.stream()).arrayBuffer()).rejects.toThrow();
  });

  it('fails the stream (never sends a wrong archive) when a file changed size', async () => {
    const shrinking = path.join(dir, 'shrinking.bin');
    writeFileSync(shrinking, Buffer.alloc(100));
    const zip = prepareZip([{ name: 'a.png', file: shrinking, size: 100 }]);
    writeFileSync(shrinking, Buffer.alloc(50));
    await expect(new Response(zip.stream()).arrayBuffer()).rejects.toThrow();
  });
});

describe('zip writer with streamed sources (a picture store without local files)', () => {
  /** A source of `size` bytes in 64 KiB pieces that records when it is open; `failAfter` breaks it midway. */
  function source(bytes: Buffer, state: { open: number; most: number; opened: string[] }, name: string, failAfter?: number) {
    return async () => {
      state.opened.push(name);
      state.open++;
      state.most = Math.max(state.most, state.open);
      const stream = Readable.from(
        (function* () {
          for (let at = 0; at < bytes.length; at += 64 * 1024) {
            if (failAfter !== undefined && at >= failAfter) throw new Error('connection reset');
            yield bytes.subarray(at, at + 64 * 1024);
          }
        })(),
      );
      // Done when its bytes ended (the next entry may open before 'close' follows) or when destroyed.
      let done = false;
      const finish = () => {
        if (!done) state.open--;
        done = true;
      };
      return stream.on('end', finish).on('close', finish);
    };
  }

  it('opens each source only when its turn comes, one at a time, with an exact length', async () => {
    const state = { open: 0, most: 0, opened: [] as string[] };
    const pictures = [randomBytes(300_000), randomBytes(0), randomBytes(150_001)];
    const inputs: ZipInput[] = [
      { name: 'manifest.json', data: Buffer.from('{"version":1}'), compress: true },
      ...pictures.map((bytes, i) => ({ name: `images/p${i}.png`, size: bytes.length, open: source(bytes, state, `p${i}`) })),
    ];
    const prepared = prepareZip(inputs);
    expect(state.opened).toEqual([]); // planning reads nothing
    const { bytes, file } = await writeZip(inputs);
    expect(bytes.length).toBe(prepared.length);
    expect(state).toMatchObject({ most: 1, open: 0, opened: ['p0', 'p1', 'p2'] });
    const archive = await openZip(file);
    try {
      for (const [i, picture] of pictures.entries()) {
        expect((await archive.read(archive.get(`images/p${i}.png`)!)).equals(picture)).toBe(true);
      }
    } finally {
      await archive.close();
    }
  });

  it('fails the archive when a source cannot be opened, breaks midway or is not its planned size', async () => {
    const state = { open: 0, most: 0, opened: [] as string[] };
    const bytes = randomBytes(200_000);
    const gone = prepareZip([{ name: 'a.png', size: bytes.length, open: () => Promise.reject(new Error('gone from the store')) }]);
    await expect(new Response(gone.stream()).arrayBuffer()).rejects.toThrow(/gone from the store/);
    const broken = prepareZip([{ name: 'a.png', size: bytes.length, open: source(bytes, state, 'broken', 100_000) }]);
    await expect(new Response(broken.stream()).arrayBuffer()).rejects.toThrow();
    const short = prepareZip([{ name: 'a.png', size: bytes.length + 1, open: source(bytes, state, 'short') }]);
    await expect(new Response(short.stream()).arrayBuffer()).rejects.toThrow();
    expect(state.open).toBe(0);
  });

  it('closes the open source when the download is cancelled', async () => {
    const state = { open: 0, most: 0, opened: [] as string[] };
    const zip = prepareZip([{ name: 'big.png', size: 8 * 1024 * 1024, open: source(randomBytes(8 * 1024 * 1024), state, 'big') }]);
    const reader = zip.stream().getReader();
    await reader.read();
    await reader.read();
    expect(state.open).toBe(1);
    await reader.cancel();
    await expect.poll(() => state.open).toBe(0);
  });
});

describe('zip reader on hostile input', () => {
  /** A valid archive with an entry name replaced in place (same byte length) in both headers. */
  async function withRenamedEntry(from: string, to: string) {
    expect(Buffer.byteLength(from)).toBe(Buffer.byteLength(to));
    const { bytes } = await writeZip([{ name: from, data: Buffer.from('payload') }]);
    const tampered = Buffer.from(
      bytes.toString('latin1').split(Buffer.from(from).toString('latin1')).join(Buffer.from(to).toString('latin1')),
      'latin1',
    );
    const file = path.join(dir, `tampered-${counter++}.zip`);
    writeFileSync(file, tampered);
    return file;
  }

  it('refuses path traversal and absolute names', async () => {
    for (const name of ['../../etc/cron.d/x', '/root/.ssh/authorized', 'C:/Windows/System32/x', 'a\\..\\..\\b']) {
      const file = await withRenamedEntry('x'.repeat(Buffer.byteLength(name)), name);
      await expect(openZip(file)).rejects.toThrow(/Unsafe file name/);
    }
  });

  it('refuses non-zip and truncated files', async () => {
    const text = path.join(dir, 'not.zip');
    writeFileSync(text, 'just some text, certainly not a zip archive');
    await expect(openZip(text)).rejects.toThrow('This is not a zip file.');
    const tiny = path.join(dir, 'tiny.zip');
    writeFileSync(tiny, 'PK');
    await expect(openZip(tiny)).rejects.toBeInstanceOf(ZipFormatError);

    const { bytes } = await writeZip([{ name: 'a.bin', data: randomBytes(5_000) }]);
    const truncated = path.join(dir, 'truncated.zip');
    writeFileSync(truncated, bytes.subarray(0, 3_000));
    await expect(openZip(truncated)).rejects.toThrow(/incomplete/);
  });

  it('refuses too many entries and absurd sizes', async () => {
    const { file } = await writeZip(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: Buffer.from([i]) })));
    await expect(openZip(file, { maxEntries: 10, maxEntrySize: 1e6, maxTotalSize: 1e9 })).rejects.toThrow(/20 entries/);

    const big = await writeZip([{ name: 'big.bin', data: Buffer.alloc(5_000), compress: true }]);
    await expect(openZip(big.file, { maxEntries: 10, maxEntrySize: 1_000, maxTotalSize: 1e9 })).rejects.toThrow(/too large/);
    await expect(openZip(big.file, { maxEntries: 10, maxEntrySize: 1e6, maxTotalSize: 1_000 })).rejects.toThrow(/more than/);
  });

  it('refuses overlapping entries (zip bomb) and ZIP64 markers', async () => {
    const { bytes } = await writeZip([
      { name: 'a', data: randomBytes(1_000) },
      { name: 'b', data: randomBytes(1_000) },
    ]);
    // Point entry b's central header at entry a's data: both would share the same bytes.
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const second = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), central + 4);
    const overlapping = Buffer.from(bytes);
    overlapping.writeUInt32LE(0, second + 42);
    overlapping.writeUInt32LE(overlapping.readUInt32LE(second + 20) * 1_000, second + 20); // and claim more data
    overlapping.writeUInt32LE(overlapping.readUInt32LE(second + 20), second + 24);
    const bomb = path.join(dir, 'bomb.zip');
    writeFileSync(bomb, overlapping);
    await expect(openZip(bomb)).rejects.toThrow(/overlap/);

    const zip64 = Buffer.from(bytes);
    zip64.writeUInt32LE(0xffffffff, zip64.length - 6); // central directory offset → "see ZIP64"
    const zip64File = path.join(dir, 'zip64.zip');
    writeFileSync(zip64File, zip64);
    await expect(openZip(zip64File)).rejects.toThrow(/ZIP64/);
  });

  it('detects a damaged entry by its CRC-32 when reading it, and keeps the others readable', async () => {
    const good = randomBytes(2_000);
    const victim = randomBytes(2_000);
    const { bytes } = await writeZip([
      { name: 'good.png', data: good },
      { name: 'victim.png', data: victim },
      { name: 'notes.txt', data: Buffer.from('text '.repeat(1_000)), compress: true },
    ]);
    const damaged = Buffer.from(bytes);
    damaged[damaged.indexOf(victim) + 1_000] ^= 0xff;
    // Garble the deflated text too: inflate fails or the CRC does.
    const notesHeader = damaged.indexOf(Buffer.from('notes.txt'));
    damaged[notesHeader + 9 + 9 + 5] ^= 0xff;
    const file = path.join(dir, 'damaged.zip');
    writeFileSync(file, damaged);

    const archive = await openZip(file);
    try {
      expect((await archive.read(archive.get('good.png')!)).equals(good)).toBe(true);
      await expect(archive.read(archive.get('victim.png')!)).rejects.toThrow(/CRC-32/);
      await expect(archive.read(archive.get('notes.txt')!)).rejects.toBeInstanceOf(ZipFormatError);
    } finally {
      await archive.close();
    }
  });
});

describe('manifest CSV', () => {
  it('quotes per RFC 4180 and parses back to the same values', () => {
    const records = PROMPT_EDGE_CASES.map((prompt, i) => [String(i), prompt, '']);
    const text = records.map((r) => csvRecord(r)).join('');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(csvRecord(['a "q"', 'x,y', 'plain'])).toBe('"a ""q""","x,y",plain\r\n');
    expect(parseCsv(text)).toEqual(records);
  });

  it('has one header row and one row per task, in the JSON manifest’s columns', () => {
    const tasks: ManifestTask[] = PROMPT_EDGE_CASES.map((prompt, i) => ({
      id: `00000000-0000-4000-8000-00000000000${i % 10}`,
      prompt,
      ratio: '720:720',
      seed: 4294967295 - i,
      status: i % 3 ? 'COMPLETED' : 'FAILED',
      statusDetail: i % 3 ? null : 'The provider said: "no", sorry',
      origin: 'new',
      parentId: null,
      favorite: i % 2 === 0,
      createdAt: '2026-11-26T10:00:00.000Z',
      finishedAt: null,
      file: i % 3 ? `images/x-${i}.png` : null,
      sha256: null,
      width: 720,
      height: 720,
      mimeType: 'image/png',
      batchId: i % 2 ? null : '00000000-0000-4000-8000-0000000000b0',
      batchIndex: i % 2 ? null : i % 4,
      batchSize: i % 2 ? null : 4,
      model: i % 2 ? 'runway' : 'flux-dev',
      params: { prompt, seed: 4294967295 - i },
    }));
    const text = manifestCsv(tasks);
    expect(text.startsWith('\ufeffid,prompt,')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...MANIFEST_COLUMNS]);
    expect(rows).toHaveLength(tasks.length);
    rows.forEach((row, i) => {
      const expected = MANIFEST_COLUMNS.map((c) => {
        const v = tasks[i][c];
        if (c === 'params') return JSON.stringify(v); // the body, as JSON in one cell
        return v === null ? '' : String(v);
      });
      expect(row).toEqual(expected);
    });
  });

  it('names archive files after the prompt, seed and id, uniquely', () => {
    const taken = new Set<string>();
    const a = archiveFileName(
      { id: 'abcdef12-0000-4000-8000-000000000001', prompt: 'Café at night, "rainy"', seed: 42 },
      'image/png',
      taken,
    );
    const b = archiveFileName(
      { id: 'abcdef12-0000-4000-8000-000000000002', prompt: 'Café at night, "rainy"', seed: 42 },
      'image/png',
      taken,
    );
    expect(a).toBe('images/cafe-at-night-rainy-seed-42-abcdef12.png');
    expect(b).toBe('images/cafe-at-night-rainy-seed-42-abcdef12-0000-4000-8000-000000000002.png');
    expect(archiveFileName({ id: '12345678-x', prompt: '東京', seed: 1 }, 'image/webp', taken)).toBe('images/picture-seed-1-12345678.webp');
  });
});
