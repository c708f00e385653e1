import { z } from 'zod';
import { DEFAULT_MODEL, MODEL_IDS, MODELS, sizeOptionsFor, type ModelSpec } from '../freepik/models';

/**
 * The one schema for "what a person asks to generate". The form, the server
 * actions, the route handlers and the upstream client all validate with it, so
 * a hand-crafted request gets exactly the answer the form shows.
 */

export { RATIOS, ratioSize, type Ratio } from '../freepik/models/runway';
import { RATIOS, type Ratio } from '../freepik/models/runway';

export const DEFAULT_RATIO: Ratio = '1920:1080';
export const PROMPT_MAX = 1000;
export const SEED_MAX = 4294967295;

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

export const ratioSchema = z.enum(RATIOS, {
  error: 'Choose one of the listed aspect ratios.',
});

export const seedSchema = z
  .number({ error: 'The seed must be a whole number.' })
  .int({ message: 'The seed must be a whole number.' })
  .min(0, { message: `The seed must be between 0 and ${SEED_MAX}.` })
  .max(SEED_MAX, { message: `The seed must be between 0 and ${SEED_MAX}.` });

/**
 * Whole numbers arrive from forms as strings ("4"); an empty one means "not given". Anything but plain decimal
 * digits (no sign, exponent or decimals) becomes NaN, which the number schema after it refuses with its message.
 */
function formInteger(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  }
  return value;
}

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
  formInteger,
  z
    .number({ error: VARIATIONS_MESSAGE })
    .int({ message: VARIATIONS_MESSAGE })
    .min(VARIATIONS_MIN, { message: VARIATIONS_MESSAGE })
    .max(VARIATIONS_MAX, { message: VARIATIONS_MESSAGE })
    .default(DEFAULT_VARIATIONS),
);

/** Compare models: one prompt sent to 2–4 chosen models at once, shown side by side as one group. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;
const COMPARE_MESSAGE = `Choose ${COMPARE_MIN} to ${COMPARE_MAX} different models to compare.`;

const modelSchema = z.preprocess(
  (value) => (value === undefined || value === null || value === '' ? DEFAULT_MODEL : value),
  z.enum(MODEL_IDS, { error: 'Choose one of the listed models.' }),
);

const compareSchema = z.preprocess(
  (value) => (Array.isArray(value) && value.length === 0 ? undefined : value),
  z
    .array(z.enum(MODEL_IDS, { error: COMPARE_MESSAGE }), { error: COMPARE_MESSAGE })
    .min(COMPARE_MIN, { message: COMPARE_MESSAGE })
    .max(COMPARE_MAX, { message: COMPARE_MESSAGE })
    .refine((ids) => new Set(ids).size === ids.length, { message: COMPARE_MESSAGE })
    .optional(),
);

/** A seed as the form sends it: digits, or empty for "random"; the range is the model's (checked below). */
const seedTextSchema = z.preprocess(
  formInteger,
  z.number({ error: 'The seed must be a whole number.' }).int({ message: 'The seed must be a whole number.' }).optional(),
);

export function seedRangeMessage(rule: { min: number; max: number }): string {
  return `The seed must be between ${rule.min} and ${rule.max}.`;
}

export function promptCapMessage(spec: ModelSpec, prompt: string): string {
  if (spec.promptMaxDocumented) return promptTooLongMessage(prompt);
  return `The prompt is too long: at most ${spec.promptMax} characters (${spec.name} documents no limit; this is Darkroom's).`;
}

/**
 * What a person asks for: a model (RunWay unless chosen), a prompt, a size of that model (`ratio`: RunWay's
 * pixel ratio or a named aspect ratio), a seed where the model has one, the model's own Advanced settings,
 * Variations (1–4 pictures, each its own task) — or `compare`: the same prompt and seed sent to 2–4 models.
 * Every rule of the chosen model is checked here (lib/freepik/models), so the form, the action and the
 * upstream body agree; the body itself is built by the model's toBody (lib/generation/plan.ts).
 */
export const generationInputSchema = z
  .object({
    model: modelSchema,
    prompt: z.string({ error: 'Write a prompt.' }),
    ratio: z.string({ error: 'Choose one of the listed aspect ratios.' }),
    seed: seedTextSchema,
    variations: variationsSchema,
    settings: z.record(z.string(), z.unknown()).default({}),
    compare: compareSchema,
  })
  .superRefine(
    (input, ctx) => {
      // Runs even when a field already failed (see `when`), so every bad field is reported at once:
      // each check below looks only at fields that parsed.
      const spec = MODELS[input.model] as ModelSpec | undefined;
      if (!spec) return;
      const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      const compare = Array.isArray(input.compare) ? input.compare.filter((id) => id in MODELS) : undefined;
      const compared = compare?.length ? compare.map((id) => MODELS[id]) : [spec];
      if (typeof input.prompt === 'string') {
        if (input.prompt.trim().length === 0) issue(['prompt'], 'Write a prompt.');
        const tightest = compared.reduce((a, b) => (b.promptMax < a.promptMax ? b : a));
        if (promptLength(input.prompt) > tightest.promptMax) issue(['prompt'], promptCapMessage(tightest, input.prompt));
      }
      const settings = spec.settingsSchema.safeParse(input.settings ?? {});
      if (typeof input.ratio === 'string') {
        // A model may narrow its sizes by a setting (Mystic's fluid takes five ratios): check against what it offers.
        const sizes = sizeOptionsFor(spec, settings.success ? settings.data : {});
        if (!sizes.some((size) => size.id === input.ratio)) {
          issue(
            ['ratio'],
            sizes === spec.sizes
              ? 'Choose one of the listed aspect ratios.'
              : `Choose one of the aspect ratios ${spec.name} offers with these settings.`,
          );
        }
      }
      if (typeof input.seed === 'number' && Number.isInteger(input.seed)) {
        const seeded = compared.filter((m) => m.seed !== null);
        if (!seeded.length) issue(['seed'], `${spec.name} has no seed: leave it empty.`);
        const outside = seeded.find((m) => input.seed! < m.seed!.min || input.seed! > m.seed!.max);
        if (outside)
          issue(['seed'], compare ? `${seedRangeMessage(outside.seed!)} (${outside.name}'s range)` : seedRangeMessage(outside.seed!));
      }
      if (compare?.length && typeof input.variations === 'number' && input.variations !== 1) {
        issue(['variations'], 'Compare makes one picture per model: set Variations to 1.');
      }
      if (!settings.success) {
        for (const problem of settings.error.issues) {
          const name = problem.path[0] === undefined ? 'settings' : `settings.${String(problem.path[0])}`;
          issue([name], problem.code === 'unrecognized_keys' ? `${spec.name} has no such setting.` : problem.message);
        }
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export type GenerationInput = z.infer<typeof generationInputSchema>;
/**
 * What the form holds before validation: text, as the controls give it (`variations`: "1" … "4";
 * `settings`: the Advanced controls of the chosen model by name; `compare`: the models ticked for Compare,
 * empty when Compare is off).
 */
export type GenerationDraft = {
  model: string;
  prompt: string;
  ratio: string;
  seed: string;
  variations: string;
  settings: Record<string, string>;
  compare: string[];
};

/** Field → first message. Advanced settings are keyed `settings.<name>`. */
export type FieldErrors = Partial<Record<keyof GenerationInput | `settings.${string}`, string>>;

/** First message per field, the shape the form renders next to each control. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path[0] as keyof FieldErrors | undefined;
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}
