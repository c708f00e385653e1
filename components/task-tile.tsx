'use client';

import { ratioSize } from '@/lib/generation/schema';
import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { FailedTile, PendingTile, type TileAction } from './tile-states';

const ROW_HEIGHT = 220;

/**
 * `sizes` for a justified row: a tile starts at aspect × 220 px and flex-grow
 * stretches it to fill the row, rarely by more than a quarter; on phones
 * (below Tailwind's `sm`) a tile can take the whole width.
 */
function tileSizes(aspect: number): string {
  return `(max-width: 639px) 100vw, ${Math.ceil(aspect * ROW_HEIGHT * 1.25)}px`;
}

/** Tile id, used to return focus to a tile when its dialog closes. */
export const tileId = (taskId: string) => `tile-${taskId}`;

type Props = { task: TaskView; onOpen: (task: TaskView) => void; onAction: (task: TaskView, action: TileAction) => void };

export function TaskTile({ task, onOpen, onAction }: Props) {
  const { width, height } = ratioSize(task.ratio);
  const aspect = width / height;
  return (
    <li
      className="tile relative min-w-0"
      // Justified rows: each tile grows in proportion to its aspect ratio.
      style={{ flexGrow: aspect, flexBasis: `${aspect * ROW_HEIGHT}px` }}
      data-status={task.status}
      data-lost={task.image?.lost || undefined}
      aria-label={`${task.image?.lost ? 'Picture lost' : STATUS_LABEL[task.status]}: ${task.prompt}`}
    >
      <div className="relative w-full overflow-hidden rounded-lg bg-neutral-900" style={{ aspectRatio: `${width} / ${height}` }}>
        {task.status === 'COMPLETED' && task.image?.lost ? (
          // Still opens the dialog: Reproduce (same seed) can make the picture again.
          <button
            id={tileId(task.id)}
            type="button"
            onClick={() => onOpen(task)}
            className="absolute inset-0 flex flex-col justify-between gap-2 overflow-auto border border-neutral-600 bg-neutral-900 p-3 text-left text-sm focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-inset focus-visible:ring-amber-400"
          >
            <span className="status-pill self-start bg-neutral-500/20 text-neutral-200">Picture lost</span>
            <span className="text-xs text-neutral-300">The stored file is gone and the provider no longer has it.</span>
            <span className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</span>
          </button>
        ) : task.status === 'COMPLETED' && task.image ? (
          <button
            id={tileId(task.id)}
            type="button"
            onClick={() => onOpen(task)}
            className="group absolute inset-0 block h-full w-full cursor-zoom-in focus-visible:outline-none"
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable URL, sized by the tile */}
            <img
              src={task.image.url}
              srcSet={task.image.srcSet}
              sizes={tileSizes(aspect)}
              alt={task.prompt}
              width={task.image.width}
              height={task.image.height}
              loading="lazy"
              decoding="async"
              // The blurred preview shows through until the picture has painted over it.
              style={task.image.placeholder ? { backgroundImage: `url("${task.image.placeholder}")`, backgroundSize: 'cover' } : undefined}
              className="h-full w-full object-cover transition duration-200 group-hover:scale-[1.02] group-focus-visible:brightness-110"
            />
            <span className="pointer-events-none absolute inset-0 rounded-lg ring-inset group-focus-visible:ring-4 group-focus-visible:ring-amber-400" />
            <span className="pointer-events-none absolute inset-x-0 bottom-0 flex items-end justify-between gap-2 bg-gradient-to-t from-black/80 to-transparent p-2 pt-8 text-left text-xs text-neutral-100 opacity-90 sm:opacity-0 sm:transition sm:group-hover:opacity-100 sm:group-focus-visible:opacity-100">
              <span className="line-clamp-2">{task.prompt}</span>
              <span className="status-pill shrink-0 bg-emerald-500/20 text-emerald-200">{STATUS_LABEL.COMPLETED}</span>
            </span>
          </button>
        ) : task.status === 'FAILED' ? (
          <FailedTile task={task} onAction={onAction} />
        ) : (
          <PendingTile task={task} onAction={onAction} />
        )}
      </div>
    </li>
  );
}
