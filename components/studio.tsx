'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  emptyTrashAction,
  favoriteAction,
  refetchAction,
  regenerateAction,
  resolveUnconfirmedAction,
  restoreAction,
  trashAction,
} from '@/app/actions';
import { DEFAULT_RATIO, type GenerationDraft } from '@/lib/generation/schema';
import { filterKey, filterToSearchParams } from '@/lib/gallery/filters';
import { upsertTask, useTaskPages, useTaskStream } from '@/lib/client/tasks-query';
import { useGalleryFilter } from '@/lib/client/use-gallery-filter';
import { useSelection } from '@/lib/client/use-selection';
import type { TaskPage, TaskView } from '@/lib/tasks/view';
import { BulkBar } from './bulk-bar';
import { ExportImport } from './export-import';
import { FilterBar } from './filter-bar';
import { GenerateForm } from './generate-form';
import { GalleryEmpty } from './gallery-empty';
import { PictureDialog } from './picture-dialog';
import { tileId } from './task-tile';
import type { TileAction } from './tile-states';
import { UndoToast, type Toast } from './undo-toast';
import { useAnnouncer } from './use-announcer';
import { VirtualGallery } from './virtual-gallery';

const EMPTY_DRAFT: GenerationDraft = { prompt: '', ratio: DEFAULT_RATIO, seed: '' };

