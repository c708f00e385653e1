'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createBoardAction, deleteBoardAction, renameBoardAction } from '@/app/boards/actions';
import { boardNameSchema, BOARD_NAME_MAX } from '@/lib/boards/names';
import type { BoardView } from '@/lib/boards/view';
import { invalidateBoards, useBoards } from '@/lib/client/boards-query';
import { ShareDialog } from './share-dialog';

type Props = {
  /** The dialog closed (Escape, ✕, a press on the backdrop, or after Open). */
  onClose: () => void;
  /** Show this board in the gallery (the caller sets the URL filter); the dialog closes after it. */
  onOpen: (boardId: string) => void;
  /** A board was deleted (its pictures stay): a gallery showing it may go back to all pictures. */
  onDeleted?: (boardId: string) => void;
};

const plural = (n: number) => (n === 1 ? '1 picture' : `${n.toLocaleString('en')} pictures`);

/** The first message of a name that does not pass the shared schema, or null. */
function nameProblem(name: string): string | null {
  const parsed = boardNameSchema.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Give the board a name.');
}

/**
 * The boards, managed: each with its cover (its newest picture), name and count, and **Open**, **Rename**
 * (inline), **Share** (a read-only link to the board: the share dialog, README "Share links"), **Export**
 * (the board's zip, `/api/export?board=<id>`) and **Delete** (an inline confirmation that says the
 * pictures stay); a board is created at the top. A native modal dialog: Escape first backs out of a
 * rename or a confirmation, then closes; focus returns to where it was.
 */
