/**
 * `npm run seed -- --count 100000` — fills the database with realistic rows
 * for measuring (no upstream calls: every task is already finished). A few
 * dozen real pictures are painted and stored once; the rows share them, as
 * content addressing allows. Writes SQLite or PostgreSQL, as DATABASE_URL says,
 * with each database's bulk insert (prepared statements in a transaction; one
 * multi-row INSERT … SELECT FROM unnest(…) per batch and table).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Client as PgClient } from 'pg';
import { databaseFile, loadEnv } from '../lib/config/load-env';
import { describeDatabaseUrl, dialectOf, postgresConnection, timestampValue, type Dialect } from '../lib/db/dialect';
import { migrateDatabase } from '../lib/db/migrate';
import { RATIOS, type Ratio } from '../lib/generation/schema';
import { ingestPicture } from '../lib/images/ingest';
import { paintImage } from '../lib/simulator/paint';

if (existsSync('.env')) process.loadEnvFile('.env');
const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--count') + 1] ?? 1000);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
  console.error('usage: npm run seed -- --count <1…1000000>');
  process.exit(2);
}

const SUBJECTS = [
  'lighthouse',
  'fox',
  'harbour',
  'mountain village',
  'robot',
  'café terrace',
  'forest spirit',
  'desert caravan',
  'glass city',
  'koi pond',
  'space station',
  'library',
  'owl',
  'paper boat',
  'volcano',
  'tea garden',
  'night market',
  'whale',
  'cathedral',
  'orchard',
];
const STYLES = [
  'watercolor',
  '35mm photo',
  'isometric illustration',
  'oil painting',
  'ukiyo-e print',
  'low-poly render',
  'charcoal sketch',
  'cinematic still',
  'pastel gouache',
  'art nouveau poster',
];
const MOODS = [
  'at dusk',
  'in heavy fog',
  'under neon rain',
  'at golden hour',
  'in deep winter',
  'after a storm',
  'by moonlight',
  'in spring bloom',
  'at blue hour',
  'in soft morning light',
];
const FAILURES = [
  'The provider could not generate this picture.',
  'Timed out',
  'Could not download the picture: The provider did not answer in time.',
];

// Deterministic pseudo-random numbers: the same --count gives the same rows.
let state = 0x2545f491;
const rand = () => (state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

type TaskRow = {
  id: string;
  prompt: string;
  ratio: string;
  seed: number;
  status: string;
  statusDetail: string | null;
  origin: string;
  parentId: string | null;
  favorite: boolean;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date;
};
type ImageRow = {
  id: string;
  taskId: string;
  sha256: string;
  path: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  placeholder: string | null;
  createdAt: Date;
};
type ThumbRow = { id: string; imageId: string; width: number; height: number; bytes: number; sha256: string; path: string };
type Batch = { tasks: TaskRow[]; images: ImageRow[]; thumbs: ThumbRow[] };

/** Writes batches of rows in one transaction each, in the database's own fastest way. */
interface Sink {
  write(batch: Batch): Promise<void>;
  close(): Promise<void>;
}

