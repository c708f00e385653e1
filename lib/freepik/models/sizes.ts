import type { SizeOption } from './types';

/**
 * The named aspect ratios of the Flux family, Seedream, Imagen 3 and Mystic, with the nominal pixel size
 * Darkroom assumes for each (the contracts give none): about one megapixel, the exact shape, both sides whole
 * numbers (docs/decisions/0016-model-registry.md). A real provider may send another size of the same shape;
 * only the shape of a finished picture is checked for these (ModelSpec.shapeOnly).
 */
const NAMED: Record<string, Omit<SizeOption, 'id'>> = {
  square_1_1: { label: '1:1', width: 1024, height: 1024 },
  classic_4_3: { label: '4:3', width: 1152, height: 864 },
  traditional_3_4: { label: '3:4', width: 864, height: 1152 },
  widescreen_16_9: { label: '16:9', width: 1344, height: 756 },
  social_story_9_16: { label: '9:16', width: 756, height: 1344 },
  standard_3_2: { label: '3:2', width: 1248, height: 832 },
  portrait_2_3: { label: '2:3', width: 832, height: 1248 },
  horizontal_2_1: { label: '2:1', width: 1440, height: 720 },
  vertical_1_2: { label: '1:2', width: 720, height: 1440 },
  social_5_4: { label: '5:4', width: 1120, height: 896 },
  social_post_4_5: { label: '4:5', width: 896, height: 1120 },
  smartphone_horizontal_20_9: { label: '20:9', width: 1600, height: 720 },
  smartphone_vertical_9_20: { label: '9:20', width: 720, height: 1600 },
};

export type NamedRatio = keyof typeof NAMED;

/** The size options of a model with named aspect ratios, in the order given. */
export function namedSizes(ids: readonly string[]): SizeOption[] {
  return ids.map((id) => {
    const size = NAMED[id];
    if (!size) throw new Error(`unknown named aspect ratio ${id}`);
    return { id, ...size };
  });
}

/** The nominal pixel size of a named aspect ratio (ModelSpec.expectedSize); throws for a name not in the table. */
export function nominalSize(id: string): { width: number; height: number } {
  const size = NAMED[id];
  if (!size) throw new Error(`unknown named aspect ratio ${id}`);
  return { width: size.width, height: size.height };
}

/**
 * How far a picture's shape may stray from the option's, as a factor (lib/images/verify.ts compares logs against
 * log(1 + SHAPE_TOLERANCE)). Providers round sides to multiples of 8, 16 or 64, and Google documents Imagen 3's
 * "4:3" as 1280×896 and "3:4" as 896×1280 — 7.1% off the exact shape — so 8%, not the 4% rounding alone would
 * need (ADR 0016). Being generous costs nothing: the check only asks whether a picture has roughly the shape its
 * own task asked for, never which of two neighbouring ratios it is.
 */
export const SHAPE_TOLERANCE = 0.08;

/** The option of `options` whose shape is closest to width × height (switching models keeps the shape). */
export function closestSize(options: readonly SizeOption[], width: number, height: number): SizeOption {
  const target = Math.log(width / height);
  return options.reduce((best, option) =>
    Math.abs(Math.log(option.width / option.height) - target) < Math.abs(Math.log(best.width / best.height) - target) ? option : best,
  );
}
