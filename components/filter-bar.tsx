'use client';

import { useId } from 'react';
import { MODEL_LIST } from '@/lib/freepik/models';
import { RATIOS } from '@/lib/generation/schema';
import { SORTS, type GalleryFilter } from '@/lib/gallery/filters';
import { STATUS_LABEL, TASK_STATUSES } from '@/lib/tasks/status';

type Props = {
  filter: GalleryFilter;
  onChange: (patch: Partial<GalleryFilter>) => void;
};

const SORT_LABEL: Record<(typeof SORTS)[number], string> = { newest: 'Newest first', oldest: 'Oldest first', relevance: 'Best match' };

/** Filters and sort (the search box sits beside the Pictures/Trash switch); every value lives in the URL. */
export function FilterBar({ filter, onChange }: Props) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <FilterSelect
        label="Filter by ratio"
        allLabel="All ratios"
        value={filter.ratio}
        options={RATIOS.map((ratio) => [ratio, ratio])}
        onChange={(ratio) => onChange({ ratio: ratio as GalleryFilter['ratio'] })}
      />
      <FilterSelect
        label="Filter by model"
        allLabel="All models"
        value={filter.model}
        options={MODEL_LIST.map((model) => [model.id, model.name])}
        onChange={(model) => onChange({ model: model as GalleryFilter['model'] })}
      />
      <FilterSelect
        label="Filter by status"
        allLabel="All statuses"
        value={filter.status}
        options={TASK_STATUSES.map((status) => [status, STATUS_LABEL[status]])}
        onChange={(status) => onChange({ status: status as GalleryFilter['status'] })}
      />
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Sort
        <select
          className="field py-1.5 text-sm"
          value={filter.sort}
          onChange={(e) => onChange({ sort: e.target.value as GalleryFilter['sort'] })}
        >
          {SORTS.map((sort) => (
            <option key={sort} value={sort} disabled={sort === 'relevance' && !filter.q.trim()}>
              {SORT_LABEL[sort]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2 pb-2 text-sm text-neutral-200">
        <input
          type="checkbox"
          className="size-4 accent-amber-400"
          checked={filter.favorites}
          onChange={(e) => onChange({ favorites: e.target.checked })}
        />
        Favorites only
      </label>
    </div>
  );
}

/** A labelled select whose first option means "no filter". */
function FilterSelect(props: {
  label: string;
  allLabel: string;
  value: string | undefined;
  options: Array<[value: string, text: string]>;
  onChange: (value: string | undefined) => void;
}) {
  // A label apart from the select (not wrapping it): a wrapping label's text would include every option's, and
  // "Filter by model" would then also answer to "Seed" (Seedream 4).
  const id = useId();
  return (
    <div className="flex flex-col gap-1 text-xs text-neutral-400">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        className="field py-1.5 text-sm"
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      >
        <option value="">{props.allLabel}</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
