import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { E2E, PORT_OFFSET } from './env';

/**
 * A second app server (production build) on its own port and database, for
 * tests that kill it or give it other settings. Loopback only, stopped by PID.
 */
export class ExtraServer {
  private child: ChildProcess | undefined;
  readonly url: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly name: string,
    readonly port: number,
    overrides: Record<string, string> = {},
  ) {
    this.port = port + PORT_OFFSET;
    port = this.port;
    this.url = `http://127.0.0.1:${port}`;
    this.env = {
      ...process.env,
      ...E2E.appEnv,
      PORT: String(port),
      DATABASE_URL: `file:./.darkroom/e2e-${name}/darkroom.db`,
      ...overrides,
    };
  }

  /** Fresh database, migrated. */
  prepare() {
    rmSync(`.darkroom/e2e-${this.name}`, { recursive: true, force: true });
    mkdirSync(`.darkroom/e2e-${this.name}`, { recursive: true });
    const result = spawnSync('node_modules/.bin/tsx', ['scripts/prepare.ts'], { env: this.env });
    if (result.status !== 0) throw new Error(`prepare failed: ${result.stderr}`);
  }

  /** Everything the server printed (appended across restarts). */
  get logFile(): string {
    return `.darkroom/e2e-${this.name}/server.log`;
  }

  async start(timeoutMs = 30_000) {
    mkdirSync(`.darkroom/e2e-${this.name}`, { recursive: true });
    const log = openSync(this.logFile, 'a');
    this.child = spawn('node_modules/.bin/next', ['start', '-H', '127.0.0.1', '-p', String(this.port)], {
      env: this.env,
      stdio: ['ignore', log, log],
      detached: true, // its own process group, so a kill reaches everything it started
    });
    closeSync(log); // the child holds its own copy
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (
        await fetch(`${this.url}/api/tasks`).then(
          (r) => r.status < 500,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} server did not start`);
  }

  /** The server's process group id (it runs detached), for measuring it. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL') {
    const pid = this.child?.pid;
    if (pid && this.child?.exitCode === null) {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    }
  }
}
