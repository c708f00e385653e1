import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { seedreamModel as spec } from '@/lib/freepik/models/seedream';
import { UpstreamError } from '@/lib/freepik/errors';
import { nominalSize } from '@/lib/freepik/models/sizes';
import { accepts, issuesOf } from './helpers';

const body = spec.bodySchema;
const RATIOS = ['square_1_1', 'widescreen_16_9', 'social_story_9_16', 'portrait_2_3', 'traditional_3_4', 'standard_3_2', 'classic_4_3'];
const request = { prompt: 'a koi pond', size: 'portrait_2_3', seed: 0, settings: {} };

describe('Seedream 4: identity', () => {
  it('has its id, path, 7 ratios and the 2^31−1 seed range', () => {
    expect(spec.id).toBe('seedream-v4');
    expect(spec.name).toBe('Seedream 4');
    expect(spec.path).toBe('/v1/ai/text-to-image/seedream-v4');
    expect(spec.sizes.map((s) => s.id)).toEqual(RATIOS);
    expect(spec.seed).toEqual({ min: 0, max: 2147483647 });
    expect(spec.promptMax).toBe(4000);
    expect(spec.promptMaxDocumented).toBe(false);
    expect(spec.shapeOnly).toBe(true);
  });
});

describe('Seedream 4: bodySchema', () => {
  it('requires a prompt', () => {
    expect(accepts(body, { prompt: 'p' })).toBe(true);
    expect(accepts(body, {})).toBe(false);
    expect(accepts(body, { prompt: null })).toBe(false);
  });

  it('takes its 7 ratios only', () => {
    for (const aspect_ratio of RATIOS) expect(accepts(body, { prompt: 'p', aspect_ratio })).toBe(true);
    for (const aspect_ratio of ['horizontal_2_1', 'vertical_1_2', 'social_post_4_5', 'social_5_4'])
      expect(accepts(body, { prompt: 'p', aspect_ratio }), aspect_ratio).toBe(false);
  });

  it('bounds guidance_scale to 0…20, fractions allowed', () => {
    for (const guidance_scale of [0, 2.5, 19.99, 20]) expect(accepts(body, { prompt: 'p', guidance_scale })).toBe(true);
    for (const guidance_scale of [-0.01, 20.01, '2.5']) expect(accepts(body, { prompt: 'p', guidance_scale })).toBe(false);
  });

  it('bounds the seed to 0…2147483647, whole numbers only', () => {
    for (const seed of [0, 1, 2147483647]) expect(accepts(body, { prompt: 'p', seed })).toBe(true);
    for (const seed of [-1, 2147483648, 4294967295, 0.5, null]) expect(accepts(body, { prompt: 'p', seed }), `${seed}`).toBe(false);
  });

  it('refuses num_images and reference_images (not documented here) and any unknown field', () => {
    for (const extra of [{ num_images: 1 }, { reference_images: [] }, { styling: {} }, { ratio: '1024:1024' }])
      expect(accepts(body, { prompt: 'p', ...extra }), JSON.stringify(extra)).toBe(false);
    expect(accepts(body, { prompt: 'p', webhook_url: 'https://example.com/h' })).toBe(true);
    expect(accepts(body, { prompt: 'p', webhook_url: 'nope' })).toBe(false);
  });
});

describe('Seedream 4: settings', () => {
  it('offers the guidance scale, from form text or numbers', () => {
    expect(spec.settingsFields).toEqual([expect.objectContaining({ kind: 'number', name: 'guidance_scale', min: 0, max: 20 })]);
    expect(spec.settingsSchema.parse({ guidance_scale: '2.5' })).toEqual({ guidance_scale: 2.5 });
    expect(spec.settingsSchema.parse({ guidance_scale: 20 })).toEqual({ guidance_scale: 20 });
    expect(spec.settingsSchema.parse({ guidance_scale: '' })).toEqual({ guidance_scale: undefined });
    expect(issuesOf(spec.settingsSchema, { guidance_scale: '20.5' })[0].message).toBe('Guidance scale must be a number from 0 to 20.');
    expect(accepts(spec.settingsSchema, { guidance_scale: '-1' })).toBe(false);
    expect(accepts(spec.settingsSchema, { guidance_scale: 'lots' })).toBe(false);
    expect(accepts(spec.settingsSchema, { steps: '20' })).toBe(false);
  });
});

describe('Seedream 4: toBody / fromBody', () => {
  it('sends prompt, ratio, seed and guidance; nothing unset', () => {
    expect(spec.toBody(request)).toEqual({ prompt: 'a koi pond', aspect_ratio: 'portrait_2_3', seed: 0 });
    expect(spec.toBody({ ...request, seed: undefined, settings: { guidance_scale: '7.5' } })).toEqual({
      prompt: 'a koi pond',
      aspect_ratio: 'portrait_2_3',
      guidance_scale: 7.5,
    });
  });

  it('refuses a seed past 2^31−1, a Flux-only ratio and an empty prompt', () => {
    expect(spec.toBody({ ...request, seed: 2147483647 }).seed).toBe(2147483647);
    expect(() => spec.toBody({ ...request, seed: 2147483648 })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, size: 'horizontal_2_1' })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, prompt: '' })).toThrow(ZodError);
  });

  it('round-trips', () => {
    const asked = { prompt: 'p', size: 'classic_4_3', seed: 11, settings: { guidance_scale: 0 } };
    expect(spec.fromBody(spec.toBody(asked))).toEqual(asked);
    expect(spec.fromBody({ prompt: 'p' })).toEqual({ prompt: 'p', size: 'square_1_1', seed: undefined, settings: {} });
  });
});

describe('Seedream 4: seeds, reproduction, sizes, responses', () => {
  it('withSeed, reproducible, expectedSize', () => {
    const sent = spec.toBody({ ...request, seed: undefined });
    expect(spec.withSeed(sent, 12)).toEqual({ ...sent, seed: 12 });
    expect(() => spec.withSeed(sent, 2147483648)).toThrow(ZodError);
    expect(spec.reproducible(sent)).toBe(false);
    expect(spec.reproducible(spec.withSeed(sent, 0))).toBe(true);
    expect(spec.expectedSize(sent)).toEqual(nominalSize('portrait_2_3'));
  });

  it('reshapes links and refuses anything else', () => {
    expect(spec.reshape({ task_id: 't', status: 'IN_PROGRESS', generated: [] }).imageUrls).toEqual([]);
    expect(spec.reshape({ task_id: 't', status: 'CREATED' }).imageUrls).toEqual([]);
    expect(() => spec.reshape({ task_id: 't', status: 'COMPLETED', generated: ['ftp://x/y.png'] })).toThrow(UpstreamError);
  });
});
