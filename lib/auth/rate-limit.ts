/**
 * Failed sign-ins per client address: at most `maxFailures` in any sliding
 * `windowMs`. While an address is at the limit, attempts are refused without
 * looking at the password, so guessing stays slow. A success clears the
 * address's failures. In memory: a restart forgets (restarts are slow enough).
 */

export type AttemptResult =
  | { ok: true }
  | { ok: false; reason: 'wrong-password'; attemptsLeft: number; retryAfterMs: number }
  | { ok: false; reason: 'rate-limited'; retryAfterMs: number };

export type LimiterOptions = { maxFailures?: number; windowMs?: number; maxTrackedAddresses?: number };

export class LoginLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly maxTracked: number;
  /** Address → times of recent failures, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor({ maxFailures = 5, windowMs = 5 * 60_000, maxTrackedAddresses = 10_000 }: LimiterOptions = {}) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
    this.maxTracked = maxTrackedAddresses;
  }

  private recent(address: string, now: number): number[] {
    const times = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length) this.failures.set(address, times);
    else this.failures.delete(address);
    return times;
  }

  /** Milliseconds until another attempt is allowed (0 if one is allowed now). */
  retryAfterMs(address: string, now: number): number {
    const times = this.recent(address, now);
    if (times.length < this.maxFailures) return 0;
    // Allowed again once enough of the oldest failures have left the window.
    return times[times.length - this.maxFailures] + this.windowMs - now;
  }

  /**
   * One sign-in attempt. `check` runs only when the address is under the
   * limit; everything happens synchronously, so concurrent requests cannot
   * slip extra guesses in between the check and the bookkeeping.
   */
  attempt(address: string, now: number, check: () => boolean): AttemptResult {
    const waitMs = this.retryAfterMs(address, now);
    if (waitMs > 0) return { ok: false, reason: 'rate-limited', retryAfterMs: waitMs };
    if (check()) {
      this.failures.delete(address);
      return { ok: true };
    }
    this.prune(now);
    const times = [...(this.failures.get(address) ?? []), now];
    this.failures.set(address, times);
    return {
      ok: false,
      reason: 'wrong-password',
      attemptsLeft: Math.max(this.maxFailures - times.length, 0),
      retryAfterMs: this.retryAfterMs(address, now),
    };
  }

  /** Bounds memory under a flood of addresses: drop expired entries, then the oldest. */
  private prune(now: number) {
    if (this.failures.size < this.maxTracked) return;
    for (const address of [...this.failures.keys()]) this.recent(address, now);
    while (this.failures.size >= this.maxTracked) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }
}

const globalForLimiter = globalThis as typeof globalThis & { __darkroomLoginLimiter?: LoginLimiter };

/** The process-wide limiter (on globalThis: one per process whatever the bundling). */
export function loginLimiter(): LoginLimiter {
  globalForLimiter.__darkroomLoginLimiter ??= new LoginLimiter();
  return globalForLimiter.__darkroomLoginLimiter;
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
