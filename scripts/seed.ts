/**
 * `npm run seed -- --count 100000` — fills the database with realistic rows
 * for measuring (no upstream calls: every task is already finished). A few
 * dozen real pictures are painted and stored once; the rows share them, as
 * content addressing allows.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { databaseFile } from '../lib/config/load-env';
import { migrateSqlite } from '../lib/db/migrate';
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
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

async function main() {
  const file = databaseFile();
  migrateSqlite(file, path.join(process.cwd(), 'prisma/migrations'));

  console.log('[seed] painting sample pictures…');
  const samples: Array<{ ratio: Ratio; picture: Awaited<ReturnType<typeof ingestPicture>> }> = [];
  for (const ratio of RATIOS) {
    for (let i = 0; i < 2; i++) {
      const bytes = await paintImage({ prompt: `${pick(SUBJECTS)} ${pick(MOODS)}`, ratio, seed: i });
      samples.push({ ratio, picture: await ingestPicture(bytes, ratio, null) });
    }
  }

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insertTask = db.prepare(
    `INSERT INTO Task (id, prompt, ratio, seed, status, statusDetail, origin, parentId, favorite, deletedAt, createdAt, updatedAt, finishedAt, attempts, needsDecision)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const insertImage = db.prepare(
    `INSERT INTO Image (id, taskId, sha256, path, mimeType, width, height, bytes, placeholder, sourceUrl, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const insertThumb = db.prepare(`INSERT INTO Thumbnail (id, imageId, width, height, bytes, sha256, path) VALUES (?, ?, ?, ?, ?, ?, ?)`);

  const now = Date.now();
  const span = 180 * 24 * 3600 * 1000; // half a year of history
  const ids: string[] = [];
  const started = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const sample = pick(samples);
      const id = randomUUID();
      const created = now - span + Math.floor((span * i) / count) + Math.floor(rand() * 1000);
      const failed = rand() < 0.04;
      const parent = ids.length > 10 && rand() < 0.1 ? pick(ids) : null;
      const prompt = `${pick(SUBJECTS)} ${pick(MOODS)}, ${pick(STYLES)}`;
      insertTask.run(
        id,
        prompt,
        sample.ratio,
        Math.floor(rand() * 4294967296),
        failed ? 'FAILED' : 'COMPLETED',
        failed ? pick(FAILURES) : null,
        parent ? pick(['reproduce', 'new-seed'] as const) : 'new',
        parent,
        rand() < 0.05 ? 1 : 0,
        rand() < 0.01 ? iso(created + 60_000) : null,
        iso(created),
        iso(created + 5_000),
        iso(created + 5_000),
      );
      ids.push(id);
      if (!failed) {
        const imageId = randomUUID();
        const p = sample.picture;
        insertImage.run(imageId, id, p.sha256, p.path, p.mimeType, p.width, p.height, p.bytes, p.placeholder, iso(created + 5_000));
        for (const t of p.thumbnails) insertThumb.run(randomUUID(), imageId, t.width, t.height, t.bytes, t.sha256, t.path);
      }
    }
  });
  for (let i = 0; i < count; i += 5_000) {
    batch(i, Math.min(count, i + 5_000));
    process.stdout.write(`\r[seed] ${Math.min(count, i + 5_000)} / ${count}`);
  }
  db.pragma('optimize');
  db.close();
  console.log(`\n[seed] ${count} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s → ${path.relative(process.cwd(), file)}`);
}

void main();
