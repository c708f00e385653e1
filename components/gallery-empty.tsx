'use client';

import type { GalleryFilter } from '@/lib/gallery/filters';

const EXAMPLES = [
  'A lighthouse on a basalt cliff at dusk, volumetric fog, 35mm photo',
  'Isometric cutaway of a cozy bookshop on a rainy night, warm light',
  'Watercolor map of an imaginary archipelago, soft pastel palette',
  'Macro photo of dew on a spider web at sunrise, shallow depth of field',
];

/** Empty states that teach: first visit offers prompts to try; filters say what to loosen. */
export function GalleryEmpty({ filter, onExample }: { filter: GalleryFilter; onExample: (prompt: string) => void }) {
  if (filter.view === 'trash') {
    return <p className="empty-state">The trash is empty. Deleted pictures wait here until you empty it.</p>;
  }
  const filtered = filter.q.trim() || filter.ratio || filter.status || filter.favorites;
  if (filtered) {
    return (
      <p className="empty-state">
        {filter.q.trim() ? `No pictures match “${filter.q.trim()}”.` : 'No pictures match these filters.'} Try fewer words or clear a
        filter.
      </p>
    );
  }
  return (
    <div className="empty-state flex flex-col items-center gap-4">
      <p>No pictures yet. Write a prompt above and press Generate — or start from one of these:</p>
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
