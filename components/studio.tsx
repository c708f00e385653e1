'use client';

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  emptyTrashAction,
  favoriteAction,
  refetchAction,
  regenerateAction,
  regenerateBatchAction,
  resolveUnconfirmedAction,
  restoreAction,
  trashAction,
} from '@/app/actions';
import { filterToSearchParams } from '@/lib/gallery/filters';
import { invalidateGallerySummary } from '@/lib/client/summary-query';
import { invalidateSpending } from '@/lib/client/spending-query';
import { upsertTask, useTaskPages, useTaskStream } from '@/lib/client/tasks-query';
import { typicalDurationMs } from '@/lib/client/durations';
import { useArrivalNotices, useRunningTitle } from '@/lib/client/use-arrival-notices';
import { useComposerDraft } from '@/lib/client/use-composer-draft';
import { useGalleryFilter } from '@/lib/client/use-gallery-filter';
import { useGlobalKeys } from '@/lib/client/use-global-keys';
import { usePictureParam } from '@/lib/client/use-picture-param';
import { usePictureTask } from '@/lib/client/use-picture-task';
import { useSelection } from '@/lib/client/use-selection';
import { filterKey } from '@/lib/gallery/filters';
import type { TaskPage, TaskView } from '@/lib/tasks/view';
import { BulkBar } from './bulk-bar';
import { Composer } from './composer';
import { GalleryEmpty } from './gallery-empty';
import { GalleryToolbar } from './gallery-toolbar';
import { GenerateForm } from './generate-form';
import { PictureDialog } from './picture-dialog';
import { ProviderAlert } from './provider-alert';
import { BoardsDialog } from './boards-dialog';
import { Modal } from './modal';
import { SharedLinks } from './shared-links';
import { ShortcutsDialog } from './shortcuts-dialog';
import { StudioHeader } from './studio-header';
import type { TileAction } from './tile-states';
import { UndoToast, type Toast } from './undo-toast';
import { useAnnouncer } from './use-announcer';
import { VirtualGallery } from './virtual-gallery';
import { draftOfTask } from '@/lib/generation/model-draft';

