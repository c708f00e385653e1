/**
 * Exponential backoff with full jitter: attempt 0 waits up to baseMs, each
 * further attempt doubles the ceiling up to maxMs. Jitter spreads retries from
 * many tasks so they do not hit a recovering provider at the same instant.
 */
export function backoffDelay(attempt: number, { baseMs = 500, maxMs = 30_000, random = Math.random } = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
