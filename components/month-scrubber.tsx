'use client';

import { useMemo } from 'react';
import { useGallerySummary } from '@/lib/client/summary-query';
import { effectiveSort, monthStart, type GalleryFilter } from '@/lib/gallery/filters';

type Props = {
  filter: GalleryFilter;
  /** A `YYYY-MM` month to start the gallery at, or undefined for the start (newest, or oldest when sorted so). */
  onJump: (from: string | undefined) => void;
};

/** "12,345 pictures", "1 picture"; in the Trash "12 in the trash". */
export function totalText(total: number, inTrash: boolean, numbers: Intl.NumberFormat): string {
  const n = numbers.format(total);
  if (inTrash) return `${n} in the trash`;
  return `${n} ${total === 1 ? 'picture' : 'pictures'}`;
}

/**
 * The gallery's total and its "jump to date" month scrubber. Month names are in the person's locale
 * but for UTC months, the months the server counts and `from` means (lib/gallery/filters.ts).
 * Rendering only: the counts come from GET /api/tasks/summary (useGallerySummary).
 */
export function MonthScrubber({ filter, onJump }: Props) {
  const summary = useGallerySummary(filter);
  const { numbers, months } = useMemo(
    () => ({
      numbers: new Intl.NumberFormat(),
      months: new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }),
    }),
    [],
  );

  const options = summary.data?.months ?? [];
  // A month in the URL with nothing in it (any more) still shows as chosen.
  const listed = !filter.from || options.some((m) => m.month === filter.from);
  const choices = listed ? options : [...options, { month: filter.from!, count: 0 }].sort((a, b) => b.month.localeCompare(a.month));

  let status = '';
  if (summary.data) status = totalText(summary.data.total, filter.view === 'trash', numbers);
  else if (summary.isError) status = 'Could not count the pictures.';

  return (
    <div className="flex flex-wrap items-end gap-3">
      <p aria-live="polite" className="pb-2 text-sm text-neutral-300 tabular-nums">
        {status}
      </p>
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Jump to date
        <select className="field py-1.5 text-sm" value={filter.from ?? ''} onChange={(e) => onJump(e.target.value || undefined)}>
          <option value="">{effectiveSort(filter) === 'oldest' ? 'Oldest' : 'Newest'}</option>
          {choices.map(({ month, count }) => (
            <option key={month} value={month}>
              {`${months.format(monthStart(month))} (${numbers.format(count)})`}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
