/**
 * Justified rows: pictures keep their aspect ratio, every full row spans the
 * container exactly, and the last row keeps the target height instead of
 * stretching a lone picture. Pure, so the virtualized grid can size rows
 * before rendering them.
 */
export type JustifiedRow = { start: number; end: number; height: number; widths: number[] };

export function justifyRows(aspects: number[], containerWidth: number, targetHeight = 220, gap = 8): JustifiedRow[] {
  const rows: JustifiedRow[] = [];
  if (containerWidth <= 0) return rows;
  let start = 0;
  let sum = 0;
  for (let i = 0; i < aspects.length; i++) {
    sum += aspects[i];
    const count = i - start + 1;
    const widthAtTarget = sum * targetHeight + gap * (count - 1);
    if (widthAtTarget >= containerWidth) {
      const height = (containerWidth - gap * (count - 1)) / sum;
      rows.push(row(aspects, start, i + 1, height));
      start = i + 1;
      sum = 0;
    }
  }
  if (start < aspects.length) {
    // The last row: target height, unless even that is wider than the container.
    const count = aspects.length - start;
    const height = Math.min(targetHeight, (containerWidth - gap * (count - 1)) / sum);
    rows.push(row(aspects, start, aspects.length, height));
  }
  return rows;
}

function row(aspects: number[], start: number, end: number, height: number): JustifiedRow {
  return { start, end, height, widths: aspects.slice(start, end).map((a) => a * height) };
}
