'use client';

import type { MouseEvent } from 'react';
import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { FailedTile, PendingTile, UnsavedTile, type TileAction } from './tile-states';

/** Tile id, used to return focus to a tile when its dialog closes. */
export const tileId = (taskId: string) => `tile-${taskId}`;

type Props = {
  task: TaskView;
  width: number;
  height: number;
  /** Where the virtualized grid places the tile. */
  position: { x: number; y: number };
  selected: boolean;
  selecting: boolean;
  onOpen: (task: TaskView) => void;
  onAction: (task: TaskView, action: TileAction) => void;
  onFavorite: (task: TaskView) => void;
  onSelect: (task: TaskView, range: boolean) => void;
};

export function TaskTile({ task, width, height, position, selected, selecting, onOpen, onAction, onFavorite, onSelect }: Props) {
  const lost = !!task.image?.lost;
  const label = `${lost ? 'Picture lost' : STATUS_LABEL[task.status]}: ${task.prompt}`;
  return (
    <li
      className="group/tile absolute top-0 left-0 overflow-hidden rounded-lg bg-neutral-900"
      style={{ width, height, transform: `translate(${position.x}px, ${position.y}px)` }}
      data-status={task.status}
      data-lost={lost || undefined}
      aria-label={label}
    >
      {task.status === 'COMPLETED' && task.image ? (
        lost ? (
          // Still opens the dialog: Reproduce (same seed) can make the picture again.
          <button id={tileId(task.id)} type="button" onClick={() => onOpen(task)} className="tile-lost">
            <span className="status-pill self-start bg-neutral-500/20 text-neutral-200">Picture lost</span>
            <span className="text-xs text-neutral-300">The stored file is gone and the provider no longer has it.</span>
            <span className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</span>
          </button>
        ) : (
          <button
            id={tileId(task.id)}
            type="button"
            onClick={(e: MouseEvent) => (selecting || e.shiftKey ? onSelect(task, e.shiftKey) : onOpen(task))}
            className="group absolute inset-0 block h-full w-full cursor-zoom-in focus-visible:outline-none"
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable URL, sized by the tile */}
            <img
              src={task.image.url}
              srcSet={task.image.srcSet}
              sizes={`${Math.ceil(width)}px`}
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
            <span className="tile-caption">
              <span className="line-clamp-2">{task.prompt}</span>
              {/* Fixed colours: this sits on the picture's dark gradient in both themes. */}
              <span className="status-pill shrink-0 bg-[#065f46e6] text-white">{STATUS_LABEL.COMPLETED}</span>
            </span>
          </button>
        )
      ) : task.status === 'FAILED' ? (
        <FailedTile task={task} onAction={onAction} />
      ) : task.status === 'UNSAVED' ? (
        <UnsavedTile task={task} onAction={onAction} />
      ) : (
        <PendingTile task={task} onAction={onAction} />
      )}
      <div className={`tile-controls ${selecting || selected || task.favorite ? 'opacity-100' : ''}`}>
        <label className="tile-control cursor-pointer">
          <input
            type="checkbox"
            className="size-4 accent-amber-400"
            checked={selected}
            onChange={() => undefined}
            onClick={(e) => onSelect(task, e.shiftKey)}
            aria-label={`Select: ${task.prompt}`}
          />
        </label>
        <button
          type="button"
          className="tile-control"
          aria-pressed={task.favorite}
          aria-label={`Favorite: ${task.prompt}`}
          title={task.favorite ? 'Remove from favorites' : 'Add to favorites'}
          onClick={() => onFavorite(task)}
        >
          <span aria-hidden className={task.favorite ? 'text-amber-300' : 'text-white'}>
            {task.favorite ? '★' : '☆'}
          </span>
        </button>
      </div>
    </li>
  );
}
