import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RateLimiterMemory } from 'rate-limiter-flexible';
import { addressKey, LoginLimiter } from '@/lib/auth/rate-limit';

const wrong = () => false;
const right = () => true;
const minute = 60_000;

// rate-limiter-flexible reads Date.now(): the clock is faked and set before each attempt.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** One attempt at wall-clock time `at` (ms). */
function attemptAt(limiter: LoginLimiter, address: string, at: number, check: () => boolean) {
  vi.setSystemTime(at);
  return limiter.attempt(address, check);
}

describe('login rate limiter', () => {
  it('allows five wrong passwords per address, then refuses without checking', async () => {
    const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 5 * minute });
    const t0 = 1_000_000;
    for (let i = 1; i <= 5; i++) {
      expect(await attemptAt(limiter, '10.0.0.1', t0 + i * 1000, wrong)).toMatchObject({
        ok: false,
        reason: 'wrong-password',
        attemptsLeft: 5 - i,
      });
    }
    let checked = false;
    const sixth = await attemptAt(limiter, '10.0.0.1', t0 + 6000, () => (checked = true));
    expect(sixth).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(checked).toBe(false); // even the right password is not looked at while limited
    // The first failure (t0+1s) leaves the window at t0+1s+5min.
    expect(sixth.ok === false && sixth.retryAfterMs).toBe(5 * minute - 5000);
  });

  it('says on the fifth failure how long to wait', async () => {
    const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 5 * minute });
    for (let i = 0; i < 4; i++) await attemptAt(limiter, 'a', i * 1000, wrong);
    // Counted from the first failure (at 0), which is 4 s old by now.
    expect(await attemptAt(limiter, 'a', 4000, wrong)).toEqual({
      ok: false,
      reason: 'wrong-password',
      attemptsLeft: 0,
      retryAfterMs: 5 * minute - 4000,
    });
  });

  it('lets the address try again once the oldest failures leave the window (sliding)', async () => {
    const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 5 * minute });
    for (let i = 0; i < 5; i++) await attemptAt(limiter, 'a', i * minute, wrong); // failures at 0,1,2,3,4 min
    expect(await attemptAt(limiter, 'a', 5 * minute - 1, right)).toMatchObject({ reason: 'rate-limited', retryAfterMs: 1 });
    expect(await attemptAt(limiter, 'a', 5 * minute, wrong)).toMatchObject({ reason: 'wrong-password', attemptsLeft: 0 });
    expect(await attemptAt(limiter, 'a', 5 * minute + 1, right)).toMatchObject({ reason: 'rate-limited' });
    expect(await attemptAt(limiter, 'a', 11 * minute, right)).toEqual({ ok: true });
  });

  it('keeps addresses apart', async () => {
    const limiter = new LoginLimiter({ maxFailures: 2, windowMs: minute });
    await attemptAt(limiter, 'a', 0, wrong);
    await attemptAt(limiter, 'a', 1, wrong);
    expect(await attemptAt(limiter, 'a', 2, right)).toMatchObject({ reason: 'rate-limited' });
    expect(await attemptAt(limiter, 'b', 2, right)).toEqual({ ok: true });
  });

  it('forgets failures after a successful sign-in', async () => {
    const limiter = new LoginLimiter({ maxFailures: 3, windowMs: minute });
    await attemptAt(limiter, 'a', 0, wrong);
    await attemptAt(limiter, 'a', 1, wrong);
    expect(await attemptAt(limiter, 'a', 2, right)).toEqual({ ok: true });
    expect(await attemptAt(limiter, 'a', 3, wrong)).toMatchObject({ attemptsLeft: 2 });
  });

  it('checks at most maxFailures passwords per window even when attempts arrive at once', async () => {
    const limiter = new LoginLimiter({ maxFailures: 5, windowMs: minute });
    vi.setSystemTime(0);
    let checks = 0;
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.attempt('a', () => (checks++, false))));
    expect(checks).toBe(5);
    expect(results.filter((r) => !r.ok && r.reason === 'rate-limited')).toHaveLength(15);
  });

  it('bounds its memory under a flood of addresses', async () => {
    const limiter = new LoginLimiter({ maxFailures: 5, windowMs: minute, maxTrackedAddresses: 100 });
    for (let i = 0; i < 1000; i++) await attemptAt(limiter, `10.0.${i >> 8}.${i & 255}`, i, wrong);
    // The most recent addresses are still tracked.
    expect(await attemptAt(limiter, '10.0.3.231', 2000, wrong)).toMatchObject({ attemptsLeft: 3 });
    // What the library's memory store holds: one key per failure (`<address>#<slot>`), of at most 100 addresses.
    const keys = (limiter.slots as RateLimiterMemory).dump().storage.map((record) => String(record.key));
    expect(new Set(keys.map((key) => key.split('#')[0])).size).toBeLessThanOrEqual(100);
    expect(keys.length).toBeLessThanOrEqual(101);
  });
});

describe('addressKey', () => {
  it('counts IPv4 (also IPv4-mapped) per address and IPv6 per /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('')).toBe('unknown');
  });
});
