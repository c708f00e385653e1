import type { JustifiedRow } from './justify';

/** Keys that move focus in the gallery grid, and how far. */
export type GridMove = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last';

export const MOVE_KEYS: Record<string, GridMove> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'first',
  End: 'last',
};

const PAGE_ROWS = 3;

/**
 * Where a move lands in justified rows. Left/Right walk the gallery's order
 * (across row ends); Up/Down go to the row above/below, to the tile whose
 * middle is nearest the current tile's middle — what the eye expects when
 * rows hold different numbers of pictures. Pure, so it is tested without a DOM.
 */
export function moveInGrid(rows: readonly JustifiedRow[], index: number, move: GridMove, gap = 8): number {
  const count = rows.length ? rows[rows.length - 1].end : 0;
  if (count === 0) return -1;
  const clamp = (i: number) => Math.min(Math.max(i, 0), count - 1);
  switch (move) {
    case 'left':
      return clamp(index - 1);
    case 'right':
      return clamp(index + 1);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
  }
  const row = rows.findIndex((r) => index >= r.start && index < r.end);
  if (row < 0) return clamp(index);
  const step = move === 'up' ? -1 : move === 'down' ? 1 : move === 'pageUp' ? -PAGE_ROWS : PAGE_ROWS;
  const target = Math.min(Math.max(row + step, 0), rows.length - 1);
  if (target === row) return index;
  const middle = centerOf(rows[row], index, gap);
  const candidates = rows[target];
  let best = candidates.start;
  let bestDistance = Infinity;
  for (let i = candidates.start; i < candidates.end; i++) {
    const distance = Math.abs(centerOf(candidates, i, gap) - middle);
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  }
  return best;
}

function centerOf(row: JustifiedRow, index: number, gap: number): number {
  let left = 0;
  for (let i = row.start; i < index; i++) left += row.widths[i - row.start] + gap;
  return left + row.widths[index - row.start] / 2;
}
