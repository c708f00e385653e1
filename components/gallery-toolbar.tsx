'use client';

import { useId, useState } from 'react';
import type { GalleryFilter } from '@/lib/gallery/filters';
import type { ImportReport } from '@/lib/archive/import-result';
import { usePhoneLayout } from '@/lib/client/use-media-query';
import { ExportImport } from './export-import';
import { BoardFilter } from './board-filter';
import { FilterBar } from './filter-bar';
import { MonthScrubber } from './month-scrubber';
import { SearchBox } from './search-box';

type Props = {
  filter: GalleryFilter;
  setFilter: (patch: Partial<GalleryFilter>) => void;
  searchText: string;
  setSearchText: (text: string) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
  onSwitchView: (view: 'gallery' | 'trash') => void;
  exportHref: string;
  selectedIds: string[];
  onImported: (report: ImportReport) => void;
  /** Shown in the Trash while it holds anything. */
  onEmptyTrash: (() => void) | null;
};

/**
 * Above the gallery: Pictures / Trash, search, the total and "jump to date",
 * filters and export. On a phone the filters fold behind one button so the
 * first row of pictures stays on the first screen.
 */
export function GalleryToolbar(props: Props) {
  const { filter, setFilter } = props;
  const phone = usePhoneLayout();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const narrowing = [
    filter.ratio,
    filter.model,
    filter.status,
    filter.favorites,
    filter.from,
    filter.board,
    filter.sort !== 'newest',
  ].filter(Boolean).length;

  // One Export/Import (its upload state must not be lost): in the top row on wide screens, in the folded panel on phones.
  const actions = (
    <>
      <ExportImport href={props.exportHref} ids={props.selectedIds} onImported={props.onImported} />
      {props.onEmptyTrash && (
        <button type="button" className="btn-danger-outline px-3 py-1.5" onClick={props.onEmptyTrash}>
          Empty trash
        </button>
      )}
    </>
  );

  return (
    <div className="flex flex-col gap-2 pt-3">
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label="Collection" className="flex gap-1 rounded-lg border border-neutral-800 p-1">
          {(['gallery', 'trash'] as const).map((view) => (
            <button
              key={view}
              type="button"
              className={`btn px-3 py-1 ${filter.view === view ? 'bg-neutral-800' : 'text-neutral-400'}`}
              aria-current={filter.view === view ? 'page' : undefined}
              onClick={() => props.onSwitchView(view)}
            >
              {view === 'gallery' ? 'Pictures' : 'Trash'}
            </button>
          ))}
        </nav>
        <div className="min-w-40 flex-1 sm:max-w-sm">
          <SearchBox value={props.searchText} onChange={props.setSearchText} inputRef={props.searchRef} />
        </div>
        <button
          type="button"
          className="btn-secondary px-3 py-1.5 sm:hidden"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen(!open)}
        >
          Filters{narrowing ? ` (${narrowing})` : ''}
        </button>
        {!phone && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
      <div id={panelId} className={`${open ? 'flex' : 'hidden'} flex-col gap-2 sm:flex sm:flex-row sm:flex-wrap sm:items-end sm:gap-3`}>
        <FilterBar filter={filter} onChange={setFilter} />
        <BoardFilter value={filter.board} onChange={(board) => setFilter({ board })} />
        <MonthScrubber filter={filter} onJump={(from) => setFilter({ from })} />
        {phone && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
    </div>
  );
}
