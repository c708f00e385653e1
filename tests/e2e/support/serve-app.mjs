// Starts the production build for browser tests on a fresh database, copying
// its output to a log file that the key-leak test scans.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';

const dataDir = '.darkroom/e2e';
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const prepared = spawnSync('node_modules/.bin/tsx', ['scripts/prepare.ts'], { stdio: 'inherit', env: process.env });
if (prepared.status !== 0) process.exit(prepared.status ?? 1);

const logFile = createWriteStream(`${dataDir}/server.log`);
const server = spawn('node_modules/.bin/next', ['start', '-H', '127.0.0.1', '-p', process.env.PORT ?? '3100'], {
  env: process.env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
for (const stream of [server.stdout, server.stderr]) {
  stream.on('data', (chunk) => {
    logFile.write(chunk);
    process.stdout.write(chunk);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
