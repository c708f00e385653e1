'use client';

import { Fragment, useEffect, useRef, useState } from 'react';
import { ratioLabel } from '@/lib/generation/ratio-names';
import { modelOf } from '@/lib/freepik/models';
import { seedLabel, settingsOfTask, sizeLabelOfTask } from '@/lib/generation/model-draft';
import type { TaskView } from '@/lib/tasks/view';
import { STATUS_LABEL } from '@/lib/tasks/status';
import { LineagePanel, useLineage } from './lineage-panel';
import { AddToBoard } from './add-to-board';
import { ShareDialog } from './share-dialog';
import { ZoomView } from './zoom-view';

type Props = {
  task: TaskView;
  /** The task's batch (Variations), in batch order, as loaded in the gallery; empty for a single picture. */
  batch: TaskView[];
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
  /** The picture joined or left a board: the gallery's board views refetch. */
  onBoardsChanged: () => void;
  onFavorite: () => void;
  /** For this picture, or its whole batch. */
  onReproduce: (whole: 'picture' | 'batch') => void;
  onNewSeed: (whole: 'picture' | 'batch') => void;
  /** A failed task: the same prompt, ratio and seed again. */
  onRetry: () => void;
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
  const [confirm, setConfirm] = useState<'edit' | null>(null);
  const [zoomed, setZoomed] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [comparing, setComparing] = useState(false);
  const [copied, setCopied] = useState(false);
  const [shownId, setShownId] = useState(task.id);
  if (shownId !== task.id) {
    // Moved to another picture: drop the previous one's pending choices.
    setShownId(task.id);
    setConfirm(null);
    setComparing(false);
    setCopied(false);
    setZoomed(false);
    setSharing(false);
  }
  const lineage = useLineage(task.id);

  // Arrows move through the gallery, unless a text field or a pending choice has the keys.
  const { onPrevious, onNext, onFavorite, onDelete } = props;
  const canDelete = !task.deletedAt;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        zoomed ||
        confirm ||
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        (e.target as HTMLElement | null)?.closest?.('input, textarea, select')
      ) {
        return;
      }
      const run = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      if (e.key === 'ArrowLeft' && onPrevious) run(onPrevious);
      else if (e.key === 'ArrowRight' && onNext) run(onNext);
      else if (e.key === 'f' || e.key === 'F') run(onFavorite);
      else if (e.key === 'Delete' && canDelete) run(onDelete);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [zoomed, sharing, confirm, onPrevious, onNext, onFavorite, onDelete, canDelete]);

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
  const picture = task.image && !task.image.lost ? task.image : null;
  const failed = task.status === 'FAILED';
  const batchSize = task.batch?.size ?? 0;
  const spec = modelOf(task.model);
  // Reproduce only where sending the same body again makes the same picture (a seed, or Mystic's fixed_generation).
  const reproducible = spec.reproducible(task.params);
  const comparison = props.batch.some((mate) => mate.model !== task.model);
  // A batch reproduces when any of its pictures does; new seeds need a model with seeds.
  const batchReproducible = props.batch.some((mate) => modelOf(mate.model).reproducible(mate.params));
  const batchSeeded = props.batch.some((mate) => modelOf(mate.model).seed !== null);

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
      className="picture-dialog m-auto h-[100dvh] max-h-[100dvh] w-full max-w-none sm:h-auto overflow-auto bg-neutral-950 p-0 text-neutral-100 shadow-2xl backdrop:bg-black/80 sm:max-h-[96dvh] sm:w-[min(76rem,96vw)] sm:rounded-xl sm:border sm:border-neutral-700"
    >
      <div className="flex flex-col gap-4 p-3 pb-20 sm:p-4 lg:flex-row">
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
                <figcaption className="text-xs text-neutral-300">Parent · {seedLabel(parent)}</figcaption>
              </figure>
              <figure className="flex flex-col items-center gap-1 rounded-lg bg-black p-1">
                {picture && (
                  // eslint-disable-next-line @next/next/no-img-element -- our own immutable URL
                  <img
                    src={picture.url}
                    srcSet={picture.srcSet}
                    sizes="40vw"
                    alt={task.prompt}
                    className="max-h-[60dvh] w-auto max-w-full object-contain"
                  />
                )}
                <figcaption className="text-xs text-neutral-300">This picture · {seedLabel(task)}</figcaption>
              </figure>
            </div>
          ) : (
            <div className="relative flex min-h-40 flex-1 items-center justify-center rounded-lg bg-black">
              {task.image?.lost ? (
                <p role="status" className="p-8 text-center text-sm text-neutral-300">
                  Picture lost: the stored file is gone and the provider no longer has it. Reproduce makes it again with the same seed.
                </p>
              ) : picture ? (
                <>
                  {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable URL */}
                  <img
                    src={picture.url}
                    // The 1280 px thumbnail fills the dialog on most screens; Full screen and Download give the original.
                    srcSet={picture.srcSet}
                    sizes="(min-width: 1024px) 56rem, 96vw"
                    alt={task.prompt}
                    width={picture.width}
                    height={picture.height}
                    style={picture.placeholder ? { backgroundImage: `url("${picture.placeholder}")`, backgroundSize: 'cover' } : undefined}
                    className="max-h-[62dvh] w-auto max-w-full cursor-zoom-in object-contain sm:max-h-[72dvh]"
                    onDoubleClick={() => setZoomed(true)}
                  />
                  <button type="button" className="btn-secondary absolute top-2 right-2 px-3 py-1 text-xs" onClick={() => setZoomed(true)}>
                    Full screen
                  </button>
                </>
              ) : (
                <div className="flex flex-col items-center gap-2 p-8 text-center text-sm">
                  <span className={`status-pill ${failed ? 'bg-red-500/20 text-red-200' : 'bg-amber-400/15 text-amber-200'}`}>
                    {STATUS_LABEL[task.status]}
                  </span>
                  <p className="max-w-md text-neutral-200">
                    {task.statusDetail ?? (failed ? 'The picture could not be made.' : 'The picture is on its way.')}
                  </p>
                </div>
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
            {picture && (
              <span className="text-xs text-neutral-300 tabular-nums" data-testid="picture-size">
                {picture.width} × {picture.height} px
              </span>
            )}
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
            {/* On a phone the close button sits at the bottom, under the thumb (below). */}
            <button type="button" onClick={() => ref.current?.close()} className="btn-ghost hidden sm:block" aria-label="Close">
              ✕
            </button>
          </div>
          <p className="max-h-48 overflow-auto text-sm break-words whitespace-pre-wrap text-neutral-200">{task.prompt}</p>
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
            <dt className="text-neutral-400">Model</dt>
            <dd data-testid="dialog-model">{spec.name}</dd>
            <dt className="text-neutral-400">Ratio</dt>
            <dd>{task.model === 'runway' ? ratioLabel(task.ratio) : sizeLabelOfTask(task)}</dd>
            {task.seed !== null && (
              <>
                <dt className="text-neutral-400">Seed</dt>
                <dd className="tabular-nums" data-testid="dialog-seed">
                  {task.seed}
                </dd>
              </>
            )}
            {settingsOfTask(task).map((setting) => (
              <Fragment key={setting.label}>
                <dt className="text-neutral-400">{setting.label}</dt>
                <dd>{setting.value}</dd>
              </Fragment>
            ))}
            {task.batch && (
              <>
                <dt className="text-neutral-400">Batch</dt>
                <dd>
                  Variation {task.batch.index + 1} of {task.batch.size}
                </dd>
              </>
            )}
            <dt className="text-neutral-400">Created</dt>
            <dd>
              <time dateTime={task.createdAt} suppressHydrationWarning>
                {created.toLocaleString()}
              </time>
            </dd>
            <dt className="text-neutral-400">Origin</dt>
            <dd>{ORIGIN_TEXT[task.origin]}</dd>
          </dl>

          {confirm === 'edit' ? (
            <div
              role="group"
              aria-label="Confirm edit"
              className="flex flex-col gap-2 rounded-lg border border-amber-400/40 bg-amber-400/10 p-3"
            >
              <p className="text-sm">The composer holds text you typed. Replace it with this picture’s model, prompt and settings?</p>
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
              {failed ? (
                <button type="button" className="btn-primary" onClick={props.onRetry} disabled={busy}>
                  Retry
                </button>
              ) : (
                <button
                  type="button"
                  className="btn-primary"
                  onClick={() => props.onReproduce('picture')}
                  disabled={busy}
                  aria-describedby={reproducible ? undefined : 'generate-again-why'}
                >
                  {reproducible ? 'Reproduce' : 'Generate again'}
                </button>
              )}
              {spec.seed !== null && (
                <button type="button" className="btn-secondary" onClick={() => props.onNewSeed('picture')} disabled={busy}>
                  New seed
                </button>
              )}
              {!reproducible && !failed && (
                <p id="generate-again-why" className="col-span-2 text-xs text-neutral-400">
                  {spec.seed === null
                    ? `${spec.name} has no seed${spec.id === 'mystic' ? ' and this picture was not made with Fixed generation' : ''}: the same settings make a different picture.`
                    : 'This picture was made without a seed: the same settings make a different picture.'}
                </p>
              )}
              <button type="button" className="btn-secondary" onClick={() => (formDirty ? setConfirm('edit') : props.onEdit())}>
                Edit
              </button>
              <button type="button" className="btn-secondary" onClick={download} disabled={!picture}>
                Download
              </button>
              {!task.deletedAt && (
                <>
                  <button type="button" className="btn-secondary" onClick={() => setSharing(true)} disabled={!picture}>
                    Share
                  </button>
                  <AddToBoard taskIds={[task.id]} onChanged={props.onBoardsChanged} />
                </>
              )}
              {task.deletedAt ? (
                <button type="button" className="btn-secondary col-span-2" onClick={props.onRestore}>
                  Restore
                </button>
              ) : (
                <button type="button" className="btn-danger-outline col-span-2" onClick={props.onDelete} aria-keyshortcuts="Delete">
                  Delete
                </button>
              )}
            </div>
          )}
          {task.batch && (
            <section aria-labelledby="batch-title" className="flex flex-col gap-2 rounded-lg border border-neutral-800 p-3">
              <h3 id="batch-title" className="text-sm font-medium">
                {comparison ? `This comparison · ${batchSize} models` : `This batch · ${batchSize} variations`}
              </h3>
              <ul className="grid grid-cols-4 gap-1.5">
                {props.batch.map((mate) => (
                  <li key={mate.id}>
                    <button
                      type="button"
                      className={`block aspect-square w-full overflow-hidden rounded bg-neutral-900 ${mate.id === task.id ? 'ring-2 ring-amber-400' : ''}`}
                      aria-current={mate.id === task.id ? 'true' : undefined}
                      aria-label={
                        comparison
                          ? `${modelOf(mate.model).name}${mate.seed === null ? '' : `, seed ${mate.seed}`}`
                          : `Variation ${(mate.batch?.index ?? 0) + 1}${mate.seed === null ? '' : `, seed ${mate.seed}`}`
                      }
                      onClick={() => props.onOpenOther(mate)}
                    >
                      {mate.image && !mate.image.lost ? (
                        // eslint-disable-next-line @next/next/no-img-element -- our own immutable URL
                        <img src={mate.image.url} srcSet={mate.image.srcSet} sizes="4rem" alt="" className="h-full w-full object-cover" />
                      ) : (
                        <span className="text-xs text-neutral-300">{STATUS_LABEL[mate.status]}</span>
                      )}
                    </button>
                  </li>
                ))}
              </ul>
              <div className="grid grid-cols-2 gap-2">
                <button type="button" className="btn-secondary px-2 py-1.5" onClick={() => props.onReproduce('batch')} disabled={busy}>
                  {batchReproducible ? 'Reproduce batch' : 'Generate batch again'}
                </button>
                {batchSeeded && (
                  <button type="button" className="btn-secondary px-2 py-1.5" onClick={() => props.onNewSeed('batch')} disabled={busy}>
                    New seeds for batch
                  </button>
                )}
              </div>
            </section>
          )}
          {error && (
            <p role="alert" className="text-sm text-red-300">
              {error}
            </p>
          )}
          <LineagePanel taskId={task.id} onOpen={props.onOpenOther} />
        </div>
      </div>
      {/* Phones: Close under the thumb, always on screen. */}
      <div className="fixed inset-x-0 bottom-0 flex justify-center border-t border-neutral-800 bg-neutral-950/95 p-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] sm:hidden">
        <button type="button" className="btn-secondary w-full max-w-sm" onClick={() => ref.current?.close()} aria-label="Close">
          Close
        </button>
      </div>
      {sharing && <ShareDialog taskId={task.id} onClose={() => setSharing(false)} />}
      {zoomed && picture && (
        <ZoomView src={picture.url} width={picture.width} height={picture.height} alt={task.prompt} onClose={() => setZoomed(false)} />
      )}
    </dialog>
  );
}
