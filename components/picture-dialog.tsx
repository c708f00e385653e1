'use client';

import { useEffect, useRef, useState } from 'react';
import { ratioLabel } from '@/lib/generation/ratio-names';
import type { TaskView } from '@/lib/tasks/view';

type Props = {
  task: TaskView;
  busy: boolean;
  error: string | null;
  /** True when the form holds text that Edit would overwrite. */
  formDirty: boolean;
  onClose: () => void;
  onReproduce: () => void;
  onNewSeed: () => void;
  onEdit: () => void;
  onDelete: () => void;
};

const ORIGIN_TEXT: Record<TaskView['origin'], string> = {
  new: 'New prompt',
  reproduce: 'Reproduced from an earlier picture',
  'new-seed': 'New seed of an earlier picture',
  retry: 'Retry of a failed task',
};

/**
 * A picture, large, with what made it and what to do next. A native modal
 * <dialog>: the page behind is inert, Escape closes, and the caller returns
 * focus to the tile it came from.
 */
export function PictureDialog(props: Props) {
  const { task, busy, error, formDirty, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [confirm, setConfirm] = useState<'delete' | 'edit' | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  function download() {
    if (!task.image) return;
    const link = document.createElement('a');
    link.href = task.image.downloadUrl;
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
  }

  const created = new Date(task.createdAt);

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(e) => {
        // Escape first backs out of a pending confirmation, then closes.
        if (confirm) {
          e.preventDefault();
          setConfirm(null);
        }
      }}
      onClick={(e) => {
        if (e.target === ref.current) ref.current?.close();
      }}
      aria-labelledby="picture-dialog-title"
      className="picture-dialog m-auto max-h-[96dvh] w-[min(72rem,96vw)] overflow-auto rounded-xl border border-neutral-700 bg-neutral-950 p-0 text-neutral-100 shadow-2xl backdrop:bg-black/80"
    >
      <div className="flex flex-col gap-4 p-4 lg:flex-row">
        <div className="flex min-w-0 flex-1 items-center justify-center rounded-lg bg-black">
          {task.image?.lost ? (
            <p role="status" className="p-8 text-center text-sm text-neutral-300">
              Picture lost: the stored file is gone and the provider no longer has it. Reproduce makes it again with
              the same seed.
            </p>
          ) : (
            task.image && (
              // eslint-disable-next-line @next/next/no-img-element -- our own immutable URL
              <img
                src={task.image.url}
                // The 1280 px thumbnail fills the dialog on most screens; Download still gives the original.
                srcSet={task.image.srcSet}
                sizes="(min-width: 1024px) 52rem, 96vw"
                alt={task.prompt}
                width={task.image.width}
                height={task.image.height}
                style={task.image.placeholder ? { backgroundImage: `url("${task.image.placeholder}")`, backgroundSize: 'cover' } : undefined}
                className="max-h-[70dvh] w-auto max-w-full object-contain"
              />
            )
          )}
        </div>
        <div className="flex w-full shrink-0 flex-col gap-4 lg:w-80">
          <div className="flex items-start justify-between gap-2">
            <h2 id="picture-dialog-title" className="text-lg font-semibold">
              Picture details
            </h2>
            <button type="button" onClick={() => ref.current?.close()} className="btn-ghost" aria-label="Close">
              ✕
            </button>
          </div>
          <p className="max-h-48 overflow-auto whitespace-pre-wrap break-words text-sm text-neutral-200">{task.prompt}</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-neutral-400">Ratio</dt>
            <dd>{ratioLabel(task.ratio)}</dd>
            <dt className="text-neutral-400">Seed</dt>
            <dd className="tabular-nums" data-testid="dialog-seed">{task.seed}</dd>
            <dt className="text-neutral-400">Created</dt>
            <dd>
              <time dateTime={task.createdAt} suppressHydrationWarning>
                {created.toLocaleString()}
              </time>
            </dd>
            <dt className="text-neutral-400">Origin</dt>
            <dd>{ORIGIN_TEXT[task.origin]}</dd>
          </dl>

          {confirm === 'delete' ? (
            <div role="group" aria-label="Confirm delete" className="flex flex-col gap-2 rounded-lg border border-red-500/40 bg-red-500/10 p-3">
              <p className="text-sm">Delete this picture and its file? This cannot be undone.</p>
              <div className="flex gap-2">
                <button type="button" className="btn-danger" onClick={props.onDelete} disabled={busy} autoFocus>
                  Yes, delete
                </button>
                <button type="button" className="btn-secondary" onClick={() => setConfirm(null)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : confirm === 'edit' ? (
            <div role="group" aria-label="Confirm edit" className="flex flex-col gap-2 rounded-lg border border-amber-400/40 bg-amber-400/10 p-3">
              <p className="text-sm">The form holds text you typed. Replace it with this picture’s prompt, ratio and seed?</p>
              <div className="flex gap-2">
                <button type="button" className="btn-primary" onClick={props.onEdit} autoFocus>
                  Replace form
                </button>
                <button type="button" className="btn-secondary" onClick={() => setConfirm(null)}>
                  Keep my text
                </button>
              </div>
            </div>
          ) : (
            <div className="grid grid-cols-2 gap-2">
              <button type="button" className="btn-primary" onClick={props.onReproduce} disabled={busy}>
                Reproduce
              </button>
              <button type="button" className="btn-secondary" onClick={props.onNewSeed} disabled={busy}>
                New seed
              </button>
              <button
                type="button"
                className="btn-secondary"
                onClick={() => (formDirty ? setConfirm('edit') : props.onEdit())}
              >
                Edit
              </button>
              <button type="button" className="btn-secondary" onClick={download} disabled={!task.image || task.image.lost}>
                Download
              </button>
              <button type="button" className="btn-danger-outline col-span-2" onClick={() => setConfirm('delete')}>
                Delete
              </button>
            </div>
          )}
          {error && (
            <p role="alert" className="text-sm text-red-300">
              {error}
            </p>
          )}
        </div>
      </div>
    </dialog>
  );
}
