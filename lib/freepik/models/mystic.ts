import { z } from 'zod';
import { reshapeTask } from '../schemas';
import { aspectRatioOf, namedExpectedSize, PROMPT_CAP, requestPrompt } from './named';
import { booleanSetting, colorsSchema, colorsSetting, definedObject, definedOnly, enumSetting, numberSetting, optionsOf } from './settings';
import { namedSizes } from './sizes';
import type { ModelRequest, ModelSpec } from './types';

/**
 * Freepik Mystic (freepik-models.md §3): no seed — `fixed_generation` makes a picture repeatable instead — three
 * resolution tiers, six models, four engines. Darkroom offers 12 of the 13 documented ratios: the spec writes the
 * 13th as `social_post_4_5'` (with an apostrophe) and which spelling the server takes is unverified, so neither is
 * sent (ADR 0016). Reference images, LoRA styles/characters and `filter_nsfw` are in the body schema but not offered.
 */
export const MYSTIC_RATIOS = [
  'square_1_1',
  'classic_4_3',
  'traditional_3_4',
  'widescreen_16_9',
  'social_story_9_16',
  'smartphone_horizontal_20_9',
  'smartphone_vertical_9_20',
  'standard_3_2',
  'portrait_2_3',
  'horizontal_2_1',
  'vertical_1_2',
  'social_5_4',
] as const;
/** The only ratios the `fluid` model takes. */
export const FLUID_RATIOS = ['square_1_1', 'social_story_9_16', 'widescreen_16_9', 'traditional_3_4', 'classic_4_3'] as const;
const MODELS = ['realism', 'fluid', 'zen', 'flexible', 'super_real', 'editorial_portraits'] as const;
const ENGINES = ['automatic', 'magnific_illusio', 'magnific_sharpy', 'magnific_sparkle'] as const;
const RESOLUTIONS = ['1k', '2k', '4k'] as const;
type Resolution = (typeof RESOLUTIONS)[number];

/** Sides are multiplied by this from the ~1 MP nominal size (sizes.ts); 2k is the default (ADR 0016). */
export const RESOLUTION_SCALE: Record<Resolution, number> = { '1k': 1, '2k': 2, '4k': 4 };

export const SOCIAL_POST_MESSAGE =
  "Darkroom does not send 4:5 to Mystic: the docs spell it social_post_4_5' and the accepted value is unverified.";
export const FLUID_MESSAGE = "Mystic's fluid model takes only 1:1, 9:16, 16:9, 3:4 and 4:3.";

const percent = z.number().int().min(0).max(100);
const strength = z.number().min(0).max(200);

const bodySchema = z
  .strictObject({
    prompt: z.string().optional(),
    webhook_url: z.url().optional(),
    structure_reference: z.base64().optional(),
    structure_strength: percent.optional(),
    style_reference: z.base64().optional(),
    adherence: percent.optional(),
    hdr: percent.optional(),
    resolution: z.enum(RESOLUTIONS).optional(),
    aspect_ratio: z
      .enum(MYSTIC_RATIOS, {
        error: (issue) => (typeof issue.input === 'string' && issue.input.startsWith('social_post_4_5') ? SOCIAL_POST_MESSAGE : undefined),
      })
      .optional(),
    model: z.enum(MODELS).optional(),
    creative_detailing: percent.optional(),
    engine: z.enum(ENGINES).optional(),
    fixed_generation: z.boolean().optional(),
    filter_nsfw: z.boolean().optional(),
    styling: z
      .strictObject({
        styles: z
          .array(z.strictObject({ name: z.string(), strength: strength.optional() }))
          .max(1)
          .optional(),
        // As documented: only `strength` is marked required on a character.
        characters: z
          .array(z.strictObject({ id: z.string().optional(), strength }))
          .max(1)
          .optional(),
        colors: colorsSchema.optional(),
      })
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.model === 'fluid' && !isFluidRatio(aspectRatioOf(body))) {
      ctx.addIssue({ code: 'custom', path: ['aspect_ratio'], message: FLUID_MESSAGE });
    }
  });

function isFluidRatio(id: string): boolean {
  return (FLUID_RATIOS as readonly string[]).includes(id);
}

