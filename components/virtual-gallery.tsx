'use client';

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { ratioSize } from '@/lib/generation/schema';
import { justifyRows } from '@/lib/client/justify';
import type { TaskView } from '@/lib/tasks/view';
import { TaskTile } from './task-tile';
import type { TileAction } from './tile-states';

const ROW_HEIGHT = 220;
const PHONE_ROW_HEIGHT = 160;
const GAP = 8;

type Props = {
  tasks: TaskView[];
  selected: ReadonlySet<string>;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onOpen: (task: TaskView) => void;
  onAction: (task: TaskView, action: TileAction) => void;
  onFavorite: (task: TaskView) => void;
  onSelect: (task: TaskView, range: boolean) => void;
  /** Lets the caller scroll a task into view (e.g. to return focus to it). */
  registerScrollTo?: (scrollTo: (taskId: string) => void) => void;
};

/**
 * The gallery grid: justified rows that keep each picture's aspect ratio,
 * virtualized against the window so the DOM holds only the rows near the
 * viewport however far one scrolls, loading further pages on the way down.
 */
export function VirtualGallery(props: Props) {
  const { tasks, hasMore, loadingMore, onLoadMore } = props;
  const listRef = useRef<HTMLUListElement>(null);
  const [width, setWidth] = useState(0);
  const [offsetTop, setOffsetTop] = useState(0);

  useLayoutEffect(() => {
    const element = listRef.current;
    if (!element) return;
    const measure = () => {
      setWidth(element.clientWidth);
      setOffsetTop(element.getBoundingClientRect().top + window.scrollY);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const rows = useMemo(() => {
    const aspects = tasks.map((t) => {
      const { width: w, height: h } = ratioSize(t.ratio);
      return w / h;
    });
    return justifyRows(aspects, width, width < 640 ? PHONE_ROW_HEIGHT : ROW_HEIGHT, GAP);
  }, [tasks, width]);

  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (i) => rows[i].height + GAP,
    overscan: 4,
    scrollMargin: offsetTop,
  });
  // Row heights depend on the container width: re-measure when layout changes.
  useEffect(() => virtualizer.measure(), [rows, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 3) onLoadMore();
  }, [lastIndex, rows.length, hasMore, loadingMore, onLoadMore]);

  const { registerScrollTo } = props;
  useEffect(() => {
    registerScrollTo?.((taskId) => {
      const index = tasks.findIndex((t) => t.id === taskId);
      const row = rows.findIndex((r) => index >= r.start && index < r.end);
      if (row >= 0) virtualizer.scrollToIndex(row, { align: 'auto' });
    });
  }, [registerScrollTo, tasks, rows, virtualizer]);

  return (
    <>
      <ul
        ref={listRef}
        role="list"
        className="relative w-full"
        style={{ height: rows.length ? virtualizer.getTotalSize() : 0 }}
        aria-busy={loadingMore || undefined}
      >
        {items.flatMap((item) => {
          const row = rows[item.index];
          const top = item.start - virtualizer.options.scrollMargin;
          let left = 0;
          // Tiles are the list's direct children (valid list semantics), placed by row.
          return tasks.slice(row.start, row.end).map((task, i) => {
            const x = left;
            left += row.widths[i] + GAP;
            return (
              <TaskTile
                key={task.id}
                task={task}
                width={row.widths[i]}
                height={row.height}
                position={{ x, y: top }}
                selected={props.selected.has(task.id)}
                selecting={props.selected.size > 0}
                onOpen={props.onOpen}
                onAction={props.onAction}
                onFavorite={props.onFavorite}
                onSelect={props.onSelect}
              />
            );
          });
        })}
      </ul>
      {hasMore && (
        <button type="button" onClick={onLoadMore} disabled={loadingMore} className="btn-secondary self-center">
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
