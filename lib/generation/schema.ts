import { z } from 'zod';

/**
 * The one schema for "what a person asks to generate". The form, the server
 * actions, the route handlers and the upstream client all validate with it, so
 * a hand-crafted request gets exactly the answer the form shows.
 */

/** Output sizes RunWay accepts, as `width:height` in pixels (upstream contract). */
export const RATIOS = [
  '1920:1080',
  '1080:1920',
  '1024:1024',
  '1360:768',
  '1080:1080',
  '1168:880',
  '1440:1080',
  '1080:1440',
  '1808:768',
  '2112:912',
  '1280:720',
  '720:1280',
  '720:720',
  '960:720',
  '720:960',
  '1680:720',
] as const;

export type Ratio = (typeof RATIOS)[number];

export const DEFAULT_RATIO: Ratio = '1920:1080';
export const PROMPT_MAX = 1000;
export const SEED_MAX = 4294967295;

export function ratioSize(ratio: Ratio): { width: number; height: number } {
  const [width, height] = ratio.split(':').map(Number);
  return { width, height };
}

/**
 * The prompt's length as Darkroom counts it toward PROMPT_MAX. The provider
 * documents a limit in "characters" without saying which; until that is
 * known we count UTF-16 code units, the stricter reading, in which an emoji
 * (or any character outside the Basic Multilingual Plane) counts as 2. The
 * form shows that same number and says so, so count and limit agree.
 */
export function promptLength(prompt: string): number {
  return prompt.length;
}

/** True when some characters count as 2 (surrogate pairs), so the counter explains itself. */
export function hasDoubleUnits(prompt: string): boolean {
  return /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(prompt);
}

export function promptTooLongMessage(prompt: string): string {
  const base = `The prompt is too long: at most ${PROMPT_MAX} characters`;
  return hasDoubleUnits(prompt) ? `${base} (emoji and some symbols count as 2; this one counts ${promptLength(prompt)}).` : `${base}.`;
}

export const promptSchema = z
  .string({ error: 'Write a prompt.' })
  .refine((s) => s.trim().length > 0, { message: 'Write a prompt.' })
  .refine((s) => promptLength(s) <= PROMPT_MAX, {
    error: (issue) => promptTooLongMessage(String(issue.input)),
  });

export const ratioSchema = z.enum(RATIOS, {
  error: 'Choose one of the listed aspect ratios.',
});

export const seedSchema = z
  .number({ error: 'The seed must be a whole number.' })
  .int({ message: 'The seed must be a whole number.' })
  .min(0, { message: `The seed must be between 0 and ${SEED_MAX}.` })
  .max(SEED_MAX, { message: `The seed must be between 0 and ${SEED_MAX}.` });

/**
 * Seeds arrive from forms as strings; an empty one means "pick a random seed".
 * Anything else must be a plain decimal integer (no exponents, no decimals).
 */
export const optionalSeedSchema = z.preprocess((value) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  }
  return value;
}, seedSchema.optional());

/** Variations: how many pictures one Generate makes (a batch), each with its own explicit seed. */
export const VARIATIONS_MIN = 1;
export const VARIATIONS_MAX = 4;
export const DEFAULT_VARIATIONS = 1;
const VARIATIONS_MESSAGE = `Choose ${VARIATIONS_MIN} to ${VARIATIONS_MAX} variations.`;

/**
 * Arrives from forms as a string ("4"); absent or empty means the default, 1.
 * Anything but a plain integer from 1 to 4 gets the one message.
 */
export const variationsSchema = z.preprocess(
  (value) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed === '') return undefined;
      return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    }
    return value;
  },
  z
    .number({ error: VARIATIONS_MESSAGE })
    .int({ message: VARIATIONS_MESSAGE })
    .min(VARIATIONS_MIN, { message: VARIATIONS_MESSAGE })
    .max(VARIATIONS_MAX, { message: VARIATIONS_MESSAGE })
    .default(DEFAULT_VARIATIONS),
);

/**
 * What a person asks for. `variations` concerns Darkroom only: each picture of
 * the batch becomes its own task and its own upstream request, whose body
 * (lib/freepik/schemas.ts) stays prompt, ratio and seed.
 */
export const generationInputSchema = z.object({
  prompt: promptSchema,
  ratio: ratioSchema,
  seed: optionalSeedSchema,
  variations: variationsSchema,
});

export type GenerationInput = z.infer<typeof generationInputSchema>;
/** What the form holds before validation: text, as the controls give it (`variations`: "1" … "4"). */
export type GenerationDraft = { prompt: string; ratio: string; seed: string; variations: string };

export type FieldErrors = Partial<Record<keyof GenerationInput, string>>;

/** First message per field, the shape the form renders next to each control. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path[0] as keyof GenerationInput | undefined;
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}
