import { z } from 'zod';
import { reshapeInlinePictures } from './inline-pictures';
import { aspectRatioOf, namedExpectedSize, PROMPT_CAP, requestPrompt } from './named';
import { colorsSchema, colorsSetting, definedObject, definedOnly, enumSetting, optionsOf } from './settings';
import { namedSizes } from './sizes';
import type { ModelRequest, ModelSpec } from './types';

/**
 * Google Imagen 3 (freepik-models.md §4): a required prompt, 5 ratios, no seed (every run differs), its own
 * styling vocabulary (not Flux's), person and safety filters. `num_images` is always 1: Darkroom's Variations
 * are separate tasks and a task holds one picture (ADR 0016). `generated` may hold base64 pictures.
 */
const RATIOS = ['square_1_1', 'social_story_9_16', 'widescreen_16_9', 'traditional_3_4', 'classic_4_3'] as const;

const STYLES = [
  'photo',
  'digital-art',
  '3d',
  'painting',
  'low-poly',
  'pixel-art',
  'anime',
  'cyberpunk',
  'comic',
  'vintage',
  'cartoon',
  'vector',
  'studio-shot',
  'dark',
  'sketch',
  'mockup',
  '2000s-pone',
  '70s-vibe',
  'watercolor',
  'art-nouveau',
  'origami',
  'surreal',
  'fantasy',
  'traditional-japan',
] as const;
const COLOR_EFFECTS = [
  'b&w',
  'pastel',
  'sepia',
  'dramatic',
  'vibrant',
  'orange&teal',
  'film-filter',
  'split',
  'electric',
  'pastel-pink',
  'gold-glow',
  'autumn',
  'muted-green',
  'deep-teal',
  'duotone',
  'terracotta&teal',
  'red&blue',
  'cold-neon',
  'burgundy&blue',
] as const;
const LIGHTINGS = [
  'studio',
  'warm',
  'cinematic',
  'volumetric',
  'golden-hour',
  'long-exposure',
  'cold',
  'iridescent',
  'dramatic',
  'hardlight',
  'redscale',
  'indoor-light',
] as const;
const FRAMINGS = [
  'portrait',
  'macro',
  'panoramic',
  'aerial-view',
  'close-up',
  'cinematic',
  'high-angle',
  'low-angle',
  'symmetry',
  'fish-eye',
  'first-person',
] as const;
const PERSON_GENERATION = ['dont_allow', 'allow_adult', 'allow_all'] as const;
const SAFETY_SETTINGS = ['block_low_and_above', 'block_medium_and_above', 'block_only_high', 'block_none'] as const;

const bodySchema = z.strictObject({
  prompt: z.string(),
  webhook_url: z.url().optional(),
  num_images: z.number().int().min(1).max(4).optional(),
  aspect_ratio: z.enum(RATIOS).optional(),
  styling: z
    .strictObject({
      style: z.enum(STYLES).optional(),
      effects: z
        .strictObject({
          color: z.enum(COLOR_EFFECTS).optional(),
          lightning: z.enum(LIGHTINGS).optional(),
          framing: z.enum(FRAMINGS).optional(),
        })
        .optional(),
      colors: colorsSchema.optional(),
    })
    .optional(),
  person_generation: z.enum(PERSON_GENERATION).optional(),
  safety_settings: z.enum(SAFETY_SETTINGS).optional(),
});

const settingsSchema = z.strictObject({
  style: enumSetting('Style', STYLES),
  effect_color: enumSetting('Colour effect', COLOR_EFFECTS),
  effect_lighting: enumSetting('Lighting', LIGHTINGS),
  effect_framing: enumSetting('Framing', FRAMINGS),
  colors: colorsSetting('Colours'),
  person_generation: enumSetting('People', PERSON_GENERATION),
  safety_settings: enumSetting('Safety filter', SAFETY_SETTINGS),
});

const LABELS: Record<string, string> = {
  '3d': '3D',
  'b&w': 'Black & white',
  dont_allow: 'No people',
  allow_adult: 'Adults only',
  allow_all: 'Adults and children',
  block_low_and_above: 'Block low risk and above',
  block_medium_and_above: 'Block medium risk and above',
  block_only_high: 'Block high risk only',
  block_none: 'Block nothing',
};

export const imagen3Model: ModelSpec = {
  id: 'imagen3',
  name: 'Imagen 3',
  summary: 'Google Imagen 3: 5 aspect ratios, no seed (each run differs); styles, effects, colour palette, safety filters.',
  path: '/v1/ai/text-to-image/imagen3',
  promptMax: PROMPT_CAP,
  promptMaxDocumented: false,
  sizes: namedSizes(RATIOS),
  defaultSize: 'square_1_1',
  seed: null,
  settingsFields: [
    { kind: 'select', name: 'style', label: 'Style', options: optionsOf(STYLES, LABELS) },
    { kind: 'select', name: 'effect_color', label: 'Colour effect', options: optionsOf(COLOR_EFFECTS, LABELS) },
    { kind: 'select', name: 'effect_lighting', label: 'Lighting', options: optionsOf(LIGHTINGS, LABELS) },
    { kind: 'select', name: 'effect_framing', label: 'Framing', options: optionsOf(FRAMINGS, LABELS) },
    { kind: 'colors', name: 'colors', label: 'Colours', help: 'Up to 5, e.g. "#FF8800 0.5, #0044CC"; weight 0.05–1.' },
    {
      kind: 'select',
      name: 'person_generation',
      label: 'People',
      options: optionsOf(PERSON_GENERATION, LABELS),
      help: 'Adults and children when left empty.',
    },
    {
      kind: 'select',
      name: 'safety_settings',
      label: 'Safety filter',
      options: optionsOf(SAFETY_SETTINGS, LABELS),
      help: 'Block nothing when left empty.',
    },
  ],
  settingsSchema,
  bodySchema,
  shapeOnly: true,
  // The schema says URLs, the completed example shows base64 pictures (§4): reshape reads both.
  wire: { createHasGenerated: true, mayAnswerBase64: true },
  toBody(request: ModelRequest) {
    // A seed is not taken (there is none upstream); a comparison's shared seed simply does not apply here.
    const s = settingsSchema.parse(request.settings);
    const effects = definedObject({ color: s.effect_color, lightning: s.effect_lighting, framing: s.effect_framing });
    return bodySchema.parse(
      definedOnly({
        prompt: requestPrompt(request.prompt),
        num_images: 1,
        aspect_ratio: request.size,
        styling: definedObject({ style: s.style, effects, colors: s.colors }),
        person_generation: s.person_generation,
        safety_settings: s.safety_settings,
      }),
    );
  },
  fromBody(body) {
    const b = bodySchema.parse(body);
    return {
      prompt: b.prompt,
      size: aspectRatioOf(b),
      settings: definedOnly({
        style: b.styling?.style,
        effect_color: b.styling?.effects?.color,
        effect_lighting: b.styling?.effects?.lightning,
        effect_framing: b.styling?.effects?.framing,
        colors: b.styling?.colors,
        person_generation: b.person_generation,
        safety_settings: b.safety_settings,
      }),
    };
  },
  withSeed(body) {
    return body;
  },
  reproducible() {
    return false;
  },
  expectedSize: namedExpectedSize,
  reshape: reshapeInlinePictures,
};
