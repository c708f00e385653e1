import 'server-only';
import pg from 'pg';
import type { Clock } from '../clock';

/**
 * The provider's rate limit for the deployment, not per process (PostgreSQL
 * profile): one token bucket in the "RateBudget" table, shared by every
 * instance. A token is taken by one atomic UPDATE that refills by the time
 * passed (the database's clock, so instances' clocks need not agree) and
 * takes one only if one is there; otherwise the caller waits about as long as
 * the next token needs and asks again. Same contract as TokenBucket.acquire().
 */
export class SharedTokenBucket {
  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly clock: Pick<Clock, 'setTimeout'>,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const waitMs = await this.tryTake();
      if (waitMs === 0) return;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, waitMs));
    }
  }

  /** 0 when a token was taken, else roughly how long until one is there. */
  private async tryTake(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO "RateBudget" ("name", "tokens", "updatedAt") VALUES ($1, $2, clock_timestamp()) ON CONFLICT DO NOTHING',
        [this.name, this.capacity],
      );
      // The time is read after the row lock is held (clock_timestamp(), not the transaction's start), so it
      // never goes back behind the previous holder's: no token is ever created twice.
      const { rows } = await client.query<{ tokens: number; elapsed: number; at: Date }>(
        `SELECT b."tokens", c.at, EXTRACT(EPOCH FROM (c.at - b."updatedAt"))::float8 AS elapsed
           FROM "RateBudget" b, (SELECT clock_timestamp()::timestamp(3) AS at) c
          WHERE b."name" = $1 FOR UPDATE OF b`,
        [this.name],
      );
      const { tokens, elapsed, at } = rows[0];
      const refilled = Math.min(this.capacity, tokens + Math.max(0, elapsed) * this.ratePerSecond);
      const taken = refilled >= 1;
      await client.query('UPDATE "RateBudget" SET "tokens" = $2, "updatedAt" = GREATEST("updatedAt", $3) WHERE "name" = $1', [
        this.name,
        taken ? refilled - 1 : refilled,
        at,
      ]);
      await client.query('COMMIT');
      return taken ? 0 : Math.max(5, Math.ceil(((1 - refilled) / this.ratePerSecond) * 1000));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
