/**
 * Checks every stored picture and thumbnail against the sha256 in the database
 * (through the picture store: this script never touches picture files itself).
 *
 *   npm run doctor               report only (exit 1 when anything is missing, corrupt or lost)
 *   npm run doctor -- --repair   also fetch damaged originals again and re-render thumbnails
 *
 * Runs with `--conditions=react-server` (see package.json) so the app's
 * `server-only` modules load outside Next. Stop the server first or not — the
 * writes are atomic renames and conditional updates, safe alongside it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../lib/config/env-schema';
import { databaseFile, dataDir, loadEnv } from '../lib/config/load-env';
import { storageLocationOf } from '../lib/config/env-schema';
import { dialectOf } from '../lib/db/dialect';
import type { Counts, DoctorReport } from '../lib/images/doctor';

if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');

const { values } = parseArgs({ options: { repair: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('Usage: npm run doctor [-- --repair]');
  process.exit(0);
}

try {
  const env = loadEnv();
  if (dialectOf(env.DATABASE_URL) === 'sqlite' && !existsSync(databaseFile())) {
    console.log(`No database at ${path.relative(process.cwd(), databaseFile())}: nothing to check.`);
    process.exit(0);
  }
  // Imported only now: the env is loaded and valid before any server module reads it.
  const { runDoctor } = await import('../lib/images/doctor');
  const location = storageLocationOf(env, process.cwd());
  const where = location.kind === 's3' ? `s3://${location.bucket}/${location.prefix}` : dataDir();
  console.log(`Checking pictures in ${where}${values.repair ? ' (repairing)' : ''}…\n`);
  const report = await runDoctor({ repair: values.repair });
  print(report);
  // exit() rather than returning: in demo mode a repair starts the in-process simulator, which keeps listening.
  process.exit(report.healthy ? 0 : 1);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

function print(report: DoctorReport): void {
  const columns: Array<keyof Counts> = ['ok', 'missing', 'corrupt', 'repaired', 'lost'];
  const rows: Array<[string, Counts]> = [
    ['Originals', report.originals],
    ['Thumbnails', report.thumbnails],
  ];
  const header = ['', ...columns.map((c) => (c === 'ok' ? 'OK' : c))];
  const table = [header, ...rows.map(([name, counts]) => [name, ...columns.map((c) => String(counts[c]))])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));

  if (report.problems.length) {
    console.log('\nPictures with problems:');
    for (const p of report.problems) {
      const prompt = p.prompt.length > 50 ? `${p.prompt.slice(0, 49)}…` : p.prompt;
      console.log(`  ${p.taskId}  ${p.found} → ${p.outcome}  “${prompt}”`);
    }
  }
  if (report.strays) {
    console.log(`\n${report.strays} stored file(s) belong to no picture (wasted space, not damage; left in place).`);
  }
  if (!report.repair && !report.healthy) console.log('\nRun `npm run doctor -- --repair` to fetch damaged pictures again.');
  if (report.originals.lost) console.log('\nLost pictures show as “Picture lost” in the gallery; Reproduce makes them again.');
}
