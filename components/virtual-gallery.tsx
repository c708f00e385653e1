'use client';

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { ratioSize } from '@/lib/generation/schema';
import { justifyRows } from '@/lib/client/justify';
import { MOVE_KEYS, moveInGrid } from '@/lib/client/grid-navigation';
import { useFastScroll } from '@/lib/client/use-fast-scroll';
import type { TaskView } from '@/lib/tasks/view';
import { TaskTile, tileId } from './task-tile';
import type { TileAction } from './tile-states';

const ROW_HEIGHT = 220;
const WIDE_ROW_HEIGHT = 260;
const PHONE_ROW_HEIGHT = 160;
const GAP = 8;
/** Tiles without a picture need room for their words and buttons, whatever the picture's shape would be (most room on phones' short rows). */
const MIN_TEXT_TILE_ASPECT = 1.3;
const PHONE_MIN_TEXT_TILE_ASPECT = 2.2;

type Props = {
  tasks: TaskView[];
  selected: ReadonlySet<string>;
  hasMore: boolean;
  loadingMore: boolean;
  estimateMs: number | null;
  onLoadMore: () => void;
  onOpen: (task: TaskView) => void;
  onAction: (task: TaskView, action: TileAction) => void;
  onFavorite: (task: TaskView) => void;
  onSelect: (task: TaskView, range: boolean) => void;
  /** Escape in the gallery (clears the selection). */
  onEscape: () => void;
  /** Lets the caller scroll a task into view and focus it (e.g. when the viewer closes). */
  registerFocusTask?: (focus: (taskId: string) => void) => void;
};

/**
 * The gallery grid: justified rows that keep each picture's aspect ratio,
 * virtualized against the window so the DOM holds only the rows near the
 * viewport however far one scrolls, loading further pages on the way down.
 * One Tab stop (roving focus): arrows move between tiles, keys act on the
 * focused one (the shortcuts sheet lists them).
 */
export function VirtualGallery(props: Props) {
  const { tasks, hasMore, loadingMore, onLoadMore } = props;
  const listRef = useRef<HTMLUListElement>(null);
  const [width, setWidth] = useState(0);
  const [offsetTop, setOffsetTop] = useState(0);
  const fast = useFastScroll(props.loadingMore);

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
    const minText = width < 640 ? PHONE_MIN_TEXT_TILE_ASPECT : MIN_TEXT_TILE_ASPECT;
    const aspects = tasks.map((t) => {
      const { width: w, height: h } = ratioSize(t.ratio);
      const pictured = t.status === 'COMPLETED' && t.image && !t.image.lost;
      return pictured ? w / h : Math.max(w / h, minText);
    });
    const target = width < 640 ? PHONE_ROW_HEIGHT : width >= 1800 ? WIDE_ROW_HEIGHT : ROW_HEIGHT;
    return justifyRows(aspects, width, target, GAP);
  }, [tasks, width]);

  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (i) => rows[i].height + GAP,
    overscan: 3,
    scrollMargin: offsetTop,
  });
  // Row heights depend on the container width: re-measure when layout changes.
  useEffect(() => virtualizer.measure(), [rows, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 3) onLoadMore();
  }, [lastIndex, rows.length, hasMore, loadingMore, onLoadMore]);

  // Roving focus: one tile is the Tab stop; it follows focus and survives the tile leaving (next one takes over).
  const [activeId, setActiveId] = useState<string | null>(null);
  const active = activeId && tasks.some((t) => t.id === activeId) ? activeId : (tasks[0]?.id ?? null);
  const pendingFocus = useRef<string | null>(null);

  const focusTask = useCallback(
    (taskId: string) => {
      const index = tasks.findIndex((t) => t.id === taskId);
      if (index < 0) return;
      setActiveId(taskId);
      const element = document.getElementById(tileId(taskId));
      if (element) {
        element.focus();
        element.scrollIntoView({ block: 'nearest' });
        return;
      }
      // Not rendered (virtualized away): scroll its row in, focus once it exists.
      pendingFocus.current = taskId;
      const row = rows.findIndex((r) => index >= r.start && index < r.end);
      if (row >= 0) virtualizer.scrollToIndex(row, { align: 'center' });
    },
    [tasks, rows, virtualizer],
  );
  useEffect(() => {
    const id = pendingFocus.current;
    const element = id ? document.getElementById(tileId(id)) : null;
    if (element) {
      pendingFocus.current = null;
      element.focus();
    }
  });

  const { registerFocusTask } = props;
  useEffect(() => registerFocusTask?.(focusTask), [registerFocusTask, focusTask]);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const target = event.target as HTMLElement;
    const id = target.dataset.tile;
    if (!id || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = tasks.findIndex((t) => t.id === id);
    const task = tasks[index];
    if (!task) return;
    const move = MOVE_KEYS[event.key];
    if (move) {
      event.preventDefault();
      const next = moveInGrid(rows, index, move, GAP);
      if (next >= 0) focusTask(tasks[next].id);
      if (move === 'last' || (move === 'pageDown' && next >= tasks.length - 2)) onLoadMore();
      return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const act = (run: () => void) => {
      event.preventDefault();
      run();
    };
    if (key === 'f') act(() => props.onFavorite(task));
    else if (key === 'x') act(() => props.onSelect(task, event.shiftKey));
    else if (key === 'e') act(() => props.onAction(task, 'edit'));
    else if (key === 'r' && task.status === 'FAILED') act(() => props.onAction(task, 'retry-new-seed'));
    else if (key === 'r' && task.status === 'UNSAVED') act(() => props.onAction(task, 'refetch'));
    else if (key === 'Escape') props.onEscape();
    else if (key === 'Delete' || key === 'Backspace') {
      act(() => {
        // Focus moves on to the next tile (or the previous at the end), as in a file manager.
        const neighbour = tasks[index + 1] ?? tasks[index - 1];
        if (neighbour) {
          setActiveId(neighbour.id);
          pendingFocus.current = neighbour.id;
        }
        props.onAction(task, 'delete');
      });
    }
  }

  return (
    <>
      <p id="gallery-keys" className="sr-only">
        Arrow keys move between pictures; press question mark for all shortcuts.
      </p>
      <ul
        ref={listRef}
        role="list"
        className="relative w-full"
        style={{ height: rows.length ? virtualizer.getTotalSize() : 0 }}
        aria-busy={loadingMore || undefined}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          const id = (e.target as HTMLElement).dataset.tile;
          if (id && id !== activeId) setActiveId(id);
        }}
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
                active={task.id === active}
                holdImage={fast}
                estimateMs={props.estimateMs}
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
