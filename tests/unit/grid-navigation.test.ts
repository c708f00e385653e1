import { describe, expect, it } from 'vitest';
import type { JustifiedRow } from '../../lib/client/justify';
import { moveInGrid } from '../../lib/client/grid-navigation';

// Two rows of different counts (widths as justifyRows makes them, 8 px gaps, 1000 px wide):
// [wide 484, square 250, square 250] then [tall 200, tall 200, wide 384, tall 192].
const rows: JustifiedRow[] = [
  { start: 0, end: 3, height: 250, widths: [484, 250, 250] },
  { start: 3, end: 7, height: 200, widths: [200, 200, 384, 192] },
];

describe('moving focus in justified rows', () => {
  it('has the rows this test assumes', () => {
    expect(rows.map((r) => [r.start, r.end])).toEqual([
      [0, 3],
      [3, 7],
    ]);
  });

  it('Left/Right walk the order across row ends and stop at the ends', () => {
    expect(moveInGrid(rows, 2, 'right')).toBe(3);
    expect(moveInGrid(rows, 3, 'left')).toBe(2);
    expect(moveInGrid(rows, 0, 'left')).toBe(0);
    expect(moveInGrid(rows, 6, 'right')).toBe(6);
  });

  it('Up/Down land on the tile whose middle is nearest', () => {
    // The wide first tile's middle (242) is nearest the second tall tile's (308) below it, not the first's (100).
    expect(moveInGrid(rows, 0, 'down')).toBe(4);
    // The middle square (middle 617) sits over the wide tile below (middle 608).
    expect(moveInGrid(rows, 1, 'down')).toBe(5);
    // The last square is at the right; below it the last tall tile.
    expect(moveInGrid(rows, 2, 'down')).toBe(6);
    expect(moveInGrid(rows, 6, 'up')).toBe(2);
    expect(moveInGrid(rows, 1, 'up')).toBe(1); // top row: stays
    expect(moveInGrid(rows, 5, 'down')).toBe(5); // last row: stays
  });

  it('Home/End and Page keys', () => {
    expect(moveInGrid(rows, 4, 'first')).toBe(0);
    expect(moveInGrid(rows, 1, 'last')).toBe(6);
    expect(moveInGrid(rows, 6, 'pageUp')).toBe(2);
    expect(moveInGrid([], 0, 'right')).toBe(-1);
  });
});
