'use client';

import { modelOf } from '@/lib/freepik/models';
import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { Elapsed } from './elapsed';

/** What a person can do from a tile that has no picture (yet). */
export type TileAction = 'retry' | 'retry-new-seed' | 'edit' | 'delete' | 'resend' | 'discard' | 'refetch';

type Props = {
  task: TaskView;
  onAction: (task: TaskView, action: TileAction) => void;
  /** Tile buttons are not Tab stops: the gallery is one (roving focus), keys reach them (see the shortcuts sheet). */
  tabIndex?: number;
};

const TONES = {
  failed: { box: 'border-red-500/40 bg-red-950/60', pill: 'bg-red-500/20 text-red-200', text: 'text-red-100', label: STATUS_LABEL.FAILED },
  unsaved: {
    box: 'border-amber-500/40 bg-amber-950/50',
    pill: 'bg-amber-400/15 text-amber-200',
    text: 'text-amber-100',
    label: STATUS_LABEL.UNSAVED,
  },
};

/**
 * A failed task, compact: the provider's reason and what to do about it.
 * Retry with new seed makes a new generation (the same seed is likely to fail
 * the same way); the dialog keeps "Retry" with the same seed. A model without
 * a seed just retries (each try is a new picture anyway).
 */
export function FailedTile({ task, onAction, tabIndex }: Props) {
  const seeded = modelOf(task.model).seed !== null;
  return (
    <EndedTile task={task} tone="failed" fallback="The picture could not be made.">
      <TileButton onClick={() => onAction(task, 'edit')} tabIndex={tabIndex}>
        Edit
      </TileButton>
      <TileButton onClick={() => onAction(task, 'retry-new-seed')} tabIndex={tabIndex} primary>
        {seeded ? 'Retry with new seed' : 'Retry'}
      </TileButton>
      <TileButton onClick={() => onAction(task, 'delete')} tabIndex={tabIndex}>
        Delete
      </TileButton>
    </EndedTile>
  );
}

/**
 * The provider made the picture, Darkroom could not fetch it. "Fetch again"
 * reads the same provider task for fresh links: nothing new is generated or
 * charged (unlike a retry).
 */
export function UnsavedTile({ task, onAction, tabIndex }: Props) {
  return (
    <EndedTile task={task} tone="unsaved" fallback="The picture was made but could not be saved.">
      <TileButton onClick={() => onAction(task, 'refetch')} tabIndex={tabIndex} primary>
        Fetch again
      </TileButton>
      <TileButton onClick={() => onAction(task, 'delete')} tabIndex={tabIndex}>
        Delete
      </TileButton>
    </EndedTile>
  );
}

/** A task that ended without a picture: its status, the reason, and the buttons. Text clicks fall through to the tile's own button. */
function EndedTile({
  task,
  tone,
  fallback,
  children,
}: {
  task: TaskView;
  tone: keyof typeof TONES;
  fallback: string;
  children: React.ReactNode;
}) {
  const look = TONES[tone];
  const reason = task.statusDetail ?? fallback;
  return (
    <div className={`pointer-events-none absolute inset-0 flex flex-col gap-1.5 border p-2.5 text-xs ${look.box}`}>
      <span className={`status-pill mr-[4.5rem] self-start ${look.pill}`}>{look.label}</span>
      <p className={`line-clamp-1 sm:line-clamp-3 ${look.text}`} title={reason}>
        {reason}
      </p>
      <p className="line-clamp-1 text-neutral-300 max-sm:hidden">{task.prompt}</p>
      {/* One row on phones (their text tiles are wide and short), wrapping only on wider screens' narrow tiles. */}
      <div className="pointer-events-auto mt-auto flex gap-1 sm:flex-wrap">{children}</div>
    </div>
  );
}

function TileButton({
  children,
  onClick,
  tabIndex,
  primary,
}: {
  children: React.ReactNode;
  onClick: () => void;
  tabIndex?: number;
  primary?: boolean;
}) {
  return (
    <button
      type="button"
      tabIndex={tabIndex}
      className={`${primary ? 'btn-primary' : 'btn-secondary'} shrink-0 px-2 py-1 text-xs leading-tight whitespace-nowrap`}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
    >
      {children}
    </button>
  );
}

export function PendingTile({ task, onAction, tabIndex, estimateMs }: Props & { estimateMs: number | null }) {
  return (
    <div className="pending-tile pointer-events-none absolute inset-0 flex flex-col justify-between gap-2 overflow-hidden p-2.5 text-xs">
      <div className="mr-[4.5rem] flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="status-pill bg-amber-400/15 text-amber-200">{STATUS_LABEL[task.status]}</span>
        <span className="text-neutral-200">
          <Elapsed since={task.createdAt} estimateMs={estimateMs} />
        </span>
      </div>
      {task.statusDetail && <p className="line-clamp-2 text-neutral-200">{task.statusDetail}</p>}
      {task.needsDecision && (
        <div className="pointer-events-auto flex flex-wrap gap-1">
          <TileButton onClick={() => onAction(task, 'resend')} tabIndex={tabIndex} primary>
            Send again
          </TileButton>
          <TileButton onClick={() => onAction(task, 'discard')} tabIndex={tabIndex}>
            Discard
          </TileButton>
        </div>
      )}
      <p className="line-clamp-2 text-neutral-300">{task.prompt}</p>
    </div>
  );
}
