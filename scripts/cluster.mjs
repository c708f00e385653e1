// `npm run cluster`: the team profile on one machine, for trying it — a throwaway PostgreSQL 15 cluster,
// an S3-compatible server (s3rver), the RunWay simulator, three app instances and nginx in front of them
// (round robin, no sticky sessions, SSE-safe), all on loopback. Prints the URL; Ctrl+C stops everything
// it started, by PID. docs/deploy.md shows the same for real servers.
//
//   npm run cluster                      # 3 instances, demo key, no password
//   INSTANCES=2 APP_PASSWORD=… npm run cluster
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgresCluster, freePort } from './lib/postgres.mjs';
import { ensureBuild, ensureDependencies, ensurePrismaClient, log, root } from './lib/steps.mjs';

const INSTANCES = Number(process.env.INSTANCES ?? 3);
const SIM_KEY = `cluster-${Math.random().toString(36).slice(2, 12)}`;
const children = [];
let stopping = false;
let postgres;
const work = mkdtempSync(path.join(tmpdir(), 'darkroom-cluster-'));

function start(name, command, args, env = {}) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => process.stdout.write(String(chunk).replace(/^(?=.)/gm, `[${name}] `)));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${code ?? signal}); stopping the cluster`);
    void stop(1);
  });
  children.push({ name, child });
  return child;
}

/** Polls `url` until it answers (any status below 500), at most `ms`. */
async function waitFor(url, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children.reverse()) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 1_000));
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  await postgres?.stop();
  rmSync(work, { recursive: true, force: true });
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(0));

function ensureNginx() {
  if (spawnSync('which', ['nginx']).status === 0) return;
  log('installing nginx (apt)…');
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'nginx'],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new Error('Could not install nginx: run as root, or install it yourself (apt-get install nginx).');
  }
}

/** Round robin over the instances; SSE needs unbuffered, long-lived upstream connections. */
function nginxConfig(port, upstreams) {
  return `worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${work}/nginx-body;
  proxy_temp_path ${work}/nginx-proxy;
  fastcgi_temp_path ${work}/nginx-fastcgi;
  uwsgi_temp_path ${work}/nginx-uwsgi;
  scgi_temp_path ${work}/nginx-scgi;
  client_max_body_size 0;
  upstream darkroom { ${upstreams.map((u) => `server ${u};`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://darkroom;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`;
}

async function main() {
  ensureDependencies();
  ensurePrismaClient();
  ensureNginx();
  ensureBuild();

  postgres = await startPostgresCluster({ log });
  const databaseUrl = postgres.url.replace(/\/postgres$/, '/darkroom');
  spawnSync(
    path.join(root, 'node_modules/.bin/tsx'),
    [
      '-e',
      `const pg=require('pg');const c=new pg.Client({connectionString:${JSON.stringify(postgres.url)}});c.connect().then(()=>c.query('CREATE DATABASE darkroom')).then(()=>c.end())`,
    ],
    { cwd: root, stdio: 'inherit' },
  );

  const s3Port = await freePort();
  mkdirSync(`${work}/s3`, { recursive: true });
  start('s3', process.execPath, [
    '--openssl-legacy-provider',
    'node_modules/s3rver/bin/s3rver.js',
    '-d',
    `${work}/s3`,
    '-a',
    '127.0.0.1',
    '-p',
    String(s3Port),
    '-s',
    '--configure-bucket',
    'darkroom',
  ]);

  const simPort = await freePort();
  start('simulator', path.join(root, 'node_modules/.bin/tsx'), [
    'scripts/simulator.ts',
    '--host',
    '127.0.0.1',
    '--port',
    String(simPort),
    '--key',
    SIM_KEY,
  ]);
  await waitFor(`http://127.0.0.1:${simPort}/__sim/health`);

  const lbPort = Number(process.env.PORT ?? (await freePort()));
  const shared = {
    DATABASE_URL: databaseUrl,
    STORAGE_URL: 's3://darkroom/pictures',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    FREEPIK_API_KEY: SIM_KEY,
    FREEPIK_API_BASE_URL: `http://127.0.0.1:${simPort}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${lbPort}`,
    TRUST_PROXY: '1',
  };
  // Migrations run once here; instances booting at once would also agree (advisory lock).
  const prepared = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/prepare.ts'], {
    cwd: root,
    env: { ...process.env, ...shared },
    stdio: 'inherit',
  });
  if (prepared.status !== 0) throw new Error('prepare failed');

  const upstreams = [];
  for (let i = 1; i <= INSTANCES; i++) {
    const port = await freePort();
    upstreams.push(`127.0.0.1:${port}`);
    start(`app-${i}`, path.join(root, 'node_modules/.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
      ...shared,
      PORT: String(port),
    });
  }
  for (const upstream of upstreams) await waitFor(`http://${upstream}/api/status`);

  writeFileSync(`${work}/nginx.conf`, nginxConfig(lbPort, upstreams));
  start('nginx', 'nginx', ['-c', `${work}/nginx.conf`, '-g', 'daemon off;']);
  await waitFor(`http://127.0.0.1:${lbPort}/api/status`);
  log(`cluster ready: http://127.0.0.1:${lbPort}  (${INSTANCES} instances, PostgreSQL, S3, simulator) — Ctrl+C stops it`);
}

main().catch((error) => {
  console.error(`[darkroom] cluster failed: ${error.message}`);
  void stop(1);
});
