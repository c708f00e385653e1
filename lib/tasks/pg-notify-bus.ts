import 'server-only';
import pg from 'pg';
import type { Clock } from '../clock';

/**
 * Task changes across instances (PostgreSQL only): every instance NOTIFYs the
 * id of a task it changed on one channel, and keeps one dedicated connection
 * LISTENing to it, so a tab whose event stream is held by instance C hears of
 * a picture instance A finished. Payload = `t:<id>` or `d:<id>` (well under
 * PostgreSQL's 8000-byte cap); each instance reads the task itself.
 *
 * A listening connection that drops loses the notifications sent meanwhile:
 * it reconnects with backoff, checks itself with a heartbeat, and after any gap
 * tells its tabs to resync (they refetch what they show).
 */
export const CHANNEL = 'darkroom_tasks';
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 10_000;

export type BusMessage = { type: 'task' | 'deleted'; id: string } | { type: 'resync' };

export class PgNotifyBus {
  private listener: pg.Client | null = null;
  private readonly sender: pg.Pool;
  private heartbeat: ReturnType<Clock['setTimeout']>;
  private reconnectTimer: ReturnType<Clock['setTimeout']>;
  private failures = 0;
  private stopped = false;
  private everConnected = false;

  constructor(
    private readonly connectionString: string,
    private readonly onMessage: (message: BusMessage) => void,
    private readonly clock: Clock,
    private readonly log: (message: string) => void = (m) => console.error(m),
  ) {
    this.sender = new pg.Pool({ connectionString, max: 2, idleTimeoutMillis: 30_000 });
    this.sender.on('error', () => undefined); // an idle client's error: the next query reconnects
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.heartbeat);
    this.clock.clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => undefined);
    await this.sender.end().catch(() => undefined);
  }

  /** Announce a change to every instance (this one included: it hears its own notification). */
  async publish(type: 'task' | 'deleted', id: string): Promise<void> {
    await this.sender.query('SELECT pg_notify($1, $2)', [CHANNEL, `${type === 'task' ? 't' : 'd'}:${id}`]);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => this.receive(message.payload));
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.lost(client, error instanceof Error ? error.message : String(error));
      return;
    }
    this.listener = client;
    this.failures = 0;
    // Anything sent while we were not listening is unknown: tabs must catch up.
    if (this.everConnected) this.onMessage({ type: 'resync' });
    this.everConnected = true;
    this.scheduleHeartbeat(client);
  }

  private receive(payload: string | undefined) {
    const match = /^([td]):(.{1,200})$/.exec(payload ?? '');
    if (match) this.onMessage({ type: match[1] === 't' ? 'task' : 'deleted', id: match[2] });
  }

  private scheduleHeartbeat(client: pg.Client) {
    this.heartbeat = this.clock.setTimeout(() => {
      const timeout = new Promise<never>((_, reject) =>
        this.clock.setTimeout(() => reject(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS),
      );
      Promise.race([client.query('SELECT 1'), timeout])
        .then(() => this.listener === client && this.scheduleHeartbeat(client))
        .catch((error: Error) => this.lost(client, error.message));
    }, HEARTBEAT_MS);
  }

  private lost(client: pg.Client, reason: string) {
    if (this.stopped) return;
    if (this.listener === client) this.listener = null;
    else if (this.listener) return; // an old connection's late error
    this.clock.clearTimeout(this.heartbeat);
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.failures++);
    this.log(`[events] lost the notification connection (${reason}); reconnecting in ${delay} ms`);
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.clock.setTimeout(() => void this.connect(), delay);
  }

  /** For tests: cut the listening connection as if the network dropped it. */
  async dropListenerForTest(): Promise<void> {
    const pid = (this.listener as unknown as { processID?: number } | null)?.processID;
    if (pid) await this.sender.query('SELECT pg_terminate_backend($1)', [pid]);
  }
}
