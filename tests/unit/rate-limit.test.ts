import { describe, expect, it } from 'vitest';
import { TokenBucket } from '@/lib/freepik/rate-limit';

describe('provider rate limiter', () => {
  it('lets a burst through, then holds the average rate', async () => {
    const bucket = new TokenBucket(50, 5);
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 15 }, () => bucket.acquire().then(() => times.push(Date.now() - started))));
    times.sort((a, b) => a - b);
    expect(times[4]).toBeLessThan(15); // the burst of 5 is immediate
    // 10 more at 50/s take ~200 ms: never faster than the rate allows.
    expect(times[14]).toBeGreaterThanOrEqual(180);
    expect(times[14]).toBeLessThan(600);
  });
});
