'use client';

import { RATIOS } from '@/lib/generation/schema';
import { SORTS, type GalleryFilter } from '@/lib/gallery/filters';
import { STATUS_LABEL, TASK_STATUSES } from '@/lib/tasks/status';
import { SearchBox } from './search-box';

type Props = {
  filter: GalleryFilter;
  searchText: string;
  onSearchText: (text: string) => void;
  onChange: (patch: Partial<GalleryFilter>) => void;
};

const SORT_LABEL: Record<(typeof SORTS)[number], string> = { newest: 'Newest first', oldest: 'Oldest first', relevance: 'Best match' };

/** Search, filters and sort; every value lives in the URL. */
export function FilterBar({ filter, searchText, onSearchText, onChange }: Props) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <SearchBox value={searchText} onChange={onSearchText} />
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Filter by ratio
        <select className="field py-1.5 text-sm" value={filter.ratio ?? ''} onChange={(e) => onChange({ ratio: (e.target.value || undefined) as GalleryFilter['ratio'] })}>
          <option value="">All ratios</option>
          {RATIOS.map((ratio) => (
            <option key={ratio} value={ratio}>
              {ratio}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Filter by status
        <select className="field py-1.5 text-sm" value={filter.status ?? ''} onChange={(e) => onChange({ status: (e.target.value || undefined) as GalleryFilter['status'] })}>
          <option value="">All statuses</option>
          {TASK_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABEL[status]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Sort
        <select className="field py-1.5 text-sm" value={filter.sort} onChange={(e) => onChange({ sort: e.target.value as GalleryFilter['sort'] })}>
          {SORTS.map((sort) => (
            <option key={sort} value={sort} disabled={sort === 'relevance' && !filter.q.trim()}>
              {SORT_LABEL[sort]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2 pb-2 text-sm text-neutral-200">
        <input type="checkbox" className="size-4 accent-amber-400" checked={filter.favorites} onChange={(e) => onChange({ favorites: e.target.checked })} />
        Favorites only
      </label>
    </div>
  );
}
