'use client';

import { useEffect } from 'react';
import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { isFinished } from '../tasks/status';
import { taskPageSchema, type TaskPage, type TaskView } from '../tasks/view';

/**
 * The gallery's data: pages of tasks from our own GET route (never the
 * provider), refreshed every second while anything is unfinished.
 */
export const tasksKey = (query: string) => ['tasks', query.trim()] as const;

// Fast while something is on its way; slow otherwise, so a tab still notices
// tasks started elsewhere (another browser, a phone).
const POLL_MS = 1_000;
const IDLE_POLL_MS = 5_000;

export async function fetchTaskPage(query: string, cursor: string | null): Promise<TaskPage> {
  const params = new URLSearchParams();
  if (query.trim()) params.set('q', query.trim());
  if (cursor) params.set('cursor', cursor);
  const response = await fetch(`/api/tasks?${params}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`Could not load the gallery (HTTP ${response.status}).`);
  return taskPageSchema.parse(await response.json());
}

export function useTaskPages(query: string, initialPage?: TaskPage) {
  return useInfiniteQuery({
    queryKey: tasksKey(query),
    queryFn: ({ pageParam }) => fetchTaskPage(query, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initialPage ? { pages: [initialPage], pageParams: [null] } : undefined,
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.tasks.some((t) => !isFinished(t.status))) ? POLL_MS : IDLE_POLL_MS,
    refetchIntervalInBackground: true,
  });
}

// Tabs of the same browser tell each other about changes at once.
const CHANNEL = 'darkroom-tasks';

export function useCrossTabRefresh() {
  const client = useQueryClient();
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = () => void client.invalidateQueries({ queryKey: ['tasks'] });
    return () => channel.close();
  }, [client]);
}

function tellOtherTabs() {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

type Pages = InfiniteData<TaskPage, string | null>;

/** Cache edits after a mutation, so the change shows before the next poll. */
export function useTaskCache() {
  const client = useQueryClient();
  return {
    add(task: TaskView, query: string) {
      const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const matches = words.every((w) => task.prompt.toLowerCase().includes(w));
      if (matches) {
        client.setQueryData<Pages>(tasksKey(query), (data) => {
          if (!data) return data;
          const [first, ...rest] = data.pages;
          if (first.tasks.some((t) => t.id === task.id)) return data;
          return { ...data, pages: [{ ...first, tasks: [task, ...first.tasks] }, ...rest] };
        });
      }
      void client.invalidateQueries({ queryKey: ['tasks'], refetchType: 'none' });
      tellOtherTabs();
    },
    remove(id: string) {
      client.setQueriesData<Pages>({ queryKey: ['tasks'] }, (data) =>
        data
          ? { ...data, pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.filter((t) => t.id !== id) })) }
          : data,
      );
      tellOtherTabs();
    },
  };
}
