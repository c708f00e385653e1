'use client';

import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { addToBoardAction, boardMembershipAction, createBoardAction, removeFromBoardAction } from '@/app/boards/actions';
import { boardNameSchema, BOARD_NAME_MAX } from '@/lib/boards/names';
import type { BoardView } from '@/lib/boards/view';
import { boardMembershipKey, invalidateBoards, useBoards, useTaskBoards } from '@/lib/client/boards-query';
import { useAnchoredPopover } from '@/lib/client/use-anchored-popover';

type Props = {
  /** The pictures to put on (or take off) boards: the open picture, or the selection. */
  taskIds: string[];
  /** After pictures went on or off a board: the caller refreshes what may show it (gallery pages, a board view). */
  onChanged: () => void;
};

const plural = (n: number) => (n === 1 ? '1 picture' : `${n.toLocaleString('en')} pictures`);

/**
 * "Add to board": a button opening a popover with the boards as a multi-select listbox (a check on the
 * boards all the given pictures are on; choosing one puts them all on it, or takes them all off when they
 * already are) and, below, a field to create a board and put the pictures on it. Focus moves into the list;
 * arrows, Home and End move, Enter or Space toggle, Escape closes and returns focus to the button. The
 * popover is a manual `popover` (top layer: above a modal dialog, unclipped), placed like the ratio picker's.
 * Keys pressed inside never reach the page or a dialog's shortcuts.
 */
