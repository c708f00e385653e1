'use client';

import { useQuery, type QueryClient } from '@tanstack/react-query';
import { boardListSchema, taskBoardsSchema, type BoardList, type TaskBoards } from '../boards/view';
import { fetchJson } from './http-error';

/**
 * Boards in the browser: the list (GET /api/boards) and one picture's boards (GET /api/tasks/<id>/boards).
 *
 * The keys are deliberately outside the `['tasks', …]` prefix: everything under that prefix is a cache of
 * gallery pages (upsertTask, removeTaskFromCache and the stream's invalidations walk it). Every boards
 * query starts with BOARDS_KEY, so after a change `invalidateBoards` refreshes them all; the gallery's own
 * pages (`['tasks']`, and the summary) are the caller's to invalidate when a board view may have changed.
 */
export const BOARDS_KEY = 'boards';

export const boardsListKey = () => [BOARDS_KEY, 'list'] as const;
export const taskBoardsKey = (taskId: string) => [BOARDS_KEY, 'task', taskId] as const;

/**
 * A selection's key: its size and a hash of its sorted ids (a selection may hold 10,000 ids; the key
 * need not carry them all).
 */
export function boardMembershipKey(taskIds: string[]) {
  const sorted = [...new Set(taskIds)].sort();
  let hash = 0x811c9dc5; // FNV-1a, 32 bits
  for (const id of sorted) {
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0x2c, 0x01000193);
  }
  return [BOARDS_KEY, 'membership', sorted.length, (hash >>> 0).toString(36)] as const;
}

/** Counts and covers change with every task change; pushed events do not cover boards, so poll slowly. */
const POLL_MS = 60_000;

export function fetchBoards(): Promise<BoardList> {
  return fetchJson('/api/boards', boardListSchema, { fallback: (status) => `Could not load the boards (HTTP ${status}).` });
}

export function fetchTaskBoards(taskId: string): Promise<TaskBoards> {
  return fetchJson(`/api/tasks/${encodeURIComponent(taskId)}/boards`, taskBoardsSchema, {
    fallback: (status) => `Could not load the picture's boards (HTTP ${status}).`,
  });
}

/** Every board, by name, with its count and cover. */
export function useBoards({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: boardsListKey(), queryFn: fetchBoards, refetchInterval: POLL_MS, enabled });
}

/** The boards one picture is on; always checked again when shown. */
export function useTaskBoards(taskId: string | null | undefined) {
  return useQuery({
    queryKey: taskBoardsKey(taskId ?? ''),
    queryFn: () => fetchTaskBoards(taskId!),
    enabled: !!taskId,
    staleTime: 0,
  });
}

/** After creating, renaming or deleting a board, or putting pictures on or off one: refresh every boards query. */
export function invalidateBoards(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: [BOARDS_KEY] });
}
