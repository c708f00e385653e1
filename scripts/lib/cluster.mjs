// The team profile on one machine (`npm run cluster`, and the cluster browser tests): a throwaway
// PostgreSQL 15 cluster, an S3-compatible server (s3rver), the RunWay simulator, N app instances and
// nginx in front (round robin, no sticky sessions, SSE-safe), all on loopback. Everything started is
// stopped by PID. Plain JavaScript: `npm run cluster` runs it without a build step.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startPostgresCluster } from './postgres.mjs';
import { root } from './steps.mjs';

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

export function ensureNginx(log = () => {}) {
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
function nginxConfig(work, port, upstreams) {
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

/** Polls `url` until it answers (any status below 500), at most `ms`. */
export async function waitFor(url, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/**
 * Starts the whole profile (the production build must exist). Resolves with the load balancer's URL,
 * the instances (each with `kill(signal)`), the simulator's URL and key, the bucket's directory and
 * `stop()`. `env` adds settings for every instance (APP_PASSWORD, TASK_LEASE_SECONDS, …).
 */
export async function startCluster({ instances = 3, port, env = {}, simArgs = [], log = () => {}, output = () => {} } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'darkroom-cluster-'));
  const children = [];
  let postgres;
  let stopped = false;

  const start = (name, command, args, childEnv = {}) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...childEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a kill reaches what it started
    });
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => output(name, String(chunk)));
    const entry = {
      name,
      child,
      kill(signal = 'SIGTERM') {
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      },
    };
    children.push(entry);
    return entry;
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const entry of [...children].reverse()) entry.kill('SIGTERM');
    const deadline = Date.now() + 5_000;
    while (children.some((c) => c.child.exitCode === null && c.child.signalCode === null) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const entry of children) entry.kill('SIGKILL');
    await postgres?.stop();
    rmSync(work, { recursive: true, force: true });
  };

  try {
    ensureNginx(log);
    postgres = await startPostgresCluster({ log });
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('CREATE DATABASE darkroom');
    await admin.end();
    const databaseUrl = postgres.url.replace(/\/postgres$/, '/darkroom');

    const s3Port = await freePort();
    const s3Dir = `${work}/s3`;
    mkdirSync(s3Dir, { recursive: true });
    // s3rver encrypts list continuation tokens with DES, which OpenSSL 3 only has in its legacy provider.
    start('s3', process.execPath, [
      '--openssl-legacy-provider',
      'node_modules/s3rver/bin/s3rver.js',
      '-d',
      s3Dir,
      '-a',
      '127.0.0.1',
      '-p',
      String(s3Port),
      '-s',
      '--configure-bucket',
      'darkroom',
    ]);

    const simPort = await freePort();
    const simKey = `cluster-${Math.random().toString(36).slice(2, 12)}`;
    const simUrl = `http://127.0.0.1:${simPort}`;
    start('simulator', bin('tsx'), ['scripts/simulator.ts', '--host', '127.0.0.1', '--port', String(simPort), '--key', simKey, ...simArgs]);
    await waitFor(`${simUrl}/__sim/health`);

    const lbPort = port ?? (await freePort());
    const url = `http://127.0.0.1:${lbPort}`;
    const shared = {
      DATABASE_URL: databaseUrl,
      STORAGE_URL: 's3://darkroom/pictures',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      FREEPIK_API_KEY: simKey,
      FREEPIK_API_BASE_URL: simUrl,
      PUBLIC_BASE_URL: url,
      TRUST_PROXY: '1',
      ...env,
    };
    const prepared = spawnSync(bin('tsx'), ['scripts/prepare.ts'], { cwd: root, env: { ...process.env, ...shared }, encoding: 'utf8' });
    if (prepared.status !== 0) throw new Error(`prepare failed: ${prepared.stderr}`);

    const apps = [];
    for (let i = 1; i <= instances; i++) {
      const appPort = await freePort();
      const app = start(`app-${i}`, bin('next'), ['start', '-H', '127.0.0.1', '-p', String(appPort)], { ...shared, PORT: String(appPort) });
      apps.push({ ...app, port: appPort, url: `http://127.0.0.1:${appPort}` });
    }
    for (const app of apps) await waitFor(`${app.url}/api/status`);

    writeFileSync(
      `${work}/nginx.conf`,
      nginxConfig(
        work,
        lbPort,
        apps.map((a) => `127.0.0.1:${a.port}`),
      ),
    );
    start('nginx', 'nginx', ['-c', `${work}/nginx.conf`, '-g', 'daemon off;']);
    await waitFor(`${url}/api/status`);
    return { url, apps, simUrl, simKey, s3Dir, databaseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
