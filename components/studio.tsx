'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRouter, useSearchParams } from 'next/navigation';
import { regenerateAction, resolveUnconfirmedAction, trashAction } from '@/app/actions';
import { DEFAULT_RATIO, type GenerationDraft } from '@/lib/generation/schema';
import { useQueryClient } from '@tanstack/react-query';
import { removeTaskFromCache, upsertTask, useTaskPages, useTaskStream } from '@/lib/client/tasks-query';
import type { TaskPage, TaskView } from '@/lib/tasks/view';
import { Gallery } from './gallery';
import { GenerateForm } from './generate-form';
import { PictureDialog } from './picture-dialog';
import { SearchBox } from './search-box';
import { tileId } from './task-tile';
import type { TileAction } from './tile-states';
import { useAnnouncer } from './use-announcer';

const EMPTY_DRAFT: GenerationDraft = { prompt: '', ratio: DEFAULT_RATIO, seed: '' };

/** Wires the form, the gallery and the picture dialog together. */
export function Studio({ initialPage, initialQuery }: { initialPage: TaskPage; initialQuery: string }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const [draft, setDraft] = useState<GenerationDraft>(EMPTY_DRAFT);
  const [query, setQuery] = useState(initialQuery);
  const [debouncedQuery, setDebouncedQuery] = useState(initialQuery);
  const [openId, setOpenId] = useState<string | null>(null);
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const focusAfterClose = useRef<string | null>(null);
  const queryClient = useQueryClient();
  const { announce, region } = useAnnouncer();
  const live = useTaskStream();

  // Search: debounce typing, and keep the query in the URL (shareable, survives reload).
  useEffect(() => {
    const timer = setTimeout(() => setDebouncedQuery(query), 200);
    return () => clearTimeout(timer);
  }, [query]);
  useEffect(() => {
    const current = searchParams.get('q') ?? '';
    if (current === debouncedQuery.trim()) return;
    const params = new URLSearchParams(searchParams);
    if (debouncedQuery.trim()) params.set('q', debouncedQuery.trim());
    else params.delete('q');
    const qs = params.toString();
    router.replace(qs ? `?${qs}` : '/', { scroll: false });
  }, [debouncedQuery, router, searchParams]);

  const pages = useTaskPages(debouncedQuery, debouncedQuery === initialQuery ? initialPage : undefined, live);
  const tasks = useMemo(() => pages.data?.pages.flatMap((p) => p.tasks) ?? [], [pages.data]);
  const openTask = tasks.find((t) => t.id === openId) ?? null;

  // Announce pictures finishing while the page is open.
  const seen = useRef(new Map<string, string>());
  useEffect(() => {
    for (const task of tasks) {
      const before = seen.current.get(task.id);
      if (before && before !== task.status) {
        if (task.status === 'COMPLETED') announce(`Picture ready: ${task.prompt}`);
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
    const target = focusAfterClose.current ?? (openId ? tileId(openId) : null);
    focusAfterClose.current = null;
    setOpenId(null);
    setDialogError(null);
    // Return focus where the person was (the tile), or to the form after Edit.
    requestAnimationFrame(() => {
      if (target === 'prompt') promptRef.current?.focus();
      else if (target) document.getElementById(target)?.focus();
    });
  }

  async function regenerate(mode: 'reproduce' | 'new-seed') {
    if (!openTask) return;
    setDialogBusy(true);
    try {
      const result = await regenerateAction(openTask.id, mode, crypto.randomUUID());
      if (result.ok) {
        onCreated(result.task);
        closeDialog();
      } else setDialogError(result.error);
    } catch {
      setDialogError('Could not reach Darkroom. Please try again.');
    } finally {
      setDialogBusy(false);
    }
  }

  async function remove() {
    if (!openTask) return;
    setDialogBusy(true);
    try {
      const result = await trashAction([openTask.id]);
      if (result.ok) {
        removeTaskFromCache(queryClient, openTask.id);
        announce('Picture deleted');
        focusAfterClose.current = 'prompt';
        closeDialog();
      } else setDialogError(result.error);
    } catch {
      setDialogError('Could not reach Darkroom. Please try again.');
    } finally {
      setDialogBusy(false);
    }
  }

  async function tileAction(task: TaskView, action: TileAction) {
    try {
      if (action === 'retry') {
        const result = await regenerateAction(task.id, 'retry', crypto.randomUUID());
        if (result.ok) onCreated(result.task);
        else announce(result.error);
      } else {
        const result = await resolveUnconfirmedAction(task.id, action);
        if (!result.ok) announce(result.error);
        void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      }
    } catch {
      announce('Could not reach Darkroom. Please try again.');
    }
  }

  function edit() {
    if (!openTask) return;
    setDraft({ prompt: openTask.prompt, ratio: openTask.ratio, seed: String(openTask.seed) });
    focusAfterClose.current = 'prompt';
    closeDialog();
  }

  const formDirty =
    !!openTask &&
    draft.prompt.trim() !== '' &&
    (draft.prompt !== openTask.prompt || draft.ratio !== openTask.ratio || draft.seed !== String(openTask.seed));

  return (
    <div className="flex flex-col gap-8">
      <div className="rounded-xl border border-neutral-800 bg-neutral-900/60 p-4 sm:p-6">
        <GenerateForm draft={draft} onDraftChange={setDraft} onCreated={onCreated} promptRef={promptRef} />
      </div>

      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 className="text-lg font-semibold">Your pictures</h2>
          <SearchBox value={query} onChange={setQuery} />
        </div>
        {pages.isError && (
          <p role="alert" className="text-sm text-red-300">
            {pages.error.message} Retrying…
          </p>
        )}
        <Gallery
          tasks={tasks}
          query={debouncedQuery}
          loading={pages.isPending}
          hasMore={!!pages.hasNextPage}
          loadingMore={pages.isFetchingNextPage}
          onLoadMore={() => void pages.fetchNextPage()}
          onAction={(task, action) => void tileAction(task, action)}
          onOpen={(task) => {
            setDialogError(null);
            setOpenId(task.id);
          }}
        />
      </div>

      {openTask && (
        <PictureDialog
          key={openTask.id}
          task={openTask}
          busy={dialogBusy}
          error={dialogError}
          formDirty={formDirty}
          onClose={closeDialog}
          onReproduce={() => void regenerate('reproduce')}
          onNewSeed={() => void regenerate('new-seed')}
          onEdit={edit}
          onDelete={() => void remove()}
        />
      )}
      {region}
    </div>
  );
}
