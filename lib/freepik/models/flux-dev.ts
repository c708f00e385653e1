import { z } from 'zod';
import { aspectRatioOf, seededNamedRatioModel, PROMPT_CAP, requestPrompt, seedSchema } from './named';
import { fluxStylingFields, fluxStylingOf, fluxStylingSchema, fluxStylingSettings, fluxStylingSettingsOf } from './flux-styling';
import { definedOnly } from './settings';
import { namedSizes } from './sizes';
import { reshapeTask } from '../schemas';
import type { ModelId, ModelRequest, ModelSpec } from './types';

/**
 * Flux Dev, and HyperFlux, whose body is field-for-field the same (freepik-models.md §1, §5): one factory makes
 * both. No field is required upstream; Darkroom always sends a prompt. Seed 1–4294967295 (inclusive, per the
 * schema; an old page showed exclusive bounds).
 */

/** The 10 ratios of the Flux family (Flux Pro 1.1 shares them). */
export const FLUX_RATIOS = [
  'square_1_1',
  'classic_4_3',
  'traditional_3_4',
  'widescreen_16_9',
  'social_story_9_16',
  'standard_3_2',
  'portrait_2_3',
  'horizontal_2_1',
  'vertical_1_2',
  'social_post_4_5',
] as const;

export const FLUX_SEED = { min: 1, max: 4294967295 };

const bodySchema = z.strictObject({
  prompt: z.string().optional(),
  webhook_url: z.url().optional(),
  aspect_ratio: z.enum(FLUX_RATIOS).optional(),
  styling: fluxStylingSchema.optional(),
  seed: seedSchema(FLUX_SEED.min, FLUX_SEED.max).optional(),
});

const settingsSchema = z.strictObject(fluxStylingSettings);

export function fluxStyledModel(spec: { id: ModelId; name: string; summary: string; path: string; wire: ModelSpec['wire'] }): ModelSpec {
  return {
    ...spec,
    promptMax: PROMPT_CAP,
    promptMaxDocumented: false,
    sizes: namedSizes(FLUX_RATIOS),
    defaultSize: 'square_1_1',
    seed: FLUX_SEED,
    settingsFields: fluxStylingFields,
    settingsSchema,
    bodySchema,
    shapeOnly: true,
    toBody(request: ModelRequest) {
      const settings = settingsSchema.parse(request.settings);
      return bodySchema.parse(
        definedOnly({
          prompt: requestPrompt(request.prompt),
          aspect_ratio: request.size,
          styling: fluxStylingOf(settings),
          seed: request.seed,
        }),
      );
    },
    fromBody(body) {
      const b = bodySchema.parse(body);
      return {
        prompt: b.prompt ?? '',
        size: aspectRatioOf(b),
        seed: b.seed,
        settings: definedOnly(fluxStylingSettingsOf(b.styling)),
      };
    },
    ...seededNamedRatioModel(bodySchema),
    reshape: reshapeTask,
  };
}

export const fluxDevModel = fluxStyledModel({
  id: 'flux-dev',
  name: 'Flux Dev',
  summary: 'Flux Dev: 10 aspect ratios, seeded; colour, framing and lighting effects, colour palette.',
  path: '/v1/ai/text-to-image/flux-dev',
  // The create answer is `{ task_id, status }` only (§1).
  wire: { createHasGenerated: false, mayAnswerBase64: false },
});
