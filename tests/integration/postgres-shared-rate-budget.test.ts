import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@/lib/clock';
import { SharedTokenBucket } from '@/lib/freepik/shared-rate-limit';
import { freshDatabase } from '../support/test-db';

/**
 * The provider's rate limit holds for the deployment: three instances (three
 * connection pools) drawing from one bucket in PostgreSQL never exceed its
 * burst plus its rate, however the requests interleave.
 */
let pools: pg.Pool[] = [];

beforeAll(async () => {
  const { url } = await freshDatabase('rate_budget');
  pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: url, max: 3 }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describe('shared provider rate budget', () => {
  it('three instances, 75 requests at once: the burst passes, the rest at the shared rate', async () => {
    const RATE = 50;
    const BURST = 10;
    const instances = pools.map((pool) => new SharedTokenBucket(pool, 'test-budget', RATE, BURST, systemClock));
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 75 }, (_, i) => instances[i % 3].acquire().then(() => times.push(Date.now() - started))));
    times.sort((a, b) => a - b);
    // 65 tokens beyond the burst at 50/s take at least 1.3 s in total …
    expect(times[74]).toBeGreaterThanOrEqual(1_250);
    // … and no second ever sees more than burst + rate grants (plus a little for timing jitter).
    for (const t of times) {
      const inWindow = times.filter((u) => u >= t && u < t + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(BURST + RATE + 3);
    }
  });
});