/** Wires the form, the filters, the gallery, the picture dialog and the toasts together. */
export function Studio({ initialPage, initialFilterKey }: { initialPage: TaskPage; initialFilterKey: string }) {
  const [draft, setDraft] = useState<GenerationDraft>(EMPTY_DRAFT);
  const [openTask, setOpenTask] = useState<TaskView | null>(null);
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const focusAfterClose = useRef<string | null>(null);
  const scrollToTask = useRef<(id: string) => void>(() => undefined);
  const queryClient = useQueryClient();
  const { announce, region } = useAnnouncer();
  const live = useTaskStream();
  const { filter, setFilter, searchText, setSearchText } = useGalleryFilter();
  const inTrash = filter.view === 'trash';

  const pages = useTaskPages(filter, filterKey(filter) === initialFilterKey ? initialPage : undefined, live);
  const tasks = useMemo(() => pages.data?.pages.flatMap((p) => p.tasks) ?? [], [pages.data]);
  const order = useMemo(() => tasks.map((t) => t.id), [tasks]);
  const selection = useSelection(order);
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: ['tasks'] }), [queryClient]);

  // The open picture follows its live version, and arrows move in the current order.
  const current = openTask ? (tasks.find((t) => t.id === openTask.id) ?? openTask) : null;
  const pictures = useMemo(() => tasks.filter((t) => t.status === 'COMPLETED' && t.image), [tasks]);
  const at = current ? pictures.findIndex((t) => t.id === current.id) : -1;
  const previous = at > 0 ? pictures[at - 1] : null;
  const next = at >= 0 && at < pictures.length - 1 ? pictures[at + 1] : null;

  // Announce pictures finishing while the page is open.
  const seen = useRef(new Map<string, string>());
  useEffect(() => {
    for (const task of tasks) {
      const before = seen.current.get(task.id);
      if (before && before !== task.status) {
        if (task.status === 'COMPLETED') announce(`Picture ready: ${task.prompt}`);
        if (task.status === 'UNSAVED') announce(`Picture made but not saved: ${task.statusDetail ?? task.prompt}`);
        if (task.status === 'FAILED') {
          announce(`Picture failed: ${task.statusDetail ?? task.prompt}`);
          // A failure may mean the key was rejected: refresh the provider banner now.
          void queryClient.invalidateQueries({ queryKey: ['provider-status'] });
        }
      }
      seen.current.set(task.id, task.status);
    }
  }, [tasks, announce, queryClient]);

  const onCreated = useCallback(
    (task: TaskView) => {
      seen.current.set(task.id, task.status);
      upsertTask(queryClient, task);
      announce(`Queued: ${task.prompt}`);
    },
    [queryClient, announce],
  );

  function closeDialog() {
    const target = focusAfterClose.current ?? (current ? tileId(current.id) : null);
    const taskId = current?.id;
    focusAfterClose.current = null;
    setOpenTask(null);
    setDialogError(null);
    // Return focus where the person was (the tile, scrolled into view), or to the form after Edit.
    if (target !== 'prompt' && taskId) scrollToTask.current(taskId);
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (target === 'prompt') promptRef.current?.focus();
        else if (target) document.getElementById(target)?.focus();
      }),
    );
  }

  async function run<T extends { ok: boolean; error?: string }>(work: () => Promise<T>): Promise<T | null> {
    try {
      const result = await work();
      if (!result.ok) announce(result.error ?? 'Something went wrong.');
      return result;
    } catch {
      announce('Could not reach Darkroom. Please try again.');
      return null;
    }
  }

  async function regenerate(mode: 'reproduce' | 'new-seed') {
    if (!current) return;
    setDialogBusy(true);
    const result = await run(() => regenerateAction(current.id, mode, crypto.randomUUID()));
    setDialogBusy(false);
    if (result?.ok) {
      onCreated(result.task);
      closeDialog();
    } else setDialogError(result?.error ?? 'Could not reach Darkroom. Please try again.');
  }

  /** Delete = to the Trash, with Undo for a few seconds. */
  async function trash(ids: string[]) {
    const result = await run(() => trashAction(ids));
    if (!result?.ok) return;
    refresh();
    setToast({
      id: Date.now(),
      message: ids.length === 1 ? 'Moved to the trash.' : `Moved ${ids.length} pictures to the trash.`,
      undo: () => void run(() => restoreAction(ids)).then(refresh),
    });
  }

  async function remove() {
    if (!current) return;
    focusAfterClose.current = 'prompt';
    closeDialog();
    await trash([current.id]);
  }

  async function favorite(tasksToChange: TaskView[], value: boolean) {
    for (const task of tasksToChange) upsertTask(queryClient, { ...task, favorite: value });
    await run(() =>
      favoriteAction(
        tasksToChange.map((t) => t.id),
        value,
      ),
    );
    refresh();
  }

  async function tileAction(task: TaskView, action: TileAction) {
    if (action === 'retry') {
      const result = await run(() => regenerateAction(task.id, 'retry', crypto.randomUUID()));
      if (result?.ok) onCreated(result.task);
    } else if (action === 'refetch') {
      const result = await run(() => refetchAction(task.id));
      if (result?.ok) upsertTask(queryClient, result.task);
    } else {
      await run(() => resolveUnconfirmedAction(task.id, action));
      refresh();
    }
  }

  function edit() {
    if (!current) return;
    setDraft({ prompt: current.prompt, ratio: current.ratio, seed: String(current.seed) });
    focusAfterClose.current = 'prompt';
    closeDialog();
  }

  const formDirty =
    !!current &&
    draft.prompt.trim() !== '' &&
    (draft.prompt !== current.prompt || draft.ratio !== current.ratio || draft.seed !== String(current.seed));

  const selectedTasks = tasks.filter((t) => selection.selected.has(t.id));
  const exportParams = filterToSearchParams(filter);
  const switchView = (view: 'gallery' | 'trash') => {
    selection.clear();
    setFilter({ view });
  };

  return (
    <div className="flex flex-col gap-8">
      <div className="rounded-xl border border-neutral-800 bg-neutral-900/60 p-4 sm:p-6">
        <GenerateForm draft={draft} onDraftChange={setDraft} onCreated={onCreated} promptRef={promptRef} />
      </div>

      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <nav aria-label="Collection" className="flex gap-1 rounded-lg border border-neutral-800 p-1">
            <button
              type="button"
              className={`btn px-3 py-1 ${!inTrash ? 'bg-neutral-800' : 'text-neutral-400'}`}
              aria-current={!inTrash ? 'page' : undefined}
              onClick={() => switchView('gallery')}
            >
              Pictures
            </button>
            <button
              type="button"
              className={`btn px-3 py-1 ${inTrash ? 'bg-neutral-800' : 'text-neutral-400'}`}
              aria-current={inTrash ? 'page' : undefined}
              onClick={() => switchView('trash')}
            >
              Trash
            </button>
          </nav>
          <div className="flex flex-wrap items-start gap-2">
            <ExportImport href={`/api/export?${exportParams}`} ids={[...selection.selected]} onImported={() => refresh()} />
            {inTrash && tasks.length > 0 && (
              <button
                type="button"
                className="btn-danger-outline px-3 py-1.5"
                onClick={async () => {
                  if (!window.confirm('Delete everything in the trash, files included? This cannot be undone.')) return;
                  const result = await run(() => emptyTrashAction());
                  if (result?.ok) {
                    announce(`Trash emptied: ${result.tasks} pictures deleted.`);
                    refresh();
                  }
                }}
              >
                Empty trash
              </button>
            )}
          </div>
        </div>
        <FilterBar filter={filter} searchText={searchText} onSearchText={setSearchText} onChange={(patch) => setFilter(patch)} />
        <BulkBar
          count={selection.selected.size}
          inTrash={inTrash}
          onFavorite={() => void favorite(selectedTasks, !selectedTasks.every((t) => t.favorite))}
          onDelete={() => {
            void trash([...selection.selected]);
            selection.clear();
          }}
          onRestore={() => {
            void run(() => restoreAction([...selection.selected])).then(refresh);
            selection.clear();
          }}
          onClear={selection.clear}
        />
        {pages.isError && (
          <p role="alert" className="text-sm text-red-300">
            {pages.error.message} Retrying…
          </p>
        )}
        <section aria-label="Gallery" className="flex flex-col gap-4">
          {tasks.length === 0 && !pages.isPending ? (
            <GalleryEmpty
              filter={filter}
              onExample={(prompt) => {
                setDraft({ ...draft, prompt });
                promptRef.current?.focus();
              }}
            />
          ) : (
            <VirtualGallery
              tasks={tasks}
              selected={selection.selected}
              hasMore={!!pages.hasNextPage}
              loadingMore={pages.isFetchingNextPage}
              onLoadMore={() => void pages.fetchNextPage()}
              onOpen={(task) => {
                setDialogError(null);
                setOpenTask(task);
              }}
              onAction={(task, action) => void tileAction(task, action)}
              onFavorite={(task) => void favorite([task], !task.favorite)}
              onSelect={(task, range) => selection.toggle(task.id, range)}
              registerScrollTo={(fn) => (scrollToTask.current = fn)}
            />
          )}
        </section>
      </div>

      {current && (
        <PictureDialog
          task={current}
          busy={dialogBusy}
          error={dialogError}
          formDirty={formDirty}
          onClose={closeDialog}
          onPrevious={previous ? () => setOpenTask(previous) : null}
          onNext={next ? () => setOpenTask(next) : null}
          onOpenOther={(task) => setOpenTask(task)}
          onFavorite={() => void favorite([current], !current.favorite)}
          onReproduce={() => void regenerate('reproduce')}
          onNewSeed={() => void regenerate('new-seed')}
          onEdit={edit}
          onDelete={() => void remove()}
          onRestore={() => {
            const id = current.id;
            closeDialog();
            void run(() => restoreAction([id])).then(() => {
              refresh();
              announce('Picture restored.');
            });
          }}
        />
      )}
      <UndoToast toast={toast} onDismiss={() => setToast(null)} />
      {region}
    </div>
  );
}