export function AddToBoard({ taskIds, onChanged }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState('');
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popupRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const fieldRef = useRef<HTMLInputElement>(null);
  const client = useQueryClient();

  const ids = [...new Set(taskIds)];
  const single = ids.length === 1 ? ids[0] : null;
  const boards = useBoards({ enabled: open });
  const one = useTaskBoards(open && single ? single : null);
  const many = useQuery({
    queryKey: boardMembershipKey(ids),
    queryFn: async () => {
      const result = await boardMembershipAction(ids);
      if (!result.ok) throw new Error(result.error);
      return result;
    },
    enabled: open && ids.length > 1,
    staleTime: 0,
  });

  const list: BoardView[] = boards.data?.boards ?? [];
  /** How many of the given pictures each board holds. */
  const held = new Map<string, number>(
    single ? (one.data?.boards ?? []).map((b) => [b.id, 1]) : (many.data?.boards ?? []).map((b) => [b.id, b.count]),
  );
  const onAll = (boardId: string) => ids.length > 0 && (held.get(boardId) ?? 0) >= ids.length;
  const loading = boards.isPending || (single ? one.isPending : many.isPending);
  const listboxId = `${id}-boards`;
  const optionId = (index: number) => `${id}-board-${index}`;
  const nameId = `${id}-name`;
  const nameErrorId = `${id}-name-error`;
  const activeIndex = Math.min(active, Math.max(list.length - 1, 0));

  function close({ focusButton }: { focusButton: boolean }) {
    setOpen(false);
    setNameError('');
    if (focusButton) buttonRef.current?.focus();
  }

  function openPopup() {
    setMessage('');
    setActive(0);
    setOpen(true);
  }

  async function settle(text: string) {
    setMessage(text);
    await invalidateBoards(client);
    onChanged();
  }

  async function toggle(board: BoardView) {
    if (busy || ids.length === 0) return;
    setBusy(true);
    try {
      const remove = onAll(board.id);
      const result = remove ? await removeFromBoardAction(board.id, ids) : await addToBoardAction(board.id, ids);
      if (!result.ok) {
        setMessage(result.error);
        await invalidateBoards(client);
        return;
      }
      await settle(remove ? `Removed ${plural(ids.length)} from ${board.name}.` : `Added ${plural(ids.length)} to ${board.name}.`);
    } catch {
      setMessage('Could not change the board. Try again.');
    } finally {
      setBusy(false);
    }
  }

  async function create() {
    if (busy) return;
    const parsed = boardNameSchema.safeParse(name);
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message ?? 'Give the board a name.');
      fieldRef.current?.focus();
      return;
    }
    setBusy(true);
    setNameError('');
    try {
      const created = await createBoardAction(parsed.data);
      if (!created.ok) {
        setNameError(created.fieldErrors?.name ?? created.error);
        fieldRef.current?.focus();
        return;
      }
      const added = ids.length ? await addToBoardAction(created.board.id, ids) : null;
      setName('');
      if (added && !added.ok) {
        setMessage(added.error);
        await invalidateBoards(client);
        return;
      }
      await settle(ids.length ? `Created ${created.board.name} and added ${plural(ids.length)}.` : `Created ${created.board.name}.`);
    } catch {
      setMessage('Could not create the board. Try again.');
    } finally {
      setBusy(false);
    }
  }

  function onListKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const last = list.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        setActive(Math.min(activeIndex + 1, last));
        break;
      case 'ArrowUp':
        setActive(Math.max(activeIndex - 1, 0));
        break;
      case 'Home':
        setActive(0);
        break;
      case 'End':
        setActive(last);
        break;
      case 'Enter':
      case ' ':
        if (list[activeIndex]) void toggle(list[activeIndex]);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  /** Every key inside stays inside (a dialog's arrows, F, Delete); Escape closes the popover only. */
  function onPopupKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      close({ focusButton: true });
    }
  }

  // Open: in the top layer, placed against the button and kept there; a press outside closes it.
  useAnchoredPopover({ open, triggerRef: buttonRef, popupRef, onClose: () => setOpen(false) });

  // Focus goes to the list once it is there (or to the name field when there is no board yet).
  const hasList = list.length > 0;
  useLayoutEffect(() => {
    if (!open || loading) return;
    const popup = popupRef.current;
    if (popup?.contains(document.activeElement)) return;
    (hasList ? listRef.current : fieldRef.current)?.focus();
  }, [open, loading, hasList]);

  // Keep the active option in view.
  useLayoutEffect(() => {
    if (!open) return;
    listRef.current?.querySelector(`[data-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [open, activeIndex]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="btn-secondary px-3 py-1"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? `${id}-popup` : undefined}
        disabled={ids.length === 0}
        onClick={() => (open ? close({ focusButton: false }) : openPopup())}
      >
        Add to board
      </button>
      <div
        ref={popupRef}
        id={`${id}-popup`}
        popover="manual"
        hidden={!open}
        onKeyDown={onPopupKeyDown}
        onBlur={(event) => {
          // Tab past the last control (or Shift+Tab past the first) leaves the popover: it closes behind.
          const next = event.relatedTarget as Node | null;
          if (next && !popupRef.current?.contains(next) && !buttonRef.current?.contains(next)) close({ focusButton: false });
        }}
        className="fixed inset-auto z-50 m-0 flex w-[min(20rem,calc(100vw-1rem))] flex-col gap-2 overflow-y-auto overscroll-contain rounded-lg border border-neutral-700 bg-neutral-900 p-2 text-left text-sm text-neutral-100 shadow-xl shadow-black/40"
      >
        {open && (
          <>
            <div id={`${id}-label`} className="px-2 pt-1 text-xs font-semibold tracking-wide text-neutral-400 uppercase">
              Boards{ids.length > 1 ? ` · ${plural(ids.length)}` : ''}
            </div>
            {loading ? (
              <p className="px-2 py-1 text-neutral-400">Loading boards…</p>
            ) : boards.isError ? (
              <p className="px-2 py-1 text-red-300">{boards.error.message}</p>
            ) : hasList ? (
              <div
                ref={listRef}
                id={listboxId}
                role="listbox"
                aria-label="Boards"
                aria-multiselectable="true"
                aria-activedescendant={optionId(activeIndex)}
                aria-busy={busy || undefined}
                tabIndex={0}
                onKeyDown={onListKeyDown}
                className="flex max-h-64 flex-col gap-0.5 overflow-y-auto rounded-md focus-visible:outline-2 focus-visible:outline-amber-400"
              >
                {list.map((board, index) => {
                  const checked = onAll(board.id);
                  const some = !checked && (held.get(board.id) ?? 0) > 0;
                  return (
                    <div
                      key={board.id}
                      id={optionId(index)}
                      role="option"
                      aria-selected={checked}
                      aria-describedby={`${optionId(index)}-count`}
                      data-index={index}
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={() => {
                        setActive(index);
                        listRef.current?.focus();
                        void toggle(board);
                      }}
                      className={`flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 select-none hover:bg-neutral-800 ${
                        index === activeIndex ? 'bg-neutral-800 outline-2 -outline-offset-2 outline-amber-200' : ''
                      }`}
                    >
                      <span
                        aria-hidden
                        className={`flex size-4 shrink-0 items-center justify-center rounded border text-[11px] leading-none ${
                          checked ? 'border-amber-400 bg-amber-400 text-black' : 'border-neutral-500'
                        }`}
                      >
                        {checked ? '✓' : some ? '–' : ''}
                      </span>
                      <span className="min-w-0 flex-1 truncate">{board.name}</span>
                      <span id={`${optionId(index)}-count`} className="shrink-0 text-xs text-neutral-400 tabular-nums">
                        {some ? `${held.get(board.id)} of ${ids.length} on it · ` : ''}
                        {plural(board.count)}
                      </span>
                    </div>
                  );
                })}
              </div>
            ) : (
              <p className="px-2 py-1 text-neutral-400">No boards yet: name one below.</p>
            )}
            <div className="flex flex-col gap-1 border-t border-neutral-800 px-1 pt-2">
              <label htmlFor={nameId} className="text-xs text-neutral-400">
                New board name
              </label>
              <div className="flex gap-2">
                <input
                  ref={fieldRef}
                  id={nameId}
                  type="text"
                  className="field min-w-0 flex-1 py-1.5 text-sm"
                  value={name}
                  maxLength={BOARD_NAME_MAX + 20}
                  autoComplete="off"
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={nameError ? nameErrorId : undefined}
                  onChange={(event) => {
                    setName(event.target.value);
                    setNameError('');
                  }}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') {
                      event.preventDefault();
                      void create();
                    }
                  }}
                />
                {/* aria-disabled, not disabled: a focused button that becomes disabled drops focus out of the popover. */}
                <button
                  type="button"
                  className="btn-primary shrink-0 px-3 py-1.5 aria-disabled:opacity-60"
                  aria-disabled={busy || undefined}
                  onClick={() => void create()}
                >
                  Create board
                </button>
              </div>
              {nameError && (
                <p id={nameErrorId} className="text-xs text-red-300">
                  {nameError}
                </p>
              )}
            </div>
            <p role="status" className="min-h-4 px-2 text-xs text-neutral-400">
              {message}
            </p>
          </>
        )}
      </div>
    </>
  );
}