export function BoardsDialog({ onClose, onOpen, onDeleted }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const client = useQueryClient();
  const { data, isPending, isError, error } = useBoards();
  const [newName, setNewName] = useState('');
  const [createError, setCreateError] = useState('');
  const [pending, setPending] = useState<{ kind: 'rename' | 'delete'; boardId: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [sharing, setSharing] = useState<BoardView | null>(null);
  const newNameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const boards = data?.boards ?? [];

  async function create() {
    const problem = nameProblem(newName);
    if (problem) return setCreateError(problem);
    setBusy(true);
    try {
      const result = await createBoardAction(newName);
      if (!result.ok) return setCreateError(result.fieldErrors?.name ?? result.error);
      setNewName('');
      setCreateError('');
      setMessage(`Created ${result.board.name}.`);
      await invalidateBoards(client);
    } finally {
      setBusy(false);
    }
  }

  async function rename(board: BoardView, name: string): Promise<string | null> {
    const problem = nameProblem(name);
    if (problem) return problem;
    setBusy(true);
    try {
      const result = await renameBoardAction(board.id, name);
      if (!result.ok) return result.fieldErrors?.name ?? result.error;
      setPending(null);
      setMessage(`Renamed ${board.name} to ${result.board.name}.`);
      await invalidateBoards(client);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function remove(board: BoardView) {
    setBusy(true);
    try {
      const result = await deleteBoardAction(board.id);
      setPending(null);
      setMessage(result.ok ? `Deleted ${board.name}. Its pictures are still in the gallery.` : result.error);
      await invalidateBoards(client);
      if (result.ok) onDeleted?.(board.id);
    } finally {
      setBusy(false);
      // The row (and the focused button) is gone: keep focus in the dialog.
      newNameRef.current?.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(event) => {
        // Escape first backs out of a pending rename or confirmation, then closes.
        if (pending) {
          event.preventDefault();
          setPending(null);
        }
      }}
      onClick={(event) => {
        if (event.target === ref.current) ref.current?.close();
      }}
      aria-labelledby={`${id}-title`}
      className="m-auto max-h-[90dvh] w-[min(40rem,96vw)] overflow-auto rounded-xl border border-neutral-700 bg-neutral-950 p-0 text-neutral-100 shadow-2xl backdrop:bg-black/70"
    >
      <div className="flex flex-col gap-4 p-4 sm:p-5">
        <div className="flex items-start justify-between gap-2">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            Boards
          </h2>
          <button type="button" className="btn-ghost" aria-label="Close" onClick={() => ref.current?.close()}>
            ✕
          </button>
        </div>

        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-new`} className="text-xs text-neutral-400">
            New board name
          </label>
          <div className="flex gap-2">
            <input
              ref={newNameRef}
              id={`${id}-new`}
              type="text"
              className="field min-w-0 flex-1 py-1.5 text-sm"
              value={newName}
              maxLength={BOARD_NAME_MAX + 20}
              autoComplete="off"
              autoFocus
              aria-invalid={createError ? true : undefined}
              aria-describedby={createError ? `${id}-new-error` : undefined}
              onChange={(event) => {
                setNewName(event.target.value);
                setCreateError('');
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void create();
                }
              }}
            />
            <button
              type="button"
              className="btn-primary shrink-0 px-3 py-1.5 aria-disabled:opacity-60"
              aria-disabled={busy || undefined}
              onClick={() => !busy && void create()}
            >
              Create board
            </button>
          </div>
          {createError && (
            <p id={`${id}-new-error`} className="text-xs text-red-300">
              {createError}
            </p>
          )}
        </div>

        {isPending ? (
          <p className="text-sm text-neutral-400">Loading boards…</p>
        ) : isError ? (
          <p className="text-sm text-red-300">{error.message}</p>
        ) : boards.length === 0 ? (
          <p className="empty-state text-sm">No boards yet. Name one above, or use Add to board on a picture or a selection.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-neutral-800" aria-label="Your boards">
            {boards.map((board) => (
              <BoardRow
                key={board.id}
                board={board}
                busy={busy}
                pending={pending?.boardId === board.id ? pending.kind : null}
                onPending={(kind) => setPending(kind ? { kind, boardId: board.id } : null)}
                onOpen={() => {
                  onOpen(board.id);
                  ref.current?.close();
                }}
                onRename={(name) => rename(board, name)}
                onShare={() => setSharing(board)}
                onDelete={() => void remove(board)}
              />
            ))}
          </ul>
        )}
        <p role="status" className="min-h-5 text-sm text-neutral-400">
          {message}
        </p>
      </div>
      {sharing && <ShareDialog target={{ type: 'board', boardId: sharing.id, name: sharing.name }} onClose={() => setSharing(null)} />}
    </dialog>
  );
}

function BoardRow(props: {
  board: BoardView;
  busy: boolean;
  pending: 'rename' | 'delete' | null;
  onPending: (kind: 'rename' | 'delete' | null) => void;
  onOpen: () => void;
  onRename: (name: string) => Promise<string | null>;
  onShare: () => void;
  onDelete: () => void;
}) {
  const { board, busy, pending, onPending } = props;
  const id = useId();
  const [name, setName] = useState(board.name);
  const [nameError, setNameError] = useState('');
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);

  async function save() {
    const problem = await props.onRename(name);
    setNameError(problem ?? '');
    // Renamed: the field is gone, focus goes back to the row's Rename button.
    if (!problem) requestAnimationFrame(() => renameButton.current?.focus());
  }

  function cancel(focus: HTMLButtonElement | null) {
    onPending(null);
    setNameError('');
    // After React shows the row's buttons again.
    requestAnimationFrame(() => focus?.focus());
  }

  const stopEscape = (event: KeyboardEvent<HTMLElement>, focus: HTMLButtonElement | null) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    cancel(focus);
  };

  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <Cover board={board} />
      {pending === 'rename' ? (
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={`${id}-name`} className="text-xs text-neutral-400">
            New name for {board.name}
          </label>
          <div className="flex flex-wrap gap-2">
            <input
              id={`${id}-name`}
              type="text"
              className="field min-w-0 flex-1 py-1.5 text-sm"
              value={name}
              maxLength={BOARD_NAME_MAX + 20}
              autoComplete="off"
              autoFocus
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? `${id}-name-error` : undefined}
              onChange={(event) => {
                setName(event.target.value);
                setNameError('');
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void save();
                } else stopEscape(event, renameButton.current);
              }}
            />
            <button
              type="button"
              className="btn-primary px-3 py-1.5 aria-disabled:opacity-60"
              aria-disabled={busy || undefined}
              onClick={() => !busy && void save()}
            >
              Save
            </button>
            <button type="button" className="btn-ghost" onClick={() => cancel(renameButton.current)}>
              Cancel
            </button>
          </div>
          {nameError && (
            <p id={`${id}-name-error`} className="text-xs text-red-300">
              {nameError}
            </p>
          )}
        </div>
      ) : pending === 'delete' ? (
        <div
          role="group"
          aria-labelledby={`${id}-confirm`}
          className="flex min-w-0 flex-1 flex-col gap-2"
          onKeyDown={(event) => stopEscape(event, deleteButton.current)}
        >
          <p id={`${id}-confirm`} className="text-sm">
            Delete the board <strong className="font-semibold">{board.name}</strong>? Its {plural(board.count)} stay in the gallery.
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className="btn-danger px-3 py-1.5 aria-disabled:opacity-60"
              aria-disabled={busy || undefined}
              onClick={() => !busy && props.onDelete()}
              autoFocus
            >
              Delete board
            </button>
            <button type="button" className="btn-ghost" onClick={() => cancel(deleteButton.current)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="flex min-w-0 flex-1 flex-col">
            <span className="truncate font-medium">{board.name}</span>
            <span className="text-xs text-neutral-400 tabular-nums">{plural(board.count)}</span>
          </div>
          <div className="flex flex-wrap gap-1">
            <button type="button" className="btn-secondary px-3 py-1" aria-describedby={`${id}-of`} onClick={props.onOpen}>
              Open
            </button>
            <button
              ref={renameButton}
              type="button"
              className="btn-ghost"
              aria-describedby={`${id}-of`}
              onClick={() => {
                setName(board.name);
                onPending('rename');
              }}
            >
              Rename
            </button>
            <button type="button" className="btn-ghost" aria-describedby={`${id}-of`} onClick={props.onShare}>
              Share
            </button>
            <a className="btn-ghost" href={`/api/export?board=${board.id}`} download aria-describedby={`${id}-of`}>
              Export
            </a>
            <button
              ref={deleteButton}
              type="button"
              className="btn-danger-outline px-3 py-1"
              aria-describedby={`${id}-of`}
              onClick={() => onPending('delete')}
            >
              Delete
            </button>
          </div>
          <span id={`${id}-of`} hidden>
            {board.name}
          </span>
        </>
      )}
    </li>
  );
}

/** The board's newest picture, small; an empty frame for a board with none. */
function Cover({ board }: { board: BoardView }) {
  const cover = board.cover;
  if (!cover) return <span aria-hidden className="size-14 shrink-0 rounded-md border border-dashed border-neutral-700 bg-neutral-900" />;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- our own immutable URL
    <img
      src={cover.url}
      srcSet={cover.srcSet}
      sizes="56px"
      alt=""
      width={cover.width}
      height={cover.height}
      loading="lazy"
      className="size-14 shrink-0 rounded-md bg-neutral-900 object-cover"
      style={cover.placeholder ? { backgroundImage: `url("${cover.placeholder}")`, backgroundSize: 'cover' } : undefined}
    />
  );
}
