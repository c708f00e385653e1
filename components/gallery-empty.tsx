'use client';

import type { GalleryFilter } from '@/lib/gallery/filters';

const EXAMPLES = [
  'A lighthouse on a basalt cliff at dusk, volumetric fog, 35mm photo',
  'Isometric cutaway of a cozy bookshop on a rainy night, warm light',
  'Watercolor map of an imaginary archipelago, soft pastel palette',
  'Macro photo of dew on a spider web at sunrise, shallow depth of field',
];

/** Whether anything narrows the view (search, ratio, status, favorites, a month to start from, a board). */
export function isFiltered(filter: GalleryFilter): boolean {
  return !!(filter.q.trim() || filter.ratio || filter.model || filter.status || filter.favorites || filter.from || filter.board);
}

/**
 * Empty states that say what is true: a first visit offers prompts to try; a
 * filtered view says nothing matched and offers Clear filters (in the Trash
 * too — "the trash is empty" would be wrong while a search hides what is there).
 */
export function GalleryEmpty({
  filter,
  onExample,
  onClearFilters,
}: {
  filter: GalleryFilter;
  onExample: (prompt: string) => void;
  onClearFilters: () => void;
}) {
  const inTrash = filter.view === 'trash';
  if (isFiltered(filter)) {
    const q = filter.q.trim();
    const what = inTrash ? 'Nothing in the trash matches' : 'No pictures match';
    if (filter.board && !inTrash && !q && !filter.ratio && !filter.model && !filter.status && !filter.favorites && !filter.from) {
      return (
        <div className="empty-state flex flex-col items-center gap-3">
          <p>No pictures on this board yet. Put some on it with Add to board, in the viewer or on a selection.</p>
          <button type="button" className="btn-secondary" onClick={onClearFilters}>
            Show all pictures
          </button>
        </div>
      );
    }
    return (
      <div className="empty-state flex flex-col items-center gap-3">
        <p>
          {q ? `${what} “${q}”` : `${what} these filters`}
          {q && (filter.ratio || filter.model || filter.status || filter.favorites || filter.from || filter.board)
            ? ' with these filters.'
            : '.'}{' '}
          Try fewer words or clear the filters.
        </p>
        <button type="button" className="btn-secondary" onClick={onClearFilters}>
          Clear filters
        </button>
      </div>
    );
  }
  if (inTrash) {
    return <p className="empty-state">The trash is empty. Deleted pictures wait here until you empty it.</p>;
  }
  return (
    <div className="empty-state flex flex-col items-center gap-4">
      <p>No pictures yet. Write a prompt in the composer and press Generate — or start from one of these:</p>
      <ul className="flex flex-wrap justify-center gap-2">
        {EXAMPLES.map((example) => (
          <li key={example}>
            <button type="button" className="btn-secondary text-left" onClick={() => onExample(example)}>
              {example}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
