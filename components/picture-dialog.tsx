'use client';

import { useEffect, useRef, useState } from 'react';
import { ratioLabel } from '@/lib/generation/ratio-names';
import type { TaskView } from '@/lib/tasks/view';
import { LineagePanel, useLineage } from './lineage-panel';

type Props = {
  task: TaskView;
  busy: boolean;
  error: string | null;
  /** True when the form holds text that Edit would overwrite. */
  formDirty: boolean;
  onClose: () => void;
  /** Neighbours in the gallery's current order (null at either end). */
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
  /** Open another picture (from the lineage). */
  onOpenOther: (task: TaskView) => void;
  onFavorite: () => void;
  onReproduce: () => void;
  onNewSeed: () => void;
  onEdit: () => void;
  onDelete: () => void;
  /** In the Trash: bring the picture back. */
  onRestore: () => void;
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
  const [comparing, setComparing] = useState(false);
  const [copied, setCopied] = useState(false);
  const [shownId, setShownId] = useState(task.id);
  if (shownId !== task.id) {
    // Moved to another picture: drop the previous one's pending choices.
    setShownId(task.id);
    setConfirm(null);
    setComparing(false);
    setCopied(false);
  }
  const lineage = useLineage(task.id);

  // Arrows move through the gallery, unless a text field or a pending choice has the keys.
  const { onPrevious, onNext } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (confirm || (e.target as HTMLElement | null)?.closest?.('input, textarea, select')) return;
      if (e.key === 'ArrowLeft' && onPrevious) {
        e.preventDefault();
        onPrevious();
      } else if (e.key === 'ArrowRight' && onNext) {
        e.preventDefault();
        onNext();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [confirm, onPrevious, onNext]);

  // After moving to another picture, keep focus inside the dialog (never on the inert page).
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.contains(document.activeElement)) dialog.focus();
  }, [task.id]);
  const parent = lineage.data?.parent ?? null;

  async function copyPrompt() {
    try {
      await navigator.clipboard.writeText(task.prompt);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

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
      tabIndex={-1}
      aria-labelledby="picture-dialog-title"
      className="picture-dialog m-auto max-h-[96dvh] w-[min(72rem,96vw)] overflow-auto rounded-xl border border-neutral-700 bg-neutral-950 p-0 text-neutral-100 shadow-2xl backdrop:bg-black/80"
    >
      <div className="flex flex-col gap-4 p-4 lg:flex-row">
        <div className="relative flex min-w-0 flex-1 flex-col gap-2">
          {comparing && parent?.image && !parent.image.lost ? (
            <div className="grid flex-1 grid-cols-2 gap-2" aria-label="Compare with parent">
              <figure className="flex flex-col items-center gap-1 rounded-lg bg-black p-1">
                {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable URL */}
                <img
                  src={parent.image.url}
                  srcSet={parent.image.srcSet}
                  sizes="40vw"
                  alt={`Parent: ${parent.prompt}`}
                  className="max-h-[60dvh] w-auto max-w-full object-contain"
                />
                <figcaption className="text-xs text-neutral-400">Parent · seed {parent.seed}</figcaption>
              </figure>
              <figure className="flex flex-col items-center gap-1 rounded-lg bg-black p-1">
                {task.image && (
                  // eslint-disable-next-line @next/next/no-img-element -- our own immutable URL
                  <img
                    src={task.image.url}
                    srcSet={task.image.srcSet}
                    sizes="40vw"
                    alt={task.prompt}
                    className="max-h-[60dvh] w-auto max-w-full object-contain"
                  />
                )}
                <figcaption className="text-xs text-neutral-400">This picture · seed {task.seed}</figcaption>
              </figure>
            </div>
          ) : (
            <div className="flex min-h-0 flex-1 items-center justify-center rounded-lg bg-black">
              {task.image?.lost ? (
                <p role="status" className="p-8 text-center text-sm text-neutral-300">
                  Picture lost: the stored file is gone and the provider no longer has it. Reproduce makes it again with the same seed.
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
                    style={
                      task.image.placeholder ? { backgroundImage: `url("${task.image.placeholder}")`, backgroundSize: 'cover' } : undefined
                    }
                    className="max-h-[70dvh] w-auto max-w-full object-contain"
                  />
                )
              )}
            </div>
          )}
          <div className="flex items-center justify-between gap-2">
            {/* aria-disabled, not disabled: a disabled button would drop keyboard focus out of the dialog. */}
            <button
              type="button"
              className="btn-secondary px-3 py-1 aria-disabled:opacity-50"
              onClick={() => props.onPrevious?.()}
              aria-disabled={!props.onPrevious}
              aria-label="Previous picture"
            >
              ← Previous
            </button>
            <button
              type="button"
              className="btn-secondary px-3 py-1 aria-disabled:opacity-50"
              onClick={() => props.onNext?.()}
              aria-disabled={!props.onNext}
              aria-label="Next picture"
            >
              Next →
            </button>
          </div>
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
          <div className="flex flex-wrap gap-2">
            <button type="button" className="btn-secondary px-3 py-1" onClick={() => void copyPrompt()}>
              Copy prompt
            </button>
            <button type="button" className="btn-secondary px-3 py-1" aria-pressed={task.favorite} onClick={props.onFavorite}>
              {task.favorite ? '★ Favorite' : '☆ Favorite'}
            </button>
            {parent?.image && !parent.image.lost && (
              <button type="button" className="btn-secondary px-3 py-1" aria-pressed={comparing} onClick={() => setComparing(!comparing)}>
                Compare with parent
              </button>
            )}
            <span role="status" className="self-center text-xs text-emerald-300">
              {copied ? 'Prompt copied' : ''}
            </span>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-neutral-400">Ratio</dt>
            <dd>{ratioLabel(task.ratio)}</dd>
            <dt className="text-neutral-400">Seed</dt>
            <dd className="tabular-nums" data-testid="dialog-seed">
              {task.seed}
            </dd>
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
            <div
              role="group"
              aria-label="Confirm delete"
              className="flex flex-col gap-2 rounded-lg border border-red-500/40 bg-red-500/10 p-3"
            >
              <p className="text-sm">Move this picture to the trash? You can undo or restore it from the Trash.</p>
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
            <div
              role="group"
              aria-label="Confirm edit"
              className="flex flex-col gap-2 rounded-lg border border-amber-400/40 bg-amber-400/10 p-3"
            >
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
              <button type="button" className="btn-secondary" onClick={() => (formDirty ? setConfirm('edit') : props.onEdit())}>
                Edit
              </button>
              <button type="button" className="btn-secondary" onClick={download} disabled={!task.image || task.image.lost}>
                Download
              </button>
              {task.deletedAt ? (
                <button type="button" className="btn-secondary col-span-2" onClick={props.onRestore}>
                  Restore
                </button>
              ) : (
                <button type="button" className="btn-danger-outline col-span-2" onClick={() => setConfirm('delete')}>
                  Delete
                </button>
              )}
            </div>
          )}
          {error && (
            <p role="alert" className="text-sm text-red-300">
              {error}
            </p>
          )}
          <LineagePanel taskId={task.id} onOpen={props.onOpenOther} />
        </div>
      </div>
    </dialog>
  );
}
