'use client';

import { AddToBoard } from './add-to-board';

type Props = {
  count: number;
  selectedIds: string[];
  onBoardsChanged: () => void;
  inTrash: boolean;
  onFavorite: () => void;
  onDelete: () => void;
  onRestore: () => void;
  onClear: () => void;
};

/**
 * Actions on the selected pictures; appears while anything is selected, floating
 * above the gallery's bottom edge (above the composer on phones) so it never
 * pushes the grid. Export (in the toolbar) takes the selection too.
 */
export function BulkBar({ count, selectedIds, onBoardsChanged, inTrash, onFavorite, onDelete, onRestore, onClear }: Props) {
  if (count === 0) return null;
  return (
    <div
      role="toolbar"
      aria-label="Selection"
      className="fixed inset-x-2 bottom-[calc(var(--composer-phone-height,0px)+0.5rem)] z-40 mx-auto flex max-w-3xl flex-wrap items-center gap-2 rounded-lg border border-amber-400/40 bg-neutral-900/95 px-3 py-2 shadow-2xl backdrop-blur"
    >
      <span className="mr-2 text-sm font-medium" aria-live="polite">
        {count} selected
      </span>
      {inTrash ? (
        <button type="button" className="btn-secondary px-3 py-1" onClick={onRestore}>
          Restore selected
        </button>
      ) : (
        <>
          <button type="button" className="btn-secondary px-3 py-1" onClick={onFavorite}>
            Favorite selected
          </button>
          <AddToBoard taskIds={selectedIds} onChanged={onBoardsChanged} />
          <button type="button" className="btn-danger-outline px-3 py-1" onClick={onDelete}>
            Delete selected
          </button>
        </>
      )}
      <span className="hidden text-xs text-neutral-400 md:inline">Export above saves the selection.</span>
      <button type="button" className="btn-ghost ml-auto" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
