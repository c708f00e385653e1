/**
 * Failed sign-ins per client address: at most `maxFailures` in any sliding
 * `windowMs`. While an address is at the limit, attempts are refused without
 * looking at the password, so guessing stays slow. A success clears the
 * address's failures.
 *
 * The counting is rate-limiter-flexible's. A sliding window is kept as
 * `maxFailures` slots per address, each a key of its own that holds one
 * failure and expires `windowMs` after it: an attempt first claims a free slot
 * (`consume` on a 1-point key succeeds only when the key is empty or expired,
 * atomically in every store), and only then is the password checked — so even
 * concurrent requests cannot get more than `maxFailures` checks per window. No
 * free slot: refused until the oldest one expires. The slot is released again
 * on success, kept as the failure otherwise.
 *
 * The store is in memory by default (a restart forgets; restarts are slow
 * enough). `store` takes any of the library's limiters (RateLimiterPrisma,
 * RateLimiterPostgres, …) for instances that share one database.
 * rate-limiter-flexible reads the wall clock (`Date.now()`) itself.
 */
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { loadEnv } from '../config/load-env';
import { dialectOf } from '../db/dialect';
import { pgPool } from '../db/pg-pool';
import { singleton } from '../singleton';

export type AttemptResult =
  | { ok: true }
  | { ok: false; reason: 'wrong-password'; attemptsLeft: number; retryAfterMs: number }
  | { ok: false; reason: 'rate-limited'; retryAfterMs: number };

/** Makes the limiter that holds the slots: 1-point keys that expire after `duration` seconds. */
export type SlotStore = (options: { keyPrefix: string; points: 1; duration: number }) => RateLimiterAbstract;

export const memoryStore: SlotStore = (options) => new RateLimiterMemory(options);

export type LimiterOptions = {
  maxFailures?: number;
  windowMs?: number;
  /** Bounds the addresses kept (least recently failed ones are dropped); for the memory store. */
  maxTrackedAddresses?: number;
  store?: SlotStore;
};

export class LoginLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** rate-limiter-flexible's counters: key `<address>#<slot>`. */
  readonly slots: RateLimiterAbstract;
  private readonly maxTracked: number;
  /** Addresses holding slots, least recently failed first. */
  private readonly tracked = new Set<string>();

  constructor({ maxFailures = 5, windowMs = 5 * 60_000, maxTrackedAddresses = 10_000, store = memoryStore }: LimiterOptions = {}) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
    this.maxTracked = maxTrackedAddresses;
    this.slots = store({ keyPrefix: 'darkroom-login', points: 1, duration: windowMs / 1000 });
  }

  /** One sign-in attempt. `check` runs only when the address is under the limit. */
  async attempt(address: string, check: () => boolean | Promise<boolean>): Promise<AttemptResult> {
    // Milliseconds until each taken slot frees up.
    const taken: number[] = [];
    let claimed = -1;
    for (let slot = 0; slot < this.maxFailures && claimed < 0; slot++) {
      const wait = await this.claim(address, slot);
      if (wait === null) claimed = slot;
      else taken.push(wait);
    }
    if (claimed < 0) return { ok: false, reason: 'rate-limited', retryAfterMs: Math.min(...taken) };

    if (await check()) {
      await this.clear(address);
      return { ok: true };
    }
    await this.track(address);
    taken.push(this.windowMs);
    for (let slot = claimed + 1; slot < this.maxFailures; slot++) {
      const state = await this.slots.get(this.key(address, slot));
      if (state && state.consumedPoints > 0 && state.msBeforeNext > 0) taken.push(state.msBeforeNext);
    }
    const attemptsLeft = Math.max(this.maxFailures - taken.length, 0);
    return { ok: false, reason: 'wrong-password', attemptsLeft, retryAfterMs: attemptsLeft ? 0 : Math.min(...taken) };
  }

  private key(address: string, slot: number): string {
    return `${address}#${slot}`;
  }

  /** Takes the slot if it is free (null); otherwise says how long until it frees up. */
  private async claim(address: string, slot: number): Promise<number | null> {
    try {
      await this.slots.consume(this.key(address, slot));
      return null;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal.msBeforeNext;
      throw refusal; // the store failed: no sign-in without the limit
    }
  }

  private async clear(address: string): Promise<void> {
    this.tracked.delete(address);
    for (let slot = 0; slot < this.maxFailures; slot++) await this.slots.delete(this.key(address, slot));
  }

  /** Bounds memory under a flood of addresses: the least recently failed address is forgotten. */
  private async track(address: string): Promise<void> {
    this.tracked.delete(address);
    this.tracked.add(address);
    while (this.tracked.size > this.maxTracked) {
      const oldest = this.tracked.values().next().value!;
      await this.clear(oldest);
    }
  }
}

/** The process-wide limiter (one per process whatever the bundling). */
/**
 * SQLite (one process): slots in memory. PostgreSQL (several instances): slots
 * in the database (rate-limiter-flexible's own table), so five wrong passwords
 * are five for the whole deployment, not five per instance.
 */
export function loginLimiter(): LoginLimiter {
  return singleton('LoginLimiter', () => {
    const url = loadEnv().DATABASE_URL;
    if (dialectOf(url) !== 'postgres') return new LoginLimiter();
    const store: SlotStore = (options) =>
      new RateLimiterPostgres(
        { ...options, storeClient: pgPool(url), tableName: 'darkroom_login_slots', tableCreated: true, clearExpiredByTimeout: true },
        (error?: Error) => {
          if (error) console.error('[auth] could not prepare the sign-in limit table:', error.message);
        },
      );
    return new LoginLimiter({ store });
  });
}

/**
 * The bucket an address counts against: IPv4 as is (also when IPv4-mapped),
 * IPv6 by its /64 prefix, since one host usually holds a whole /64.
 */
export function addressKey(address: string | null | undefined): string {
  const raw = (address ?? '').trim().toLowerCase();
  if (!raw) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw);
  if (mapped) return mapped[1];
  if (!raw.includes(':')) return raw;
  const [head, tail] = raw.split('%')[0].split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(8 - left.length - right.length, 0)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
