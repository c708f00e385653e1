import 'server-only';
import { randomInt } from 'node:crypto';
import { MODELS, type ModelId, type ModelSpec } from '../freepik/models';
import { closestSize } from '../freepik/models/sizes';
import type { GenerationInput } from './schema';

/**
 * From a validated request (lib/generation/schema.ts) to the pictures to make: one per Variation, or one per
 * compared model. Each picture carries its model, the exact body to send (the model's toBody: validated,
 * nothing extra), its seed where the model has one and its nominal pixel size for layout.
 */
export type PlannedPicture = {
  model: ModelId;
  prompt: string;
  /** Nominal pixel size "W:H" (lib/freepik/models/sizes.ts), exact for RunWay. */
  ratio: string;
  seed: number | null;
  body: Record<string, unknown>;
};

type SeedRange = { min: number; max: number };

/** A random seed in the range, inclusive (randomInt's bound is exclusive and below 2^48). */
export function randomSeedIn(range: SeedRange): number {
  return randomInt(range.min, range.max + 1);
}

/** `count` different random seeds in the range, none of them in `avoid`. */
export function distinctRandomSeeds(range: SeedRange, count: number, avoid: Iterable<number> = []): number[] {
  const taken = new Set(avoid);
  const seeds: number[] = [];
  while (seeds.length < count) {
    const seed = randomSeedIn(range);
    if (taken.has(seed)) continue;
    taken.add(seed);
    seeds.push(seed);
  }
  return seeds;
}

/** first, first+1, … (`count` seeds), wrapping past the range's end to its start: a batch is reproducible from its first seed. */
export function consecutiveSeeds(range: SeedRange, first: number, count: number): number[] {
  const span = range.max - range.min + 1;
  return Array.from({ length: count }, (_, i) => range.min + ((first - range.min + i) % span));
}

/** The picture a model makes for a body. */
export function pictureOf(spec: ModelSpec, body: Record<string, unknown>): PlannedPicture {
  const { width, height } = spec.expectedSize(body);
  return {
    model: spec.id,
    prompt: typeof body.prompt === 'string' ? body.prompt : '',
    ratio: `${width}:${height}`,
    seed: typeof body.seed === 'number' ? body.seed : null,
    body,
  };
}

/** The seed range every compared model with a seed accepts (one seed for the whole comparison). */
function commonSeedRange(specs: ModelSpec[]): SeedRange | null {
  const rules = specs.flatMap((s) => (s.seed ? [s.seed] : []));
  if (!rules.length) return null;
  return { min: Math.max(...rules.map((r) => r.min)), max: Math.min(...rules.map((r) => r.max)) };
}

export function planPictures(input: GenerationInput): PlannedPicture[] {
  const spec = MODELS[input.model];
  if (input.compare) return planComparison(input, spec);
  const seeds: Array<number | undefined> = spec.seed
    ? input.seed === undefined
      ? distinctRandomSeeds(spec.seed, input.variations)
      : consecutiveSeeds(spec.seed, input.seed, input.variations)
    : Array.from({ length: input.variations }, () => undefined);
  const settings = spec.settingsSchema.parse(input.settings);
  return seeds.map((seed) => pictureOf(spec, spec.toBody({ prompt: input.prompt, size: input.ratio, seed, settings })));
}

/**
 * Compare: the same prompt to each chosen model, in the order chosen; the size closest in shape to the one
 * picked (for the model picked in the Model control, exactly it); one seed for all the seeded models (the
 * one given, or a random one every one of them accepts); Advanced settings only for the picked model —
 * the others use their defaults, so the comparison is of models, not of settings.
 */
function planComparison(input: GenerationInput, primary: ModelSpec): PlannedPicture[] {
  const specs = (input.compare ?? []).map((id) => MODELS[id]);
  const chosen = primary.sizes.find((s) => s.id === input.ratio) ?? primary.sizes[0];
  const range = commonSeedRange(specs);
  const seed = input.seed ?? (range ? randomSeedIn(range) : undefined);
  const primarySettings = primary.settingsSchema.parse(input.settings);
  return specs.map((spec) => {
    const size = spec.id === primary.id ? chosen.id : closestSize(spec.sizes, chosen.width, chosen.height).id;
    const settings = spec.id === primary.id ? primarySettings : {};
    return pictureOf(spec, spec.toBody({ prompt: input.prompt, size, seed: spec.seed ? seed : undefined, settings }));
  });
}
