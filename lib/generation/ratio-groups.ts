import { RATIOS, ratioSize, type Ratio } from './schema';
import { ratioLabel } from './ratio-names';

/**
 * Pure helpers behind the aspect-ratio picker (components/ratio-picker.tsx):
 * how the 16 ratios are grouped and ordered, what each option is called, the
 * size of its little shape icon, keyboard type-ahead and group jumps, and
 * where the popup goes on screen. No DOM here, so all of it is unit-tested.
 */

export type RatioShape = 'landscape' | 'square' | 'portrait';

export type RatioGroup = { shape: RatioShape; title: string; ratios: readonly Ratio[] };

export function isRatio(value: string): value is Ratio {
  return (RATIOS as readonly string[]).includes(value);
}

export function ratioShape(ratio: Ratio): RatioShape {
  const { width, height } = ratioSize(ratio);
  return width === height ? 'square' : width > height ? 'landscape' : 'portrait';
}

/** The familiar name ratioLabel gives a ratio, e.g. "16:9" or "≈21:9" (so the picker and the old select agree). */
export function familiarName(ratio: Ratio): string {
  const match = /· (≈?\d+:\d+) /.exec(ratioLabel(ratio));
  if (!match) throw new Error(`ratioLabel(${ratio}) has no familiar name`);
  return match[1];
}

/** How elongated the familiar shape is (1 for 1:1, 16/9 for both 16:9 and 9:16). */
function elongation(ratio: Ratio): number {
  const [w, h] = familiarName(ratio).replace('≈', '').split(':').map(Number);
  return Math.max(w, h) / Math.min(w, h);
}

function area(ratio: Ratio): number {
  const { width, height } = ratioSize(ratio);
  return width * height;
}

/**
 * Within a group: from the squarest familiar shape outwards (4:3, 16:9, 21:9; 3:4, 9:16), and within one
 * familiar shape from the smallest picture to the largest — so each family reads small, medium, large.
 */
function byShapeThenSize(a: Ratio, b: Ratio): number {
  return elongation(a) - elongation(b) || area(a) - area(b);
}

const TITLES: Record<RatioShape, string> = { landscape: 'Landscape', square: 'Square', portrait: 'Portrait' };

export const RATIO_GROUPS: readonly RatioGroup[] = (['landscape', 'square', 'portrait'] as const).map((shape) => ({
  shape,
  title: TITLES[shape],
  ratios: RATIOS.filter((r) => ratioShape(r) === shape).sort(byShapeThenSize),
}));

/** Every ratio in the order the picker shows (and the keyboard walks) them. */
export const ORDERED_RATIOS: readonly Ratio[] = RATIO_GROUPS.flatMap((g) => g.ratios);

/** Index in ORDERED_RATIOS of each group's first option. */
export const GROUP_STARTS: readonly number[] = RATIO_GROUPS.map((_, i) =>
  RATIO_GROUPS.slice(0, i).reduce((n, g) => n + g.ratios.length, 0),
);

/** "1920 × 1080" */
export function pixelSize(ratio: Ratio): string {
  const { width, height } = ratioSize(ratio);
  return `${width} × ${height}`;
}

/** An option's accessible name; it starts with the ratio string: "1920:1080 · 16:9 landscape · 1920 × 1080 px". */
export function optionName(ratio: Ratio): string {
  return `${ratioLabel(ratio)} · ${pixelSize(ratio)} px`;
}

/** Width and height (whole pixels, at least 2) of an outline box with the ratio's shape that fits in `box`×`box`. */
export function shapeBox(ratio: Ratio, box = 28): { width: number; height: number } {
  const { width, height } = ratioSize(ratio);
  const scale = box / Math.max(width, height);
  return { width: Math.max(2, Math.round(width * scale)), height: Math.max(2, Math.round(height * scale)) };
}

/**
 * Type-ahead: the index of the option whose text starts with `query`, searching from the one after `active`
 * for a first keystroke (so repeating it moves on) and from `active` itself while a query grows (so "1", "9", "2"
 * stays put once it is on 1920:1080), wrapping around. Repeating one character ("111") cycles through the options
 * starting with it. -1 when nothing matches.
 */
export function typeAhead(texts: readonly string[], query: string, active: number): number {
  const n = texts.length;
  if (!query || n === 0) return -1;
  const search = (q: string, start: number) => {
    for (let step = 0; step < n; step++) {
      const i = (((start + step) % n) + n) % n;
      if (texts[i].startsWith(q)) return i;
    }
    return -1;
  };
  if (query.length === 1) return search(query, active + 1);
  const hit = search(query, Math.max(active, 0));
  if (hit >= 0) return hit;
  return [...query].every((c) => c === query[0]) ? search(query[0], active + 1) : -1;
}

/**
 * PageDown: to the first option of the next group (the last option from the last group).
 * PageUp: to the first option of the current group, or of the previous one when already there.
 */
export function pageTarget(starts: readonly number[], count: number, active: number, direction: 'up' | 'down'): number {
  if (direction === 'down') return starts.find((s) => s > active) ?? count - 1;
  const earlier = starts.filter((s) => s < active);
  return earlier.length ? earlier[earlier.length - 1] : 0;
}

export type Placement = { side: 'below' | 'above'; left: number; top?: number; bottom?: number; maxHeight: number };

/**
 * Where the popup goes, in viewport pixels (for `position: fixed`): below the trigger when it fits there
 * (the composer is pinned to the top of the screen on desktop), otherwise on the side with more room (above,
 * for the composer pinned to the bottom of a phone), scrolling inside when even that is too small. Left-aligned
 * with the trigger but never past either edge of the viewport; `popup.width` should already be at most the
 * viewport width minus both margins (the CSS does that).
 */
export function placePopup({
  trigger,
  popup,
  viewport,
  margin = 8,
  gap = 4,
  minHeight = 120,
}: {
  trigger: { top: number; bottom: number; left: number };
  popup: { width: number; height: number };
  viewport: { width: number; height: number };
  margin?: number;
  gap?: number;
  minHeight?: number;
}): Placement {
  const width = Math.min(popup.width, viewport.width - 2 * margin);
  const left = Math.max(margin, Math.min(trigger.left, viewport.width - margin - width));
  const below = viewport.height - trigger.bottom - gap - margin;
  const above = trigger.top - gap - margin;
  const side = popup.height <= below || below >= above ? 'below' : 'above';
  const room = Math.max(side === 'below' ? below : above, minHeight);
  const maxHeight = Math.floor(Math.min(popup.height, room));
  return side === 'below'
    ? { side, left, top: trigger.bottom + gap, maxHeight }
    : { side, left, bottom: viewport.height - trigger.top + gap, maxHeight };
}
