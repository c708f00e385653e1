// Shared steps of `npm start` and `npm test`. Plain JavaScript on purpose: it
// runs before dependencies (TypeScript, tsx) are installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensurePostgres as ensurePostgresInstalled } from './postgres.mjs';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function log(message) {
  console.log(`\x1b[36m[darkroom]\x1b[0m ${message}`);
}

/** Runs a command in the repo root, inheriting output; exits the process on failure. */
export function run(command, args, { env = {}, allowFail = false } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  if (result.status !== 0 && !allowFail) {
    console.error(`\n[darkroom] failed: ${command} ${args.join(' ')} (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  return result.status === 0;
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update(existsSync(file) ? readFileSync(file) : '');
  }
  return hash.digest('hex');
}

function listFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'generated' || entry.name === 'generated-pg' || entry.name === 'node_modules') continue;
      listFiles(full, out);
    } else out.push(full);
  }
  return out.sort();
}

function stampMatches(stampFile, hash) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
}

function writeStamp(stampFile, hash) {
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, hash);
}

/** npm ci when node_modules is missing or was installed from another lockfile. */
export function ensureDependencies() {
  const lock = path.join(root, 'package-lock.json');
  // Only what affects node_modules: editing a script must not trigger a reinstall.
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const hash = createHash('sha256')
    .update(JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.allowScripts, process.version]))
    .update(existsSync(lock) ? readFileSync(lock) : '')
    .digest('hex');
  const stamp = path.join(root, 'node_modules', '.darkroom-deps');
  if (stampMatches(stamp, hash) && existsSync(bin('next'))) return;
  log('installing dependencies (npm ci)…');
  run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  writeStamp(stamp, hash);
}

/**
 * The two Prisma clients of the one model (docs/decisions/0013-postgresql.md): SQLite's and
 * PostgreSQL's, from schemas that differ only in provider and output.
 */
const PRISMA_CLIENTS = [
  { schema: 'prisma/schema.prisma', output: 'lib/db/generated', args: [] },
  { schema: 'prisma/postgres/schema.prisma', output: 'lib/db/generated-pg', args: ['--schema', 'prisma/postgres/schema.prisma'] },
];

/** `prisma generate` for each client whose schema (or the Prisma version) changed. */
export function ensurePrismaClient() {
  for (const client of PRISMA_CLIENTS) {
    const hash = hashFiles([path.join(root, client.schema), path.join(root, 'node_modules', 'prisma', 'package.json')]);
    const stamp = path.join(root, client.output, '.darkroom-schema');
    if (stampMatches(stamp, hash)) continue;
    log(`generating the Prisma client for ${client.schema}…`);
    // Generation needs no schema engine, but the CLI insists on locating one and
    // would try to download it: point it at any existing file (ADR 0002).
    run(bin('prisma'), ['generate', ...client.args], { env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath } });
    writeStamp(stamp, hash);
  }
}

/** Validates configuration and migrates the database. */
export function prepareDatabase(env = {}) {
  run(bin('tsx'), ['scripts/prepare.ts'], { env });
}

const BUILD_INPUTS = ['app', 'components', 'lib', 'public'];
const BUILD_FILES = [
  'next.config.ts',
  'proxy.ts',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
  'instrumentation.ts',
  'prisma/schema.prisma',
  'prisma/postgres/schema.prisma',
];

export function buildHash() {
  const files = [...BUILD_INPUTS.flatMap((d) => listFiles(path.join(root, d))), ...BUILD_FILES.map((f) => path.join(root, f))];
  return hashFiles(files);
}

/** `next build` unless the existing build came from exactly these sources. */
export function ensureBuild(env = {}) {
  const distDir = path.join(root, env.DARKROOM_DIST_DIR || '.next');
  const stamp = path.join(distDir, 'darkroom-build-hash');
  const hash = buildHash();
  if (stampMatches(stamp, hash) && existsSync(path.join(distDir, 'BUILD_ID'))) {
    log('build is up to date');
    return;
  }
  log('building the app (next build)…');
  run(bin('next'), ['build'], { env });
  writeStamp(stamp, hash);
}

export function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  log('installing Debian Chromium for browser tests (apt)…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * Debian's PostgreSQL 15 for the `postgres` test project (apt, as root, when missing); the test
 * run's global setup starts its throwaway cluster (scripts/lib/postgres.mjs). Fails loudly, never skips.
 */
export function ensurePostgres() {
  try {
    ensurePostgresInstalled({ log });
  } catch (error) {
    console.error(`\n[darkroom] ${error.message}`);
    process.exit(1);
  }
}

export function loadDotEnv() {
  const file = path.join(root, '.env');
  if (existsSync(file) && statSync(file).isFile()) process.loadEnvFile(file);
}
