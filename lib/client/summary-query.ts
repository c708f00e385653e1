'use client';

import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { filterKey, filterToSearchParams, type GalleryFilter } from '../gallery/filters';
import { gallerySummarySchema, type GallerySummary } from '../gallery/summary-view';
import { fetchJson } from './http-error';

/**
 * The gallery's total and per-month counts (GET /api/tasks/summary) for the month scrubber.
 *
 * Its key is deliberately outside the `['tasks', …]` prefix: everything under that prefix is a
 * cache of gallery pages (upsertTask, removeTaskFromCache and the stream's invalidations walk it and
 * treat each entry as InfiniteData<TaskPage>). `from` and the sort do not change the counts, so they
 * are left out of the key: jumping to a month or re-sorting reuses the answer.
 */
export const GALLERY_SUMMARY_KEY = 'gallery-summary';

/** The part of a filter the counts depend on. */
const countedFilter = (filter: GalleryFilter): GalleryFilter => ({ ...filter, from: undefined, sort: 'newest' });

export const gallerySummaryKey = (filter: GalleryFilter) => [GALLERY_SUMMARY_KEY, filterKey(countedFilter(filter))] as const;

/** Counts change rarely and are refreshed on every task change (invalidateGallerySummary); this is a safety net. */
const SAFETY_POLL_MS = 60_000;

export function fetchGallerySummary(filter: GalleryFilter): Promise<GallerySummary> {
  return fetchJson(`/api/tasks/summary?${filterToSearchParams(countedFilter(filter))}`, gallerySummarySchema, {
    fallback: (status) => `Could not count the pictures (HTTP ${status}).`,
  });
}

export function useGallerySummary(filter: GalleryFilter) {
  return useQuery({
    queryKey: gallerySummaryKey(filter),
    queryFn: () => fetchGallerySummary(filter),
    // While another filter's counts load, keep the last ones instead of flashing an empty scrubber.
    placeholderData: keepPreviousData,
    refetchInterval: SAFETY_POLL_MS,
  });
}

/** A burst of task events (a batch finishing, a bulk action) costs one recount, this long after its first. */
export const SUMMARY_SETTLE_MS = 250;
const pending = new WeakMap<QueryClient, Promise<void>>();

/**
 * Marks every cached summary stale (refetching the ones on screen) {@link SUMMARY_SETTLE_MS} from
 * now. Call it wherever tasks are added, trashed, restored, deleted or favorited and on every pushed
 * task event — next to `invalidateQueries({ queryKey: ['tasks'] })`, since that prefix does not cover
 * these counts. Calls while one is waiting share it (and its promise); a later call recounts again.
 */
export function invalidateGallerySummary(client: QueryClient): Promise<void> {
  const waiting = pending.get(client);
  if (waiting) return waiting;
  const done = new Promise<void>((resolve) => setTimeout(resolve, SUMMARY_SETTLE_MS)).then(() => {
    pending.delete(client);
    return client.invalidateQueries({ queryKey: [GALLERY_SUMMARY_KEY] });
  });
  pending.set(client, done);
  return done;
}
