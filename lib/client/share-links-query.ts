'use client';

import { useQuery, type QueryClient } from '@tanstack/react-query';
import { shareLinkListSchema, type ShareLinkList } from '../share/view';
import { fetchJson } from './http-error';

/**
 * The Shared links list (GET /api/share-links) for the studio. Its key is
 * outside the `['tasks', …]` prefix, which holds gallery pages only. Making or
 * revoking a link calls invalidateShareLinks.
 */
export const SHARE_LINKS_KEY = 'share-links';

export const shareLinksKey = (taskId?: string) => [SHARE_LINKS_KEY, taskId ?? 'all'] as const;

export function fetchShareLinks(taskId?: string): Promise<ShareLinkList> {
  const query = taskId ? `?taskId=${encodeURIComponent(taskId)}` : '';
  return fetchJson(`/api/share-links${query}`, shareLinkListSchema, {
    fallback: (status) => `Could not load the shared links (HTTP ${status}).`,
  });
}

/** Every link not revoked (or only one picture's), newest first. "Last viewed" changes while it shows, hence the poll. */
export function useShareLinks(taskId?: string) {
  return useQuery({ queryKey: shareLinksKey(taskId), queryFn: () => fetchShareLinks(taskId), refetchInterval: 60_000 });
}

export function invalidateShareLinks(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: [SHARE_LINKS_KEY] });
}
