import { systemClock, type Clock, type TimerHandle } from '../clock';
import { loadEnv } from '../config/load-env';
import { dialectOf } from '../db/dialect';
import { pgPool } from '../db/pg-pool';
import { singleton } from '../singleton';
import { SharedTokenBucket } from './shared-rate-limit';

/**
 * Process-wide token bucket for provider API calls. Freepik publishes ~10
 * requests/s on average over 2 minutes (and 50/s bursts over 5 s) per client
 * IP: a refill of 10/s with a bucket of 20 stays under both.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Array<() => void> = [];
  private timer: TimerHandle;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  private refill() {
    const t = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }

  /** Resolves when a request may be sent, in arrival order. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.drain();
    });
  }

  private drain() {
    this.refill();
    while (this.queue.length && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length && !this.timer) {
      const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, waitMs);
    }
  }
}

/**
 * The provider's budget: ~10 requests/s, bursts of 20. SQLite (one process):
 * an in-memory bucket. PostgreSQL (several instances): one bucket in the
 * database for the whole deployment (shared-rate-limit.ts).
 */
export function providerLimiter(): { acquire(): Promise<void> } {
  return singleton('ProviderLimiter', () => {
    const url = loadEnv().DATABASE_URL;
    if (dialectOf(url) !== 'postgres') return new TokenBucket(10, 20);
    return new SharedTokenBucket(pgPool(url), 'freepik', 10, 20, systemClock);
  });
}
