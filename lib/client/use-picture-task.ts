'use client';

import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { taskViewSchema, type TaskView } from '../tasks/view';
import { fetchJson } from './http-error';

/**
 * The task the viewer shows: from the loaded gallery when it is there (and
 * live with it), else fetched by id — a link or a reload may name a picture
 * far down the gallery, or one another filter hides. `missing` once the
 * server says it does not exist.
 */
export function usePictureTask(id: string | null, loaded: readonly TaskView[]) {
  const local = id ? loaded.find((t) => t.id === id) : undefined;
  const remote = useQuery({
    queryKey: ['picture', id],
    queryFn: () => fetchJson(`/api/tasks/${encodeURIComponent(id!)}`, taskViewSchema),
    enabled: !!id && !local,
    retry: (count, error) => !('status' in error && error.status === 404) && count < 2,
  });
  const missing = !!id && !local && remote.isError;
  const found = local ?? (id ? remote.data : undefined) ?? null;
  // While the next one loads (Delete moved on; the refetched gallery dropped the old one), keep showing
  // the last picture: unmounting the viewer for a moment would drop focus and keys (Escape) on the floor.
  const [held, setHeld] = useState<TaskView | null>(null);
  if (found && found !== held) setHeld(found);
  return { task: found ?? (id && !missing ? held : null), missing };
}
