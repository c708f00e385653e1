'use client';

import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { Elapsed } from './elapsed';

/** What a person can do from a tile that has no picture (yet). */
export type TileAction = 'retry' | 'resend' | 'discard' | 'refetch';

type Props = { task: TaskView; onAction: (task: TaskView, action: TileAction) => void };

export function FailedTile({ task, onAction }: Props) {
  // Retry: same prompt, ratio and seed, a new generation linked to this failed task.
  return (
    <EndedTile task={task} onAction={onAction} tone="failed" fallback="The picture could not be made." action="retry" actionLabel="Retry" />
  );
}

/**
 * The provider made the picture, Darkroom could not fetch it. "Fetch again"
 * reads the same provider task for fresh links: nothing new is generated or
 * charged (unlike Retry on a failed task).
 */
export function UnsavedTile({ task, onAction }: Props) {
  return (
    <EndedTile
      task={task}
      onAction={onAction}
      tone="unsaved"
      fallback="The picture was made but could not be saved."
      action="refetch"
      actionLabel="Fetch again"
    />
  );
}

const TONES = {
  failed: { box: 'border-red-500/30 bg-red-950/40', pill: 'bg-red-500/20 text-red-200', text: 'text-red-100', label: STATUS_LABEL.FAILED },
  unsaved: {
    box: 'border-amber-500/30 bg-amber-950/30',
    pill: 'bg-amber-400/15 text-amber-200',
    text: 'text-amber-100',
    label: STATUS_LABEL.UNSAVED,
  },
};

/** A task that ended without a picture: its status, the reason, and the one thing to do about it. */
function EndedTile({
  task,
  onAction,
  tone,
  fallback,
  action,
  actionLabel,
}: Props & { tone: keyof typeof TONES; fallback: string; action: TileAction; actionLabel: string }) {
  const look = TONES[tone];
  return (
    <div className={`absolute inset-0 flex flex-col justify-between gap-2 overflow-auto border p-3 text-sm ${look.box}`}>
      <span className={`status-pill self-start ${look.pill}`}>{look.label}</span>
      <p className={look.text}>{task.statusDetail ?? fallback}</p>
      <div className="flex items-end justify-between gap-2">
        <p className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</p>
        <button type="button" className="btn-secondary shrink-0 px-3 py-1 text-xs" onClick={() => onAction(task, action)}>
          {actionLabel}
        </button>
      </div>
    </div>
  );
}

export function PendingTile({ task, onAction }: Props) {
  return (
    <div className="pending-tile absolute inset-0 flex flex-col justify-between gap-2 overflow-auto p-3 text-sm">
      <div className="flex items-center gap-2">
        <span className="status-pill bg-amber-400/15 text-amber-200">{STATUS_LABEL[task.status]}</span>
        <span className="text-xs text-neutral-300">
          <Elapsed since={task.createdAt} />
        </span>
      </div>
      {task.statusDetail && <p className="text-xs text-neutral-300">{task.statusDetail}</p>}
      {task.needsDecision && (
        <div className="flex flex-wrap gap-2">
          <button type="button" className="btn-primary px-3 py-1 text-xs" onClick={() => onAction(task, 'resend')}>
            Send again
          </button>
          <button type="button" className="btn-secondary px-3 py-1 text-xs" onClick={() => onAction(task, 'discard')}>
            Discard
          </button>
        </div>
      )}
      <p className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</p>
    </div>
  );
}