/** Wires the composer, the toolbar, the gallery, the viewer and the notices together. */
export function Studio({
  initialPage,
  initialFilterKey,
  account,
}: {
  initialPage: TaskPage;
  initialFilterKey: string;
  account: ReactNode;
}) {
  const { draft, setDraft, history, recordPrompt } = useComposerDraft();
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [panel, setPanel] = useState<'boards' | 'shared-links' | null>(null);
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const focusTask = useRef<(id: string) => void>(() => undefined);
  const queryClient = useQueryClient();
  const { announce, region } = useAnnouncer();
  const notices = useArrivalNotices();
  const live = useTaskStream();
  const { filter, setFilter, searchText, setSearchText } = useGalleryFilter();
  const { pictureId, openPicture, closePicture } = usePictureParam();
  const inTrash = filter.view === 'trash';

  const pages = useTaskPages(filter, filterKey(filter) === initialFilterKey ? initialPage : undefined, live);
  const tasks = useMemo(() => pages.data?.pages.flatMap((p) => p.tasks) ?? [], [pages.data]);
  const order = useMemo(() => tasks.map((t) => t.id), [tasks]);
  const selection = useSelection(order);
  const estimateMs = useMemo(() => typicalDurationMs(tasks), [tasks]);
  const running = tasks.filter((t) => t.status === 'QUEUED' || t.status === 'GENERATING').length;
  useRunningTitle(running);
  const onBoardsChanged = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    invalidateGallerySummary(queryClient);
  }, [queryClient]);
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    invalidateGallerySummary(queryClient);
  }, [queryClient]);

  // The viewer follows the URL (?picture=…): its task live from the gallery, or fetched by id.
  const { task: current, missing } = usePictureTask(pictureId, tasks);
  const pictures = useMemo(() => tasks.filter((t) => t.status === 'COMPLETED' && t.image), [tasks]);
  const at = current ? pictures.findIndex((t) => t.id === current.id) : -1;
  const previous = at > 0 ? pictures[at - 1] : null;
  const next = at >= 0 && at < pictures.length - 1 ? pictures[at + 1] : null;
  const batchmates = useMemo(
    () => (current?.batch ? tasks.filter((t) => t.batch?.id === current.batch?.id).sort((a, b) => a.batch!.index - b.batch!.index) : []),
    [tasks, current],
  );

  // Where focus goes when the viewer closes (by ✕, Escape or Back): the picture's tile, or the Prompt after Edit.
  const focusAfterClose = useRef<string | null>(null);
  const scrollBeforeEdit = useRef<number | null>(null);
  const lastOpen = useRef<string | null>(null);
  useEffect(() => {
    if (pictureId) {
      lastOpen.current = pictureId;
      return;
    }
    const target = focusAfterClose.current ?? lastOpen.current;
    focusAfterClose.current = null;
    lastOpen.current = null;
    if (target === 'prompt') {
      // The closing <dialog> hands focus back to the tile, which scrolls it clear of the composer: undo that.
      const y = scrollBeforeEdit.current;
      scrollBeforeEdit.current = null;
      if (y !== null) window.scrollTo({ top: y, behavior: 'instant' });
      promptRef.current?.focus({ preventScroll: true });
    } else if (target) requestAnimationFrame(() => focusTask.current(target));
  }, [pictureId]);
  useEffect(() => {
    if (missing) {
      announce('That picture no longer exists.');
      closePicture();
    }
  }, [missing, announce, closePicture]);

  // Announce pictures finishing while the page is open; notify when the tab is hidden.
  const seen = useRef(new Map<string, string>());
  useEffect(() => {
    let changed = false;
    for (const task of tasks) {
      const before = seen.current.get(task.id);
      if (before && before !== task.status) {
        changed = true;
        if (task.status === 'COMPLETED') {
          announce(`Picture ready: ${task.prompt}`);
          notices.notify('Picture ready', { body: task.prompt, tag: task.id, icon: task.image?.url, onClick: () => openPicture(task.id) });
        }
        if (task.status === 'UNSAVED') announce(`Picture made but not saved: ${task.statusDetail ?? task.prompt}`);
        if (task.status === 'FAILED') {
          announce(`Picture failed: ${task.statusDetail ?? task.prompt}`);
          // A failure may mean the key was rejected: refresh the provider banner now.
          void queryClient.invalidateQueries({ queryKey: ['provider-status'] });
        }
      }
      seen.current.set(task.id, task.status);
    }
    if (changed) invalidateGallerySummary(queryClient);
  }, [tasks, announce, queryClient, notices, openPicture]);

  const onCreated = useCallback(
    (created: TaskView[]) => {
      // Oldest first, each on top: a batch ends up in its order (variation 1 first).
      for (const task of [...created].reverse()) {
        seen.current.set(task.id, task.status);
        void upsertTask(queryClient, task);
      }
      invalidateGallerySummary(queryClient);
      void invalidateSpending(queryClient);
      if (created[0]) recordPrompt(created[0].prompt);
      announce(created.length === 1 ? `Queued: ${created[0]?.prompt}` : `Queued ${created.length} variations: ${created[0]?.prompt}`);
    },
    [queryClient, announce, recordPrompt],
  );

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

  async function regenerate(mode: 'reproduce' | 'new-seed', whole: 'picture' | 'batch') {
    if (!current) return;
    setDialogBusy(true);
    const result =
      whole === 'batch' && current.batch
        ? await run(() => regenerateBatchAction(current.batch!.id, mode, crypto.randomUUID()))
        : await run(() => regenerateAction(current.id, mode, crypto.randomUUID()).then((r) => (r.ok ? { ...r, tasks: [r.task] } : r)));
    setDialogBusy(false);
    if (result?.ok) {
      onCreated(result.tasks);
      closePicture();
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

  /** Delete in the viewer moves on to the next picture (weeding out is a run of decisions), closing only at the end. */
  function removeCurrent() {
    if (!current) return;
    const following = next ?? previous;
    if (following) openPicture(following.id);
    else {
      focusAfterClose.current = 'prompt';
      closePicture();
    }
    void trash([current.id]);
  }

  async function favorite(tasksToChange: TaskView[], value: boolean) {
    for (const task of tasksToChange) void upsertTask(queryClient, { ...task, favorite: value });
    await run(() =>
      favoriteAction(
        tasksToChange.map((t) => t.id),
        value,
      ),
    );
    refresh();
  }

  /** Edit: the task's model, prompt, size, seed and settings into the pinned composer, focused (the page does not move). */
  function edit(task: TaskView) {
    setDraft(draftOfTask(task, draft));
    requestAnimationFrame(() => promptRef.current?.focus({ preventScroll: true }));
  }

  async function tileAction(task: TaskView, action: TileAction) {
    if (action === 'edit') edit(task);
    else if (action === 'delete') await trash([task.id]);
    else if (action === 'retry' || action === 'retry-new-seed') {
      const result = await run(() => regenerateAction(task.id, action === 'retry' ? 'retry' : 'new-seed', crypto.randomUUID()));
      if (result?.ok) onCreated([result.task]);
    } else if (action === 'refetch') {
      const result = await run(() => refetchAction(task.id));
      if (result?.ok) void upsertTask(queryClient, result.task);
    } else {
      await run(() => resolveUnconfirmedAction(task.id, action));
      refresh();
    }
  }

  const formDirty =
    !!current && draft.prompt.trim() !== '' && JSON.stringify(draftOfTask(current, draft)) !== JSON.stringify({ ...draft, compare: [] });

  useGlobalKeys({
    enabled: !pictureId && !shortcutsOpen && !panel,
    onSearch: () => searchRef.current?.focus(),
    onShortcuts: () => setShortcutsOpen(true),
    onPrompt: () => promptRef.current?.focus({ preventScroll: true }),
  });

  const switchView = (view: 'gallery' | 'trash') => {
    selection.clear();
    setFilter({ view });
  };

  async function emptyTrash() {
    if (!window.confirm('Delete everything in the trash, files included? This cannot be undone.')) return;
    const result = await run(() => emptyTrashAction());
    if (result?.ok) {
      announce(`Trash emptied: ${result.tasks} pictures deleted.`);
      refresh();
    }
  }

  return (
    <div className="flex flex-col">
      <StudioHeader
        running={running}
        notices={notices.state}
        onToggleNotices={() => void notices.toggle()}
        onShortcuts={() => setShortcutsOpen(true)}
        onBoards={() => setPanel('boards')}
        onSharedLinks={() => setPanel('shared-links')}
        account={account}
      />
      <ProviderAlert />
      <Composer>
        <GenerateForm draft={draft} onDraftChange={setDraft} onCreated={onCreated} promptRef={promptRef} history={history} />
      </Composer>
      <GalleryToolbar
        filter={filter}
        setFilter={setFilter}
        searchText={searchText}
        setSearchText={setSearchText}
        searchRef={searchRef}
        onSwitchView={switchView}
        exportHref={`/api/export?${filterToSearchParams(filter)}`}
        selectedIds={[...selection.selected]}
        onImported={() => refresh()}
        onEmptyTrash={inTrash && tasks.length > 0 ? () => void emptyTrash() : null}
      />
      {pages.isError && (
        <p role="alert" className="mt-3 text-sm text-red-300">
          {pages.error.message} Retrying…
        </p>
      )}
      <section aria-label="Gallery" className="mt-3 flex flex-col gap-4">
        {tasks.length === 0 && !pages.isPending ? (
          <GalleryEmpty
            filter={filter}
            onExample={(prompt) => {
              setDraft({ ...draft, prompt });
              promptRef.current?.focus({ preventScroll: true });
            }}
            onClearFilters={() => {
              setSearchText('');
              setFilter({
                q: '',
                ratio: undefined,
                status: undefined,
                favorites: false,
                from: undefined,
                board: undefined,
                sort: 'newest',
              });
            }}
          />
        ) : (
          <VirtualGallery
            tasks={tasks}
            selected={selection.selected}
            hasMore={!!pages.hasNextPage}
            loadingMore={pages.isFetchingNextPage}
            estimateMs={estimateMs}
            onLoadMore={() => void pages.fetchNextPage()}
            onOpen={(task) => {
              setDialogError(null);
              openPicture(task.id);
            }}
            onAction={(task, action) => void tileAction(task, action)}
            onFavorite={(task) => void favorite([task], !task.favorite)}
            onSelect={(task, range) => selection.toggle(task.id, range)}
            onEscape={selection.clear}
            registerFocusTask={(fn) => (focusTask.current = fn)}
          />
        )}
      </section>
      <BulkBar
        count={selection.selected.size}
        selectedIds={[...selection.selected]}
        onBoardsChanged={onBoardsChanged}
        inTrash={inTrash}
        onFavorite={() => {
          const chosen = tasks.filter((t) => selection.selected.has(t.id));
          void favorite(chosen, !chosen.every((t) => t.favorite));
        }}
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

      {current && (
        <PictureDialog
          task={current}
          batch={batchmates}
          busy={dialogBusy}
          error={dialogError}
          formDirty={formDirty}
          onClose={closePicture}
          onPrevious={previous ? () => openPicture(previous.id) : null}
          onNext={next ? () => openPicture(next.id) : null}
          onOpenOther={(task) => openPicture(task.id)}
          onBoardsChanged={onBoardsChanged}
          onFavorite={() => void favorite([current], !current.favorite)}
          onReproduce={(whole) => void regenerate('reproduce', whole)}
          onNewSeed={(whole) => void regenerate('new-seed', whole)}
          onRetry={() => void tileAction(current, 'retry').then(closePicture)}
          onEdit={() => {
            scrollBeforeEdit.current = window.scrollY;
            edit(current);
            focusAfterClose.current = 'prompt';
            closePicture();
          }}
          onDelete={removeCurrent}
          onRestore={() => {
            const id = current.id;
            closePicture();
            void run(() => restoreAction([id])).then(() => {
              refresh();
              announce('Picture restored.');
            });
          }}
        />
      )}
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
      {panel === 'boards' && (
        <BoardsDialog
          onClose={() => setPanel(null)}
          onOpen={(id) => setFilter({ board: id, view: 'gallery' })}
          onDeleted={(id) => {
            if (filter.board === id) setFilter({ board: undefined });
          }}
        />
      )}
      {panel === 'shared-links' && (
        <Modal title="Shared links" titleInside onClose={() => setPanel(null)}>
          <SharedLinks />
        </Modal>
      )}
      <UndoToast toast={toast} onDismiss={() => setToast(null)} raised={selection.selected.size > 0} />
      {region}
    </div>
  );
}
