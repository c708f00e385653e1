'use client';

import { useEffect, useState } from 'react';
import {
  keepPreviousData,
  useInfiniteQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { isFinished } from '../tasks/status';
import { taskPageSchema, taskViewSchema, type TaskPage, type TaskView } from '../tasks/view';
import { isRatio } from '../generation/ratio-groups';
import {
  DEFAULT_FILTER,
  effectiveSort,
  filterFromSearchParams,
  filterKey,
  filterToSearchParams,
  withinFrom,
  type GalleryFilter,
} from '../gallery/filters';
import { httpErrorOf } from './http-error';

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

export async function fetchTaskPage(filter: GalleryFilter, cursor: string | null, limit?: number): Promise<TaskPage> {
  const params = filterToSearchParams(filter);
  if (cursor) params.set('cursor', cursor);
  if (limit) params.set('limit', String(limit));
  const response = await fetch(`/api/tasks?${params}`, { cache: 'no-store' });
  if (response.status === 401) {
    // The session ended (access gate): sign in again, then come back here. A full
    // navigation on purpose: the proxy decides, and client state is stale anyway.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  // The server's detail when it sent problem details (e.g. a refused cursor), else a plain note.
  if (!response.ok) throw await httpErrorOf(response, `Could not load the gallery (HTTP ${response.status}).`);
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

/**
 * Where a pushed task belongs in each cached gallery view. The field parts of
 * the server's filter (Trash or not, ratio, model, status, favorites, the `from` month) are plain
 * comparisons, done here exactly as lib/gallery/query.ts does them in SQL. A board view
 * (`board`) is the exception: membership is not on TaskView, so a listed task is judged by its
 * other fields (it stays on the board) and an unlisted one is never added (see upsertTask).
 * Whether a prompt matches a search is the server's call alone: SQLite FTS5
 * (unicode61 tokens, diacritics removed, every word a word *prefix*) decides,
 * and an imitation here disagreed with it (a substring test let "cat" find
 * "concatenated"). So when a search is active and a task would go on top, the
 * client asks the server (searchIncludes) and waits for the answer.
 */
function matchesFields(task: TaskView, filter: GalleryFilter): boolean {
  if ((filter.view === 'trash') !== (task.deletedAt !== null)) return false;
  if (filter.ratio && task.ratio !== filter.ratio) return false;
  if (filter.model && task.model !== filter.model) return false;
  if (filter.status && task.status !== filter.status) return false;
  if (filter.favorites && !task.favorite) return false;
  // "Jump to date": a view starting at October never gets a task from November or later on top.
  if (!withinFrom(filter, task.createdAt)) return false;
  return true;
}

/** The search part of a filter, trimmed as the URL keeps it; '' when there is none. */
const searchOf = (filter: GalleryFilter) => filter.q.trim();

/** The page size of a search probe: a new task sits at the very top, a few more cover ties. */
const PROBE_LIMIT = 20;
const MAX_VERDICTS = 500;
/**
 * Server answers per (search, task id). A prompt never changes, so neither
 * does its answer: each task costs one request per search per tab, however many
 * status changes are pushed, and views sharing a search share it. Pending
 * answers are shared too (a burst of events asks once).
 */
const verdicts = new Map<string, Promise<boolean | null>>();

/**
 * Whether the server's search `q` finds `task`: true or false as the server
 * says, or null when it could not tell (request failed, or the task is older
 * than a whole page of newer matches) — then the task is left out for now and
 * the next refetch places it.
 */
export function searchIncludes(q: string, task: TaskView): Promise<boolean | null> {
  const key = JSON.stringify([q, task.id]);
  const known = verdicts.get(key);
  if (known) return known;
  // Same view and ratio as the task (both exact): the fewer rivals, the nearer the top it is.
  const probe: GalleryFilter = {
    ...DEFAULT_FILTER,
    q,
    ratio: isRatio(task.ratio) ? task.ratio : undefined,
    model: task.model,
    view: task.deletedAt === null ? 'gallery' : 'trash',
  };
  const verdict = fetchTaskPage(probe, null, PROBE_LIMIT).then(
    (page) => {
      if (page.tasks.some((t) => t.id === task.id)) return true;
      // Newest first: the page covers the task's time unless it is full of newer matches.
      const last = page.tasks.at(-1);
      const covered = page.nextCursor === null || (last !== undefined && last.createdAt < task.createdAt);
      if (!covered) verdicts.delete(key);
      return covered ? false : null;
    },
    () => {
      verdicts.delete(key); // ask again next time
      return null;
    },
  );
  verdicts.set(key, verdict);
  if (verdicts.size > MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
  return verdict;
}

const withoutTask = (data: Pages, id: string): Pages => ({
  ...data,
  pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.filter((t) => t.id !== id) })),
});

/** Newest-first order, as the server sorts: createdAt, then id, both descending. */
const newerFirst = (a: TaskView, b: TaskView) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

/**
 * Where a task goes in the first loaded page of a newest-first view: its sorted
 * place (a batch's pictures, 1 ms apart, may arrive in any order), or null when
 * it sorts below the first page's last task while more pages exist (an old task
 * we never loaded belongs further down: the next refetch places it).
 */
function firstPageSlot(data: Pages, task: TaskView): number | null {
  const first = data.pages[0];
  if (!first) return null;
  const at = first.tasks.findIndex((t) => newerFirst(task, t) < 0);
  if (at >= 0) return at;
  return data.pages.length > 1 || first.nextCursor !== null ? null : first.tasks.length;
}

function putInFirstPage(client: QueryClient, key: QueryKey, task: TaskView) {
  const data = client.getQueryData<Pages>(key);
  // Looked at again: the cache may have changed while the server was asked.
  if (!data || data.pages.some((p) => p.tasks.some((t) => t.id === task.id))) return;
  const slot = firstPageSlot(data, task);
  if (slot === null) return;
  const [first, ...rest] = data.pages;
  const tasks = [...first.tasks.slice(0, slot), task, ...first.tasks.slice(slot)];
  client.setQueryData<Pages>(key, { ...data, pages: [{ ...first, tasks }, ...rest] });
}

/**
 * Put a task into every cached gallery query: replace it where it is, drop it
 * where it no longer fits, add it on top where it now does. A task already
 * listed under a search was put there by the server, so only its fields need
 * checking; a new one under a search waits for the server's answer. Resolves
 * once every view is settled (tests await it; the UI need not).
 */
export async function upsertTask(client: QueryClient, task: TaskView): Promise<void> {
  const asks: Array<Promise<void>> = [];
  for (const [key, data] of client.getQueriesData<Pages>({ queryKey: ['tasks'] })) {
    if (!data) continue;
    const filter = filterFromSearchParams(new URLSearchParams(String(key[1] ?? '')));
    const present = data.pages.some((p) => p.tasks.some((t) => t.id === task.id));
    const fits = matchesFields(task, filter);
    if (present && !fits) {
      // E.g. moved to the Trash, maybe from another tab: it leaves this view.
      client.setQueryData<Pages>(key, withoutTask(data, task.id));
    } else if (present) {
      client.setQueryData<Pages>(key, {
        ...data,
        pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.map((t) => (t.id === task.id ? task : t)) })),
      });
    } else if (fits && !filter.board && effectiveSort(filter) === 'newest' && firstPageSlot(data, task) !== null) {
      // Not in a board view: a task's boards are not on TaskView, and a new task is on none. Pictures put
      // on a board (or taken off) arrive by invalidating the gallery's queries after the change.
      const q = searchOf(filter);
      if (!q) putInFirstPage(client, key, task);
      else asks.push(searchIncludes(q, task).then((found) => (found ? putInFirstPage(client, key, task) : undefined)));
    }
  }
  await Promise.all(asks);
}

export function removeTaskFromCache(client: QueryClient, id: string) {
  client.setQueriesData<Pages>({ queryKey: ['tasks'] }, (data) => (data ? withoutTask(data, id) : data));
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
      if (parsed.success) void upsertTask(client, parsed.data);
    });
    source.addEventListener('deleted', (event) => {
      const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string };
      removeTaskFromCache(client, id);
    });
    // The server missed changes (its cross-instance listener reconnected): catch up, as after our own reconnect.
    source.addEventListener('resync', () => void client.invalidateQueries({ queryKey: ['tasks'] }));
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [client]);
  return live;
}
