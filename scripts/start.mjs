// `npm start`: install what is missing, prepare the database, build if the
// sources changed, then serve the production build.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, ensureDependencies, ensurePrismaClient, loadDotEnv, log, prepareDatabase, root } from './lib/steps.mjs';

loadDotEnv();
ensureDependencies();
ensurePrismaClient();
prepareDatabase();
ensureBuild();

const port = process.env.PORT || '3000';
// Loopback unless HOST says otherwise: anyone reaching the port can spend the key's credits.
const host = process.env.HOST || '127.0.0.1';
// Same rule as lib/config/env-schema.ts: an empty or blank value counts as unset (gate off).
if (!process.env.APP_PASSWORD?.trim()) {
  log('warning: APP_PASSWORD is not set — anyone who can reach this port can spend your API credits.');
} else {
  log('access gate on: sign in with APP_PASSWORD');
}
log(`serving on http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`);
const server = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', port, '-H', host], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
