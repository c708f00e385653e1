'use client';

import { modelOf } from '@/lib/freepik/models';
import { memo, useState, type MouseEvent } from 'react';
import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { FailedTile, PendingTile, UnsavedTile, type TileAction } from './tile-states';

/** Tile id: the tile's own button, which roving focus moves between and the dialog returns focus to. */
export const tileId = (taskId: string) => `tile-${taskId}`;

type Props = {
  task: TaskView;
  width: number;
  height: number;
  /** Where the virtualized grid places the tile. */
  position: { x: number; y: number };
  selected: boolean;
  selecting: boolean;
  /** The gallery's one Tab stop (roving focus). */
  active: boolean;
  /** Scrolling fast: a tile that appears now waits with its thumbnail until scrolling slows (its blurred preview shows meanwhile). */
  holdImage: boolean;
  estimateMs: number | null;
  onOpen: (task: TaskView) => void;
  onAction: (task: TaskView, action: TileAction) => void;
  onFavorite: (task: TaskView) => void;
  onSelect: (task: TaskView, range: boolean) => void;
};

export const TaskTile = memo(function TaskTile(props: Props) {
  const { task, width, height, position, selected, selecting, active, onOpen, onFavorite, onSelect } = props;
  const lost = !!task.image?.lost;
  const label = `${lost ? 'Picture lost' : STATUS_LABEL[task.status]}: ${task.prompt}`;
  const hasPicture = task.status === 'COMPLETED' && !!task.image && !lost;
  // Once a tile may load its picture it keeps it (no flicker when scrolling speeds up again).
  const [mayLoad, setMayLoad] = useState(!props.holdImage);
  if (!props.holdImage && !mayLoad) setMayLoad(true);

  const open = (e: MouseEvent) => (selecting || e.shiftKey ? onSelect(task, e.shiftKey) : onOpen(task));
  const ownButton = {
    id: tileId(task.id),
    type: 'button' as const,
    tabIndex: active ? 0 : -1,
    'data-tile': task.id,
    'aria-describedby': 'gallery-keys',
    onClick: open,
  };

  return (
    <li
      className={`group/tile absolute top-0 left-0 overflow-hidden rounded-lg bg-neutral-900 ${selected ? 'ring-4 ring-amber-400 ring-inset' : ''}`}
      style={{ width, height, transform: `translate(${position.x}px, ${position.y}px)` }}
      data-status={task.status}
      data-lost={lost || undefined}
      data-batch={task.batch?.id}
      aria-label={label}
    >
      {hasPicture && task.image ? (
        <button {...ownButton} className="group absolute inset-0 block h-full w-full cursor-zoom-in focus-visible:outline-none">
          {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable URL, sized by the tile */}
          <img
            src={mayLoad ? task.image.url : undefined}
            srcSet={mayLoad ? task.image.srcSet : undefined}
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
          <span className="tile-caption">
            <span className="flex min-w-0 flex-col gap-0.5">
              <span className="line-clamp-2">{task.prompt}</span>
              <span className="tabular-nums opacity-80">
                {task.batch ? `${task.batch.index + 1}/${task.batch.size} · ` : ''}
                {modelAndSeed(task)}
              </span>
            </span>
            {/* Fixed colours: this sits on the picture's dark gradient in both themes. */}
            <span className="status-pill shrink-0 bg-[#065f46e6] text-white">{STATUS_LABEL.COMPLETED}</span>
          </span>
        </button>
      ) : lost ? (
        // Still opens the dialog: Reproduce (same seed) can make the picture again.
        <button {...ownButton} className="tile-lost">
          <span className="status-pill self-start bg-neutral-500/20 text-neutral-200">Picture lost</span>
          <span className="text-xs text-neutral-300">The stored file is gone and the provider no longer has it.</span>
          <span className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</span>
        </button>
      ) : (
        <>
          {/* The tile's own button lies under the content: a click on the text opens the details, buttons stay buttons. */}
          <button
            {...ownButton}
            aria-label={task.prompt}
            className="absolute inset-0 h-full w-full cursor-pointer focus-visible:outline-none"
          />
          {task.status === 'FAILED' ? (
            <FailedTile task={task} onAction={props.onAction} tabIndex={-1} />
          ) : task.status === 'UNSAVED' ? (
            <UnsavedTile task={task} onAction={props.onAction} tabIndex={-1} />
          ) : (
            <PendingTile task={task} onAction={props.onAction} tabIndex={-1} estimateMs={props.estimateMs} />
          )}
        </>
      )}
      <span className="pointer-events-none absolute inset-0 rounded-lg ring-inset group-has-[[data-tile]:focus-visible]/tile:ring-4 group-has-[[data-tile]:focus-visible]/tile:ring-amber-400" />
      <TileBadge task={task} />
      <div className={`tile-controls ${selecting || selected || task.favorite ? 'opacity-100' : ''}`}>
        <label className="tile-control cursor-pointer">
          <input
            type="checkbox"
            tabIndex={-1}
            className="size-4 accent-amber-400"
            checked={selected}
            onChange={() => undefined}
            onClick={(e) => onSelect(task, e.shiftKey)}
            aria-label={`Select: ${task.prompt}`}
          />
        </label>
        <button
          type="button"
          tabIndex={-1}
          className="tile-control"
          aria-pressed={task.favorite}
          aria-label={`Favorite: ${task.prompt}`}
          title={task.favorite ? 'Remove from favorites (F)' : 'Add to favorites (F)'}
          onClick={() => onFavorite(task)}
        >
          <span aria-hidden className={task.favorite ? 'text-amber-300' : 'text-white'}>
            {task.favorite ? '★' : '☆'}
          </span>
        </button>
      </div>
    </li>
  );
});

/** "seed 42" for RunWay (the default model), "Flux Dev · seed 42" or just "Imagen 3" for the others. */
function modelAndSeed(task: TaskView): string {
  const seed = task.seed === null ? '' : `seed ${task.seed}`;
  if (task.model === 'runway') return seed;
  return [modelOf(task.model).name, seed].filter(Boolean).join(' · ');
}

/** The seed on every picture (and its model, unless RunWay), and its place in a batch ("2/4"): people compare by them. */
function TileBadge({ task }: { task: TaskView }) {
  if (task.status !== 'COMPLETED' || task.image?.lost) return null;
  return (
    <span className="tile-badge" data-testid="tile-seed">
      {task.batch && (
        <span>
          {task.batch.index + 1}/{task.batch.size} ·{' '}
        </span>
      )}
      {modelAndSeed(task)}
    </span>
  );
}
