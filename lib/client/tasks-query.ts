'use client';

import { useEffect, useState } from 'react';
import { keepPreviousData, useInfiniteQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { isFinished } from '../tasks/status';
import { taskPageSchema, taskViewSchema, type TaskPage, type TaskView } from '../tasks/view';
import { effectiveSort, filterFromSearchParams, filterKey, filterToSearchParams, type GalleryFilter } from '../gallery/filters';

/**
 * The gallery's data: pages of tasks from our own GET route (never the
 * provider). Changes arrive pushed over SSE (useTaskStream); polling is the
 * fallback while the stream is down.
 */
export const tasksKey = (filter: GalleryFilter) => ['tasks', filterKey(filter)] as const;

const POLL_MS = 1_000; // stream down, something on its way
const IDLE_POLL_MS = 5_000; // stream down, nothing pending: still notice tasks started elsewhere
const SAFETY_POLL_MS = 30_000; // stream up: a slow check in case an event was missed
const SAFETY_PENDING_POLL_MS = 10_000; // stream up, something on its way

export async function fetchTaskPage(filter: GalleryFilter, cursor: string | null): Promise<TaskPage> {
  const params = filterToSearchParams(filter);
  if (cursor) params.set('cursor', cursor);
  const response = await fetch(`/api/tasks?${params}`, { cache: 'no-store' });
  if (response.status === 401) {
    // The session ended (access gate): sign in again, then come back here. A full
    // navigation on purpose: the proxy decides, and client state is stale anyway.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  if (!response.ok) throw new Error(`Could not load the gallery (HTTP ${response.status}).`);
  return taskPageSchema.parse(await response.json());
}

export function useTaskPages(filter: GalleryFilter, initialPage: TaskPage | undefined, live: boolean) {
  return useInfiniteQuery({
    queryKey: tasksKey(filter),
    queryFn: ({ pageParam }) => fetchTaskPage(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initialPage ? { pages: [initialPage], pageParams: [null] } : undefined,
    // While another filter loads, keep showing the last result instead of an empty gallery.
    placeholderData: keepPreviousData,
    refetchInterval: (q) => {
      const pending = q.state.data?.pages.some((p) => p.tasks.some((t) => !isFinished(t.status)));
      if (live) return pending ? SAFETY_PENDING_POLL_MS : SAFETY_POLL_MS;
      return pending ? POLL_MS : IDLE_POLL_MS;
    },
    refetchIntervalInBackground: true,
  });
}

type Pages = InfiniteData<TaskPage, string | null>;

const fold = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Client-side approximation of the server's filter, for placing pushed tasks. */
function matchesFilter(task: TaskView, filter: GalleryFilter): boolean {
  if ((filter.view === 'trash') !== (task.deletedAt !== null)) return false;
  if (filter.ratio && task.ratio !== filter.ratio) return false;
  if (filter.status && task.status !== filter.status) return false;
  if (filter.favorites && !task.favorite) return false;
  const prompt = fold(task.prompt);
  return fold(filter.q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).every((w) => prompt.includes(w));
}

/** Put a task into every cached gallery query: replace it, or add it on top where it matches. */
export function upsertTask(client: QueryClient, task: TaskView) {
  for (const [key, data] of client.getQueriesData<Pages>({ queryKey: ['tasks'] })) {
    if (!data) continue;
    const filter = filterFromSearchParams(new URLSearchParams(String(key[1] ?? '')));
    const present = data.pages.some((p) => p.tasks.some((t) => t.id === task.id));
    const matches = matchesFilter(task, filter);
    if (present && !matches) {
      // E.g. moved to the Trash, maybe from another tab: it leaves this view.
      client.setQueryData<Pages>(key, {
        ...data,
        pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.filter((t) => t.id !== task.id) })),
      });
    } else if (present) {
      client.setQueryData<Pages>(key, {
        ...data,
        pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.map((t) => (t.id === task.id ? task : t)) })),
      });
    } else if (matches && effectiveSort(filter) === 'newest') {
      const [first, ...rest] = data.pages;
      if (!first) continue;
      // Only new tasks go on top; an old one we never loaded belongs further down.
      const newest = first.tasks[0];
      if (newest && newest.createdAt > task.createdAt) continue;
      client.setQueryData<Pages>(key, { ...data, pages: [{ ...first, tasks: [task, ...first.tasks] }, ...rest] });
    }
  }
}

export function removeTaskFromCache(client: QueryClient, id: string) {
  client.setQueriesData<Pages>({ queryKey: ['tasks'] }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.filter((t) => t.id !== id) })) } : data,
  );
}

/**
 * Follows /api/events. Returns whether the stream is live; EventSource
 * reconnects by itself, and after a reconnect we refetch what we may have missed.
 */
export function useTaskStream(): boolean {
  const client = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    source.addEventListener('ready', () => {
      setLive(true);
      // Whatever changed before this (re)connection was not pushed to us: catch up once.
      void client.invalidateQueries({ queryKey: ['tasks'] });
    });
    source.addEventListener('task', (event) => {
      const parsed = taskViewSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (parsed.success) upsertTask(client, parsed.data);
    });
    source.addEventListener('deleted', (event) => {
      const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string };
      removeTaskFromCache(client, id);
    });
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [client]);
  return live;
}