const settingsSchema = z.strictObject({
  // Not `model`: that name is the composer's Model control.
  mystic_model: enumSetting('Mystic model', MODELS),
  engine: enumSetting('Engine', ENGINES),
  resolution: enumSetting('Resolution', RESOLUTIONS),
  creative_detailing: numberSetting('Creative detailing', 0, 100, true),
  fixed_generation: booleanSetting('Fixed generation'),
  colors: colorsSetting('Colours'),
});

const LABELS: Record<string, string> = {
  super_real: 'Super real',
  editorial_portraits: 'Editorial portraits',
  magnific_illusio: 'Magnific Illusio',
  magnific_sharpy: 'Magnific Sharpy',
  magnific_sparkle: 'Magnific Sparkle',
  '1k': '1K',
  '2k': '2K',
  '4k': '4K',
};

const SIZES = namedSizes(MYSTIC_RATIOS);
const FLUID_SIZES = SIZES.filter((size) => isFluidRatio(size.id));

export const mysticModel: ModelSpec = {
  id: 'mystic',
  name: 'Mystic',
  summary: 'Freepik Mystic: 12 aspect ratios at 1K, 2K or 4K; no seed (Fixed generation repeats a picture); models, engines, detailing.',
  path: '/v1/ai/mystic',
  promptMax: PROMPT_CAP,
  promptMaxDocumented: false,
  sizes: SIZES,
  defaultSize: 'square_1_1',
  sizesFor(settings) {
    return settings.mystic_model === 'fluid' ? FLUID_SIZES : SIZES;
  },
  seed: null,
  settingsFields: [
    {
      kind: 'select',
      name: 'mystic_model',
      label: 'Mystic model',
      options: optionsOf(MODELS, LABELS),
      help: 'Realism when left empty. Fluid takes only 1:1, 9:16, 16:9, 3:4 and 4:3.',
    },
    { kind: 'select', name: 'engine', label: 'Engine', options: optionsOf(ENGINES, LABELS), help: 'Automatic when left empty.' },
    {
      kind: 'select',
      name: 'resolution',
      label: 'Resolution',
      options: optionsOf(RESOLUTIONS, LABELS),
      help: '2K when left empty; 4K costs more.',
    },
    {
      kind: 'number',
      name: 'creative_detailing',
      label: 'Creative detailing',
      min: 0,
      max: 100,
      step: 1,
      help: '33 when left empty.',
    },
    {
      kind: 'checkbox',
      name: 'fixed_generation',
      label: 'Fixed generation',
      help: 'The same settings give the same picture, so Reproduce repeats it. Mystic has no seed.',
    },
    { kind: 'colors', name: 'colors', label: 'Colours', help: 'Up to 5, e.g. "#FF8800 0.5, #0044CC"; weight 0.05–1.' },
  ],
  settingsSchema,
  bodySchema,
  shapeOnly: true,
  wire: { createHasGenerated: true, mayAnswerBase64: false },
  toBody(request: ModelRequest) {
    // A seed is not taken (there is none upstream); a comparison's shared seed simply does not apply here.
    const s = settingsSchema.parse(request.settings);
    return bodySchema.parse(
      definedOnly({
        prompt: requestPrompt(request.prompt),
        aspect_ratio: request.size,
        model: s.mystic_model,
        engine: s.engine,
        resolution: s.resolution,
        creative_detailing: s.creative_detailing,
        fixed_generation: s.fixed_generation,
        styling: definedObject({ colors: s.colors }),
      }),
    );
  },
  /** Reference images, LoRAs and filter_nsfw are not settings (Darkroom never sends them): they are not read back. */
  fromBody(body) {
    const b = bodySchema.parse(body);
    return {
      prompt: b.prompt ?? '',
      size: aspectRatioOf(b),
      settings: definedOnly({
        mystic_model: b.model,
        engine: b.engine,
        resolution: b.resolution,
        creative_detailing: b.creative_detailing,
        fixed_generation: b.fixed_generation,
        colors: b.styling?.colors,
      }),
    };
  },
  withSeed(body) {
    return body;
  },
  reproducible(body) {
    return body.fixed_generation === true;
  },
  expectedSize(body) {
    const nominal = namedExpectedSize(body);
    const scale = RESOLUTION_SCALE[(body.resolution as Resolution | undefined) ?? '2k'] ?? RESOLUTION_SCALE['2k'];
    return { width: nominal.width * scale, height: nominal.height * scale };
  },
  reshape: reshapeTask,
};
