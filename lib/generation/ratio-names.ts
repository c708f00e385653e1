import { ratioSize, type Ratio } from './schema';

// Familiar names help people pick: "1360:768" alone says little, "≈16:9" does.
const FAMILIAR: Array<[number, number]> = [
  [1, 1],
  [4, 3],
  [3, 4],
  [16, 9],
  [9, 16],
  [21, 9],
];

export function ratioLabel(ratio: Ratio | string): string {
  const { width, height } = ratioSize(ratio);
  const value = width / height;
  const [w, h] = FAMILIAR.reduce((best, cand) => (Math.abs(cand[0] / cand[1] - value) < Math.abs(best[0] / best[1] - value) ? cand : best));
  const exact = Math.abs(w / h - value) < 0.005;
  const shape = width === height ? 'square' : width > height ? 'landscape' : 'portrait';
  return `${ratio} · ${exact ? '' : '≈'}${w}:${h} ${shape}`;
}
