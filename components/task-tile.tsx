'use client';

import { ratioSize } from '@/lib/generation/schema';
import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { Elapsed } from './elapsed';

const ROW_HEIGHT = 220;

/** Tile id, used to return focus to a tile when its dialog closes. */
export const tileId = (taskId: string) => `tile-${taskId}`;

export function TaskTile({ task, onOpen }: { task: TaskView; onOpen: (task: TaskView) => void }) {
  const { width, height } = ratioSize(task.ratio);
  const aspect = width / height;
  return (
    <li
      className="tile relative min-w-0"
      // Justified rows: each tile grows in proportion to its aspect ratio.
      style={{ flexGrow: aspect, flexBasis: `${aspect * ROW_HEIGHT}px` }}
      data-status={task.status}
      aria-label={`${STATUS_LABEL[task.status]}: ${task.prompt}`}
    >
      <div className="relative w-full overflow-hidden rounded-lg bg-neutral-900" style={{ aspectRatio: `${width} / ${height}` }}>
        {task.status === 'COMPLETED' && task.image ? (
          <button
            id={tileId(task.id)}
            type="button"
            onClick={() => onOpen(task)}
            className="group absolute inset-0 block h-full w-full cursor-zoom-in focus-visible:outline-none"
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable URL, sized by the tile */}
            <img
              src={task.image.url}
              alt={task.prompt}
              width={task.image.width}
              height={task.image.height}
              loading="lazy"
              decoding="async"
              className="h-full w-full object-cover transition duration-200 group-hover:scale-[1.02] group-focus-visible:brightness-110"
            />
            <span className="pointer-events-none absolute inset-0 rounded-lg ring-inset group-focus-visible:ring-4 group-focus-visible:ring-amber-400" />
            <span className="pointer-events-none absolute inset-x-0 bottom-0 flex items-end justify-between gap-2 bg-gradient-to-t from-black/80 to-transparent p-2 pt-8 text-left text-xs text-neutral-100 opacity-90 sm:opacity-0 sm:transition sm:group-hover:opacity-100 sm:group-focus-visible:opacity-100">
              <span className="line-clamp-2">{task.prompt}</span>
              <span className="status-pill shrink-0 bg-emerald-500/20 text-emerald-200">{STATUS_LABEL.COMPLETED}</span>
            </span>
          </button>
        ) : task.status === 'FAILED' ? (
          <div className="absolute inset-0 flex flex-col justify-between gap-2 overflow-auto border border-red-500/30 bg-red-950/40 p-3 text-sm">
            <span className="status-pill self-start bg-red-500/20 text-red-200">{STATUS_LABEL.FAILED}</span>
            <p className="text-red-100">{task.statusDetail ?? 'The picture could not be made.'}</p>
            <p className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</p>
          </div>
        ) : (
          <div className="pending-tile absolute inset-0 flex flex-col justify-between p-3 text-sm">
            <div className="flex items-center justify-between gap-2">
              <span className="status-pill bg-amber-400/15 text-amber-200">{STATUS_LABEL[task.status]}</span>
              <span className="text-xs text-neutral-300">
                <Elapsed since={task.createdAt} />
              </span>
            </div>
            {task.statusDetail && <p className="text-xs text-neutral-300">{task.statusDetail}</p>}
            <p className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</p>
          </div>
        )}
      </div>
    </li>
  );
}
