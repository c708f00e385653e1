'use client';

type Props = {
  count: number;
  inTrash: boolean;
  onFavorite: () => void;
  onDelete: () => void;
  onRestore: () => void;
  onClear: () => void;
};

/** Actions on the selected pictures; appears while anything is selected. Export (in the toolbar) takes the selection too. */
export function BulkBar({ count, inTrash, onFavorite, onDelete, onRestore, onClear }: Props) {
  if (count === 0) return null;
  return (
    <div
      role="toolbar"
      aria-label="Selection"
      className="sticky top-2 z-20 flex flex-wrap items-center gap-2 rounded-lg border border-amber-400/40 bg-neutral-900/95 px-3 py-2 shadow-lg backdrop-blur"
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
          <button type="button" className="btn-danger-outline px-3 py-1" onClick={onDelete}>
            Delete selected
          </button>
        </>
      )}
      <span className="text-xs text-neutral-400">Export above saves the selection.</span>
      <button type="button" className="btn-ghost ml-auto" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
