'use client';

import { seedLabel } from '@/lib/generation/model-draft';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchJson } from '@/lib/client/http-error';
import { taskViewSchema, type TaskView } from '@/lib/tasks/view';

const lineageSchema = z.object({ task: taskViewSchema, parent: taskViewSchema.nullable(), children: z.array(taskViewSchema) });

export function useLineage(taskId: string) {
  return useQuery({
    queryKey: ['lineage', taskId],
    queryFn: () => fetchJson(`/api/tasks/${taskId}/lineage`, lineageSchema),
    // Children appear as people click Reproduce / New seed: always check again when shown.
    staleTime: 0,
  });
}

const ORIGIN_VERB: Record<TaskView['origin'], string> = {
  new: 'New',
  reproduce: 'Reproduce',
  'new-seed': 'New seed',
  retry: 'Retry',
};

/** Where a picture came from and what was made from it (Reproduce / New seed / Retry chains). */
export function LineagePanel({ taskId, onOpen }: { taskId: string; onOpen: (task: TaskView) => void }) {
  const { data } = useLineage(taskId);
  if (!data || (!data.parent && data.children.length === 0)) return null;
  return (
    <section aria-label="Lineage" className="flex flex-col gap-2 text-sm">
      <h3 className="font-medium text-neutral-300">Lineage</h3>
      <ul className="flex flex-col gap-1">
        {data.parent && (
          <li>
            <LineageLink label="Parent" task={data.parent} onOpen={onOpen} />
          </li>
        )}
        {data.children.map((child) => (
          <li key={child.id}>
            <LineageLink label={`Child (${ORIGIN_VERB[child.origin]})`} task={child} onOpen={onOpen} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function LineageLink({ label, task, onOpen }: { label: string; task: TaskView; onOpen: (task: TaskView) => void }) {
  return (
    <button
      type="button"
      className="flex w-full items-center gap-2 rounded-md p-1 text-left hover:bg-neutral-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-amber-400"
      onClick={() => onOpen(task)}
    >
      {task.image && !task.image.lost ? (
        // eslint-disable-next-line @next/next/no-img-element -- our own thumbnail URL
        <img src={task.image.url} srcSet={task.image.srcSet} sizes="48px" alt="" className="size-12 shrink-0 rounded object-cover" />
      ) : (
        <span className="flex size-12 shrink-0 items-center justify-center rounded bg-neutral-800 text-xs text-neutral-400">
          {task.status === 'FAILED' ? 'Failed' : '…'}
        </span>
      )}
      <span className="min-w-0">
        <span className="block text-xs text-neutral-400">
          {label} · {seedLabel(task)}
        </span>
        <span className="line-clamp-1">{task.prompt}</span>
      </span>
    </button>
  );
}
