/**
 * Server-side time to build the first gallery page (the query layer alone,
 * without HTTP), for `npm run bench`. Prints one JSON line. Needs
 * DATABASE_URL pointing at a seeded database; run with --conditions=react-server.
 */
import { galleryFilterSchema } from '../../lib/gallery/filters';

const cases = [
  ['newest', {}],
  ['oldest', { sort: 'oldest' }],
  ['search "lighthouse dusk"', { q: 'lighthouse dusk' }],
  ['search, best match', { q: 'harbour', sort: 'relevance' }],
  ['favorites + ratio', { favorites: true, ratio: '1920:1080' }],
] as const;

async function main() {
  const { listTasks } = await import('../../lib/gallery/query');
  const out: Array<{ name: string; p50: number; p95: number }> = [];
  for (const [name, patch] of cases) {
    const filter = galleryFilterSchema.parse(patch);
    for (let i = 0; i < 3; i++) await listTasks(filter); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const started = performance.now();
      await listTasks(filter);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out.push({ name, p50: times[Math.floor(times.length * 0.5)], p95: times[Math.floor(times.length * 0.95)] });
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

void main();
