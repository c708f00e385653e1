import { z } from 'zod';
import { reshapeTask } from '../schemas';
import { FLUX_RATIOS } from './flux-dev';
import { aspectRatioOf, flatSettingsToBody, seededNamedRatioModel, PROMPT_CAP, seedOf, seedSchema } from './named';
import { booleanSetting, definedOnly, enumSetting, numberSetting, optionsOf } from './settings';
import { namedSizes } from './sizes';
import type { ModelSpec } from './types';

/**
 * Flux Pro 1.1 (freepik-models.md §6): a required prompt, Flux's 10 ratios, no styling. Its seed is a
 * "nullable int" with no documented range: Darkroom allows 0–2147483647, which any integer type the server might
 * use (int32, uint32, int64) holds (ADR 0016); the documented `null` is accepted and reads as "no seed".
 */
export const FLUX_PRO_SEED = { min: 0, max: 2147483647 };
const OUTPUT_FORMATS = ['jpeg', 'png'] as const;

const bodySchema = z.strictObject({
  prompt: z.string(),
  prompt_upsampling: z.boolean().optional(),
  // No documented range: Darkroom's chosen one (above), and the documented null.
  seed: seedSchema(FLUX_PRO_SEED.min, FLUX_PRO_SEED.max).nullable().optional(),
  aspect_ratio: z.enum(FLUX_RATIOS).optional(),
  safety_tolerance: z.number().int().min(0).max(6).optional(),
  output_format: z.enum(OUTPUT_FORMATS).nullable().optional(),
  webhook_url: z.url().optional(),
});

const settingsSchema = z.strictObject({
  prompt_upsampling: booleanSetting('Prompt upsampling'),
  safety_tolerance: numberSetting('Safety tolerance', 0, 6, true),
  output_format: enumSetting('Output format', OUTPUT_FORMATS),
});

export const fluxProModel: ModelSpec = {
  id: 'flux-pro-v1-1',
  name: 'Flux Pro 1.1',
  summary: 'Flux Pro 1.1: 10 aspect ratios, seeded; prompt upsampling, safety tolerance, JPEG or PNG.',
  path: '/v1/ai/text-to-image/flux-pro-v1-1',
  promptMax: PROMPT_CAP,
  promptMaxDocumented: false,
  sizes: namedSizes(FLUX_RATIOS),
  defaultSize: 'square_1_1',
  seed: FLUX_PRO_SEED,
  settingsFields: [
    { kind: 'checkbox', name: 'prompt_upsampling', label: 'Prompt upsampling', help: 'Rewrites the prompt for more creative results.' },
    {
      kind: 'number',
      name: 'safety_tolerance',
      label: 'Safety tolerance',
      min: 0,
      max: 6,
      step: 1,
      help: '0 is the strictest, 6 the least strict; 2 when left empty.',
    },
    { kind: 'select', name: 'output_format', label: 'Output format', options: optionsOf(OUTPUT_FORMATS, { jpeg: 'JPEG', png: 'PNG' }) },
  ],
  settingsSchema,
  bodySchema,
  shapeOnly: true,
  // The create answer is `{ task_id, status }` only (§6).
  wire: { createHasGenerated: false, mayAnswerBase64: false },
  toBody: flatSettingsToBody(settingsSchema, bodySchema),
  fromBody(body) {
    const b = bodySchema.parse(body);
    return {
      prompt: b.prompt,
      size: aspectRatioOf(b),
      seed: seedOf(b),
      settings: definedOnly({
        prompt_upsampling: b.prompt_upsampling,
        safety_tolerance: b.safety_tolerance,
        output_format: b.output_format ?? undefined,
      }),
    };
  },
  ...seededNamedRatioModel(bodySchema),
  reshape: reshapeTask,
};
