// `npm test`: install what is missing, then lint, format check, type-check, unit and
// integration tests (on SQLite and on PostgreSQL), a production build, and browser tests against it.
import { ensureBuild, ensureChromium, ensureDependencies, ensurePostgres, ensurePrismaClient, log, run } from './lib/steps.mjs';
import path from 'node:path';
import { root } from './lib/steps.mjs';

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const started = Date.now();
const step = (name, fn) => {
  const t = Date.now();
  log(`── ${name}`);
  fn();
  log(`   ${name} ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
};

// The browser tests run with this key; the leak test looks for it everywhere
// the build and the served pages could expose it.
export const CANARY_KEY = 'canary-key-0f6f1e2d9c8b7a6f';
const testEnv = { FREEPIK_API_KEY: CANARY_KEY };

// `npm run test:e2e` (--e2e): only the production build and the browser tests;
// other arguments go to Playwright (a spec file, --grep …).
const e2eOnly = process.argv.includes('--e2e');
const playwrightArgs = process.argv.slice(2).filter((arg) => arg !== '--e2e');

step('dependencies', ensureDependencies);
step('prisma client', ensurePrismaClient);
step('chromium', ensureChromium);
if (!e2eOnly) {
  step('lint', () => run(bin('eslint'), ['.', '--max-warnings=0']));
  step('format', () => run(bin('prettier'), ['--check', '.', '--log-level', 'warn']));
  step('type-check', () => run(bin('tsc'), ['--noEmit', '-p', '.']));
  // The integration suite runs against SQLite and PostgreSQL 15 (vitest projects; a throwaway cluster).
  step('postgresql', ensurePostgres);
  step('unit and integration tests (SQLite and PostgreSQL)', () => run(bin('vitest'), ['run']));
}
step('production build', () => ensureBuild(testEnv));
step('browser tests', () => run(bin('playwright'), ['test', ...playwrightArgs], { env: testEnv }));
log(`all checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
