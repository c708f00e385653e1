import { z } from 'zod';
import { reshapeTask } from '../schemas';
import { aspectRatioOf, flatSettingsToBody, seededNamedRatioModel, PROMPT_CAP, seedOf, seedSchema } from './named';
import { definedOnly, numberSetting } from './settings';
import { namedSizes } from './sizes';
import type { ModelSpec } from './types';

/**
 * Seedream 4 (freepik-models.md §2): a required prompt, 7 ratios, guidance 0–20 and a seed of 0–2147483647
 * (2^31−1, not the Flux family's 2^32−1). No num_images and no reference images (those moved to seedream-v4-edit).
 */
const RATIOS = [
  'square_1_1',
  'widescreen_16_9',
  'social_story_9_16',
  'portrait_2_3',
  'traditional_3_4',
  'standard_3_2',
  'classic_4_3',
] as const;
export const SEEDREAM_SEED = { min: 0, max: 2147483647 };

const bodySchema = z.strictObject({
  prompt: z.string(),
  webhook_url: z.url().optional(),
  aspect_ratio: z.enum(RATIOS).optional(),
  guidance_scale: z.number().min(0).max(20).optional(),
  seed: seedSchema(SEEDREAM_SEED.min, SEEDREAM_SEED.max).optional(),
});

const settingsSchema = z.strictObject({
  guidance_scale: numberSetting('Guidance scale', 0, 20),
});

export const seedreamModel: ModelSpec = {
  id: 'seedream-v4',
  name: 'Seedream 4',
  summary: 'Seedream 4: 7 aspect ratios, seeded; guidance scale.',
  path: '/v1/ai/text-to-image/seedream-v4',
  promptMax: PROMPT_CAP,
  promptMaxDocumented: false,
  sizes: namedSizes(RATIOS),
  defaultSize: 'square_1_1',
  seed: SEEDREAM_SEED,
  settingsFields: [
    {
      kind: 'number',
      name: 'guidance_scale',
      label: 'Guidance scale',
      min: 0,
      max: 20,
      step: 0.1,
      help: 'Higher follows the prompt more closely; 2.5 when left empty.',
    },
  ],
  settingsSchema,
  bodySchema,
  shapeOnly: true,
  wire: { createHasGenerated: true, mayAnswerBase64: false },
  toBody: flatSettingsToBody(settingsSchema, bodySchema),
  fromBody(body) {
    const b = bodySchema.parse(body);
    return { prompt: b.prompt, size: aspectRatioOf(b), seed: seedOf(b), settings: definedOnly({ guidance_scale: b.guidance_scale }) };
  },
  ...seededNamedRatioModel(bodySchema),
  reshape: reshapeTask,
};
