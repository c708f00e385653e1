'use client';

import { useQuery, type QueryClient } from '@tanstack/react-query';
import { spendingViewSchema, type SpendingView } from '../spending/view';
import { fetchJson } from './http-error';

/**
 * The spending guard's numbers (GET /api/spending) for the composer's meter: pictures sent today and
 * this month against their limits. Refetch after Generate with {@link invalidateSpending}; a slow poll
 * keeps it honest meanwhile (the follower sends queued pictures later, another tab or person spends too).
 */
export const SPENDING_KEY = ['spending'] as const;

/** Pictures are counted when the follower sends them, a moment after Generate: look again now and then. */
const POLL_MS = 30_000;

export function fetchSpending(): Promise<SpendingView> {
  return fetchJson('/api/spending', spendingViewSchema, {
    fallback: (status) => `Could not read today's picture count (HTTP ${status}).`,
  });
}

export function useSpending() {
  return useQuery({ queryKey: SPENDING_KEY, queryFn: fetchSpending, refetchInterval: POLL_MS });
}

/** The follower sends a new task upstream a moment after Generate returns: count once more after this. */
export const SPENDING_SETTLE_MS = 1_500;

/**
 * After Generate (and whenever pictures may have been sent): count again now, and once more
 * {@link SPENDING_SETTLE_MS} later, when the follower has sent what was just queued.
 */
export async function invalidateSpending(client: QueryClient): Promise<void> {
  await client.invalidateQueries({ queryKey: SPENDING_KEY });
  await new Promise<void>((resolve) => setTimeout(resolve, SPENDING_SETTLE_MS));
  await client.invalidateQueries({ queryKey: SPENDING_KEY });
}
