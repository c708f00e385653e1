'use client';

import type { TaskView } from '@/lib/tasks/view';
import { TaskTile } from './task-tile';
import type { TileAction } from './tile-states';

type Props = {
  tasks: TaskView[];
  query: string;
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onOpen: (task: TaskView) => void;
  onAction: (task: TaskView, action: TileAction) => void;
};

export function Gallery({ tasks, query, loading, hasMore, loadingMore, onLoadMore, onOpen, onAction }: Props) {
  return (
    <section aria-label="Gallery" className="flex flex-col gap-4">
      {tasks.length === 0 && !loading ? (
        <p className="rounded-lg border border-dashed border-neutral-700 p-8 text-center text-neutral-400">
          {query.trim()
            ? `No pictures match “${query.trim()}”.`
            : 'No pictures yet. Write a prompt above and press Generate.'}
        </p>
      ) : (
        <ul role="list" className="gallery flex flex-wrap gap-2">
          {tasks.map((task) => (
            <TaskTile key={task.id} task={task} onOpen={onOpen} onAction={onAction} />
          ))}
        </ul>
      )}
      {hasMore && (
        <button type="button" onClick={onLoadMore} disabled={loadingMore} className="btn-secondary self-center">
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
