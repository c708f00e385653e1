import { z } from 'zod';
import { nominalSize } from './sizes';
import { definedOnly } from './settings';
import type { ModelRequest } from './types';

/**
 * What the six models with named `aspect_ratio` enums share (all but RunWay): the default ratio, Darkroom's own
 * prompt cap, and reading a stored body back.
 */

/** Every named-ratio endpoint defaults to a square when `aspect_ratio` is left out. */
export const DEFAULT_ASPECT_RATIO = 'square_1_1';

/**
 * Darkroom's prompt cap where the docs give no limit (ADR 0016): generous for any real prompt (these models read
 * a few hundred tokens at most), small enough that a pasted document is refused here rather than upstream.
 */
export const PROMPT_CAP = 4000;

/**
 * The prompt a request sends: the composer always requires one, even where the endpoint does not (Flux Dev,
 * HyperFlux, Mystic), and a Darkroom cap applies; bodySchema keeps the provider's looser contract. Throws a
 * ZodError on path `prompt`.
 */
export function requestPrompt(prompt: string, max = PROMPT_CAP): string {
  const message = `The prompt is too long: at most ${max} characters.`;
  return z.object({ prompt: z.string().min(1, { message: 'Write a prompt.' }).max(max, { message }) }).parse({ prompt }).prompt;
}

/** The ratio a body asks for: its `aspect_ratio`, or the endpoints' default. */
export function aspectRatioOf(body: Record<string, unknown>): string {
  return typeof body.aspect_ratio === 'string' ? body.aspect_ratio : DEFAULT_ASPECT_RATIO;
}

/** The nominal size of a named-ratio body (sizes.ts), before any resolution scaling. */
export function namedExpectedSize(body: Record<string, unknown>): { width: number; height: number } {
  return nominalSize(aspectRatioOf(body));
}

/** A stored seed in the form's terms: a number, or absent (Flux Pro's documented `null` included). */
export function seedOf(body: Record<string, unknown>): number | undefined {
  return typeof body.seed === 'number' ? body.seed : undefined;
}

/**
 * `withSeed`, `reproducible` and `expectedSize` of a model whose body names its aspect ratio and may carry a
 * `seed` (Flux Dev, HyperFlux, Flux Pro 1.1, Seedream 4): a seed makes the same picture again.
 */
export function seededNamedRatioModel(bodySchema: z.ZodType<Record<string, unknown>>) {
  return {
    withSeed(body: Record<string, unknown>, seed: number) {
      return bodySchema.parse({ ...body, seed });
    },
    reproducible(body: Record<string, unknown>) {
      return seedOf(body) !== undefined;
    },
    expectedSize: namedExpectedSize,
  };
}

/**
 * `toBody` of a model whose settings are top-level body fields of the same names (Flux Pro 1.1, Seedream 4):
 * prompt, aspect ratio, seed and the settings that are set, parsed by the body schema.
 */
export function flatSettingsToBody(settingsSchema: z.ZodType<Record<string, unknown>>, bodySchema: z.ZodType<Record<string, unknown>>) {
  return (request: ModelRequest) => {
    const settings = settingsSchema.parse(request.settings);
    return bodySchema.parse(
      definedOnly({ prompt: requestPrompt(request.prompt), aspect_ratio: request.size, seed: request.seed, ...settings }),
    );
  };
}

/** An integer seed field with inclusive bounds (each endpoint has its own). */
export function seedSchema(min: number, max: number) {
  return z.number().int().min(min).max(max);
}
