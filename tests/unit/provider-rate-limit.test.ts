import { describe, expect, it } from 'vitest';
import { TokenBucket } from '@/lib/freepik/rate-limit';
import { FakeClock, settle } from '../support/fake-clock';

describe('provider rate limiter', () => {
  it('lets a burst through, then holds the average rate exactly', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(50, 5, clock);
    const started = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 15; i++) void bucket.acquire().then(() => times.push(clock.now() - started));
    await settle();
    expect(times).toEqual([0, 0, 0, 0, 0]); // the burst of 5 is immediate
    await clock.advance(1_000);
    // 10 more at 50/s: one every 20 ms, never sooner.
    expect(times.slice(5)).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
  });

  it('refills while idle, up to its capacity only', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 3, clock);
    let granted = 0;
    for (let i = 0; i < 3; i++) void bucket.acquire().then(() => granted++);
    await settle();
    expect(granted).toBe(3);
    await clock.advance(10_000); // 100 tokens' worth of time, but the bucket holds 3
    for (let i = 0; i < 5; i++) void bucket.acquire().then(() => granted++);
    await settle();
    expect(granted).toBe(6);
    await clock.advance(100);
    expect(granted).toBe(7);
  });
});
