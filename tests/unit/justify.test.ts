import { describe, expect, it } from 'vitest';
import { justifyRows } from '@/lib/client/justify';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('justified rows', () => {
  it('fills each full row to the container width, keeping aspect ratios', () => {
    const aspects = [16 / 9, 1, 9 / 16, 4 / 3, 21 / 9, 1, 3 / 4, 16 / 9, 1];
    const rows = justifyRows(aspects, 1000, 220, 8);
    for (const row of rows.slice(0, -1)) {
      expect(sum(row.widths) + 8 * (row.widths.length - 1)).toBeCloseTo(1000, 6);
      row.widths.forEach((w, i) => expect(w / row.height).toBeCloseTo(aspects[row.start + i], 6));
    }
    expect(rows.flatMap((r) => r.widths)).toHaveLength(aspects.length);
  });

  it('does not stretch the last row', () => {
    const rows = justifyRows([1, 1, 1, 1, 1, 1], 1000, 220, 8);
    expect(rows).toHaveLength(2);
    expect(rows.at(-1)!.height).toBe(220);
  });

  it('gives a phone one wide picture per row, never wider than the screen', () => {
    const rows = justifyRows([16 / 9, 2112 / 912, 1], 375, 220, 8);
    for (const row of rows) expect(sum(row.widths)).toBeLessThanOrEqual(375 + 1e-9);
  });

  it('handles an empty list and an unmeasured container', () => {
    expect(justifyRows([], 800)).toEqual([]);
    expect(justifyRows([1, 2], 0)).toEqual([]);
  });
});