function sqliteSink(file: string): Sink {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const at = (date: Date | null) => (date ? timestampValue('sqlite', date) : null);
  const insertTask = db.prepare(
    `INSERT INTO Task (id, prompt, ratio, seed, status, statusDetail, origin, parentId, favorite, deletedAt, createdAt, updatedAt, finishedAt, attempts, needsDecision)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const insertImage = db.prepare(
    `INSERT INTO Image (id, taskId, sha256, path, mimeType, width, height, bytes, placeholder, sourceUrl, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const insertThumb = db.prepare(`INSERT INTO Thumbnail (id, imageId, width, height, bytes, sha256, path) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const write = db.transaction((batch: Batch) => {
    for (const t of batch.tasks) {
      insertTask.run(
        t.id,
        t.prompt,
        t.ratio,
        t.seed,
        t.status,
        t.statusDetail,
        t.origin,
        t.parentId,
        t.favorite ? 1 : 0,
        at(t.deletedAt),
        at(t.createdAt),
        at(t.updatedAt),
        at(t.finishedAt),
      );
    }
    for (const i of batch.images) {
      insertImage.run(i.id, i.taskId, i.sha256, i.path, i.mimeType, i.width, i.height, i.bytes, i.placeholder, at(i.createdAt));
    }
    for (const t of batch.thumbs) insertThumb.run(t.id, t.imageId, t.width, t.height, t.bytes, t.sha256, t.path);
  });
  return {
    async write(batch) {
      write(batch);
    },
    async close() {
      db.pragma('optimize');
      db.close();
    },
  };
}

async function postgresSink(url: string): Promise<Sink> {
  const { default: pg } = await import('pg');
  const client: PgClient = new pg.Client(postgresConnection(url));
  await client.connect();
  const at = (date: Date | null) => (date ? timestampValue('postgres', date) : null);
  /** One statement per table and batch: columns travel as arrays, typed by the casts. */
  async function insert<T>(
    table: string,
    rows: T[],
    columns: Array<[string, string, (row: T) => unknown]>,
    fixed: Record<string, string> = {},
  ) {
    if (!rows.length) return;
    const names = [...columns.map(([name]) => name), ...Object.keys(fixed)].map((name) => `"${name}"`).join(', ');
    const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const constants = Object.values(fixed)
      .map((value) => `, ${value}`)
      .join('');
    await client.query(
      `INSERT INTO "${table}" (${names}) SELECT *${constants} FROM unnest(${arrays})`,
      columns.map(([, , get]) => rows.map(get)),
    );
  }
  return {
    async write(batch) {
      await client.query('BEGIN');
      try {
        await insert(
          'Task',
          batch.tasks,
          [
            ['id', 'text', (t) => t.id],
            ['prompt', 'text', (t) => t.prompt],
            ['ratio', 'text', (t) => t.ratio],
            ['seed', 'bigint', (t) => String(t.seed)],
            ['status', 'text', (t) => t.status],
            ['statusDetail', 'text', (t) => t.statusDetail],
            ['origin', 'text', (t) => t.origin],
            ['parentId', 'text', (t) => t.parentId],
            ['favorite', 'boolean', (t) => t.favorite],
            ['deletedAt', 'timestamp(3)', (t) => at(t.deletedAt)],
            ['createdAt', 'timestamp(3)', (t) => at(t.createdAt)],
            ['updatedAt', 'timestamp(3)', (t) => at(t.updatedAt)],
            ['finishedAt', 'timestamp(3)', (t) => at(t.finishedAt)],
          ],
          { attempts: '0', needsDecision: 'FALSE' },
        );
        await insert('Image', batch.images, [
          ['id', 'text', (i) => i.id],
          ['taskId', 'text', (i) => i.taskId],
          ['sha256', 'text', (i) => i.sha256],
          ['path', 'text', (i) => i.path],
          ['mimeType', 'text', (i) => i.mimeType],
          ['width', 'integer', (i) => i.width],
          ['height', 'integer', (i) => i.height],
          ['bytes', 'integer', (i) => i.bytes],
          ['placeholder', 'text', (i) => i.placeholder],
          ['createdAt', 'timestamp(3)', (i) => at(i.createdAt)],
        ]);
        await insert('Thumbnail', batch.thumbs, [
          ['id', 'text', (t) => t.id],
          ['imageId', 'text', (t) => t.imageId],
          ['width', 'integer', (t) => t.width],
          ['height', 'integer', (t) => t.height],
          ['bytes', 'integer', (t) => t.bytes],
          ['sha256', 'text', (t) => t.sha256],
          ['path', 'text', (t) => t.path],
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await client.query('ANALYZE "Task", "Image", "Thumbnail"');
      await client.end();
    },
  };
}

async function main() {
  const url = loadEnv().DATABASE_URL;
  const dialect: Dialect = dialectOf(url);
  await migrateDatabase(url, process.cwd());

  console.log('[seed] painting sample pictures…');
  const samples: Array<{ ratio: Ratio; picture: Awaited<ReturnType<typeof ingestPicture>> }> = [];
  for (const ratio of RATIOS) {
    for (let i = 0; i < 2; i++) {
      const bytes = await paintImage({ prompt: `${pick(SUBJECTS)} ${pick(MOODS)}`, ratio, seed: i });
      samples.push({ ratio, picture: await ingestPicture(bytes, ratio, null) });
    }
  }

  const sink = dialect === 'postgres' ? await postgresSink(url) : sqliteSink(databaseFile());
  const now = Date.now();
  const span = 180 * 24 * 3600 * 1000; // half a year of history
  const ids: string[] = [];
  const started = Date.now();
  function batchOf(from: number, to: number): Batch {
    const batch: Batch = { tasks: [], images: [], thumbs: [] };
    for (let i = from; i < to; i++) {
      const sample = pick(samples);
      const id = randomUUID();
      const created = now - span + Math.floor((span * i) / count) + Math.floor(rand() * 1000);
      const failed = rand() < 0.04;
      const parent = ids.length > 10 && rand() < 0.1 ? pick(ids) : null;
      batch.tasks.push({
        id,
        prompt: `${pick(SUBJECTS)} ${pick(MOODS)}, ${pick(STYLES)}`,
        ratio: sample.ratio,
        seed: Math.floor(rand() * 4294967296),
        status: failed ? 'FAILED' : 'COMPLETED',
        statusDetail: failed ? pick(FAILURES) : null,
        origin: parent ? pick(['reproduce', 'new-seed'] as const) : 'new',
        parentId: parent,
        favorite: rand() < 0.05,
        deletedAt: rand() < 0.01 ? new Date(created + 60_000) : null,
        createdAt: new Date(created),
        updatedAt: new Date(created + 5_000),
        finishedAt: new Date(created + 5_000),
      });
      ids.push(id);
      if (!failed) {
        const imageId = randomUUID();
        const p = sample.picture;
        batch.images.push({
          id: imageId,
          taskId: id,
          sha256: p.sha256,
          path: p.path,
          mimeType: p.mimeType,
          width: p.width,
          height: p.height,
          bytes: p.bytes,
          placeholder: p.placeholder,
          createdAt: new Date(created + 5_000),
        });
        for (const t of p.thumbnails) {
          batch.thumbs.push({
            id: randomUUID(),
            imageId,
            width: t.width,
            height: t.height,
            bytes: t.bytes,
            sha256: t.sha256,
            path: t.path,
          });
        }
      }
    }
    return batch;
  }
  try {
    for (let i = 0; i < count; i += 5_000) {
      await sink.write(batchOf(i, Math.min(count, i + 5_000)));
      process.stdout.write(`\r[seed] ${Math.min(count, i + 5_000)} / ${count}`);
    }
  } finally {
    await sink.close();
  }
  const where = dialect === 'postgres' ? describeDatabaseUrl(url) : path.relative(process.cwd(), databaseFile());
  console.log(`\n[seed] ${count} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s → ${where}`);
}

void main();
