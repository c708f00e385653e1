'use client';

import { STATUS_LABEL } from '@/lib/tasks/status';
import type { TaskView } from '@/lib/tasks/view';
import { Elapsed } from './elapsed';

/** What a person can do from a tile that has no picture (yet). */
export type TileAction = 'retry' | 'resend' | 'discard';

type Props = { task: TaskView; onAction: (task: TaskView, action: TileAction) => void };

export function FailedTile({ task, onAction }: Props) {
  return (
    <div className="absolute inset-0 flex flex-col justify-between gap-2 overflow-auto border border-red-500/30 bg-red-950/40 p-3 text-sm">
      <span className="status-pill self-start bg-red-500/20 text-red-200">{STATUS_LABEL.FAILED}</span>
      <p className="text-red-100">{task.statusDetail ?? 'The picture could not be made.'}</p>
      <div className="flex items-end justify-between gap-2">
        <p className="line-clamp-2 text-xs text-neutral-400">{task.prompt}</p>
        {/* Same prompt, ratio and seed, linked to this failed task. */}
        <button type="button" className="btn-secondary shrink-0 px-3 py-1 text-xs" onClick={() => onAction(task, 'retry')}>
          Retry
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
