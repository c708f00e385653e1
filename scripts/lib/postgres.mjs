// A throwaway PostgreSQL 15 cluster for tests (and anything else that needs one on this machine):
// Debian's postgresql-15, installed with apt when missing, initdb + pg_ctl as user `postgres` on a
// free loopback port, trust authentication, its socket in its own temporary directory. Plain
// JavaScript on purpose: scripts/test.mjs runs it before dependencies are installed, and the vitest
// global setup (tests/support/postgres-global-setup.ts) imports it too. Types: postgres.d.mts.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function sh(command, args, { env = {}, what = `${command} ${args.join(' ')}` } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} failed (exit ${result.status ?? result.signal})${output ? `:\n${output}` : ''}`);
  }
  return result.stdout;
}

/**
 * Installs Debian's PostgreSQL 15 (server and contrib: unaccent) with apt when its binaries are
 * missing. Needs root, as CI runs; otherwise it fails with the command to run. Never skips.
 * Returns true when it installed something.
 */
export function ensurePostgres({ log = (message) => console.log(message) } = {}) {
  if (existsSync(path.join(POSTGRES_BIN, 'initdb')) && existsSync(path.join(POSTGRES_BIN, 'pg_ctl'))) return false;
  if (!isRoot()) {
    throw new Error(
      `PostgreSQL 15 is not installed (${POSTGRES_BIN}/initdb is missing) and this is not root: ` +
        'run `apt-get install -y postgresql-15 postgresql-contrib` as root, then try again.',
    );
  }
  log('installing Debian PostgreSQL 15 for the PostgreSQL test project (apt)…');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update', '-qq'], { env });
  sh('apt-get', ['install', '-y', '-qq', 'postgresql-15', 'postgresql-contrib'], { env });
  if (!existsSync(path.join(POSTGRES_BIN, 'initdb')))
    throw new Error(`apt installed postgresql-15 but ${POSTGRES_BIN}/initdb is still missing`);
  return true;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a new cluster and resolves with its superuser URL (`postgresql://postgres@127.0.0.1:<port>/postgres`),
 * the postmaster's PID and `stop()`, which ends that PID (fast shutdown, then immediate, then SIGKILL;
 * each step bounded) and removes the directory. `settings` are extra server settings, e.g.
 * `{ timezone: 'America/New_York' }`. Durability is off (fsync): the data is thrown away anyway.
 */
export async function startPostgresCluster({ settings = {}, log = () => {} } = {}) {
  ensurePostgres({ log });
  const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-pg-'));
  const asPostgres = isRoot(); // initdb refuses root: run the server as the `postgres` user apt created
  const run = (bin, args) => {
    const command = path.join(POSTGRES_BIN, bin);
    return asPostgres ? sh('runuser', ['-u', 'postgres', '--', command, ...args], { what: bin }) : sh(command, args, { what: bin });
  };
  let pid = null;
  const stop = async () => {
    if (pid && alive(pid)) {
      for (const [signal, ms] of [
        ['SIGINT', 10_000], // fast shutdown
        ['SIGQUIT', 5_000], // immediate shutdown
        ['SIGKILL', 5_000],
      ]) {
        try {
          process.kill(pid, signal);
        } catch {
          break;
        }
        const deadline = Date.now() + ms;
        while (alive(pid) && Date.now() < deadline) await sleep(50);
        if (!alive(pid)) break;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asPostgres) chownSync(dir, Number(sh('id', ['-u', 'postgres']).trim()), Number(sh('id', ['-g', 'postgres']).trim()));
    run('initdb', [
      '-D',
      `${dir}/data`,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    const options = {
      port: String(port),
      unix_socket_directories: dir,
      listen_addresses: '127.0.0.1',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '300',
      ...settings,
    };
    const flags = Object.entries(options)
      .map(([key, value]) => `-c ${key}=${value}`)
      .join(' ');
    run('pg_ctl', ['-D', `${dir}/data`, '-l', `${dir}/server.log`, '-w', '-t', '60', '-o', flags, 'start']);
    pid = Number(readFileSync(`${dir}/data/postmaster.pid`, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('PostgreSQL started but wrote no postmaster.pid');
    log(`PostgreSQL 15 on 127.0.0.1:${port} (pid ${pid}, ${dir})`);
    return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, port, pid, dir, stop };
  } catch (error) {
    const serverLog = existsSync(`${dir}/server.log`) ? readFileSync(`${dir}/server.log`, 'utf8').split('\n').slice(-20).join('\n') : '';
    await stop();
    throw new Error(`Could not start a PostgreSQL 15 cluster: ${error.message}${serverLog ? `\nserver log:\n${serverLog}` : ''}`, {
      cause: error,
    });
  }
}
