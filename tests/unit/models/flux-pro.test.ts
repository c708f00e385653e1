import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { fluxProModel as spec } from '@/lib/freepik/models/flux-pro';
import { UpstreamError } from '@/lib/freepik/errors';
import { nominalSize } from '@/lib/freepik/models/sizes';
import { FLUX_RATIOS } from './flux-styled.shared';
import { accepts, issuesOf } from './helpers';

const body = spec.bodySchema;
const request = { prompt: 'a lighthouse at dusk', size: 'standard_3_2', seed: 5, settings: {} };

describe('Flux Pro 1.1: identity', () => {
  it('has its id, path, Flux ratios and Darkroom’s chosen seed range', () => {
    expect(spec.id).toBe('flux-pro-v1-1');
    expect(spec.name).toBe('Flux Pro 1.1');
    expect(spec.path).toBe('/v1/ai/text-to-image/flux-pro-v1-1');
    expect(spec.sizes.map((s) => s.id)).toEqual(FLUX_RATIOS);
    expect(spec.seed).toEqual({ min: 0, max: 2147483647 });
    expect(spec.promptMax).toBe(4000);
    expect(spec.promptMaxDocumented).toBe(false);
    expect(spec.shapeOnly).toBe(true);
  });
});

describe('Flux Pro 1.1: bodySchema', () => {
  it('requires a prompt (any length) and nothing else', () => {
    expect(accepts(body, { prompt: 'p' })).toBe(true);
    expect(accepts(body, { prompt: '' })).toBe(true);
    expect(accepts(body, {})).toBe(false);
    expect(accepts(body, { aspect_ratio: 'square_1_1' })).toBe(false);
  });

  it('takes the 10 Flux ratios only', () => {
    for (const aspect_ratio of FLUX_RATIOS) expect(accepts(body, { prompt: 'p', aspect_ratio })).toBe(true);
    for (const aspect_ratio of ['social_5_4', 'smartphone_vertical_9_20', '1024:1024'])
      expect(accepts(body, { prompt: 'p', aspect_ratio })).toBe(false);
  });

  it('takes a nullable seed within 0…2147483647 (no range documented: ours)', () => {
    for (const seed of [null, 0, 1, 2147483647]) expect(accepts(body, { prompt: 'p', seed }), `${seed}`).toBe(true);
    for (const seed of [-1, 2147483648, 4294967295, 1.5, '3']) expect(accepts(body, { prompt: 'p', seed }), `${seed}`).toBe(false);
  });

  it('takes prompt_upsampling as a boolean only', () => {
    expect(accepts(body, { prompt: 'p', prompt_upsampling: true })).toBe(true);
    expect(accepts(body, { prompt: 'p', prompt_upsampling: false })).toBe(true);
    expect(accepts(body, { prompt: 'p', prompt_upsampling: 'true' })).toBe(false);
    expect(accepts(body, { prompt: 'p', prompt_upsampling: null })).toBe(false);
  });

  it('bounds safety_tolerance to whole numbers 0…6', () => {
    for (const safety_tolerance of [0, 2, 6]) expect(accepts(body, { prompt: 'p', safety_tolerance })).toBe(true);
    for (const safety_tolerance of [-1, 7, 2.5, '2']) expect(accepts(body, { prompt: 'p', safety_tolerance })).toBe(false);
  });

  it('takes output_format jpeg, png or null', () => {
    for (const output_format of ['jpeg', 'png', null]) expect(accepts(body, { prompt: 'p', output_format })).toBe(true);
    for (const output_format of ['jpg', 'webp', 'PNG']) expect(accepts(body, { prompt: 'p', output_format })).toBe(false);
  });

  it('takes a webhook URL and refuses unknown fields (no styling, guidance or num_images here)', () => {
    expect(accepts(body, { prompt: 'p', webhook_url: 'https://example.com/hook' })).toBe(true);
    expect(accepts(body, { prompt: 'p', webhook_url: 'example' })).toBe(false);
    for (const extra of [{ styling: {} }, { guidance_scale: 2 }, { num_images: 1 }, { ratio: '1024:1024' }])
      expect(accepts(body, { prompt: 'p', ...extra }), JSON.stringify(extra)).toBe(false);
  });
});

describe('Flux Pro 1.1: settings', () => {
  const settings = spec.settingsSchema;

  it('offers prompt upsampling, safety tolerance and output format', () => {
    expect(spec.settingsFields.map((f) => [f.name, f.kind])).toEqual([
      ['prompt_upsampling', 'checkbox'],
      ['safety_tolerance', 'number'],
      ['output_format', 'select'],
    ]);
    expect(settings.parse({ prompt_upsampling: 'on', safety_tolerance: '6', output_format: 'png' })).toEqual({
      prompt_upsampling: true,
      safety_tolerance: 6,
      output_format: 'png',
    });
    expect(settings.parse({})).toEqual({});
  });

  it('bounds safety tolerance with a message naming it', () => {
    expect(accepts(settings, { safety_tolerance: '0' })).toBe(true);
    expect(issuesOf(settings, { safety_tolerance: '7' })[0].message).toBe('Safety tolerance must be a whole number from 0 to 6.');
    expect(accepts(settings, { safety_tolerance: '-1' })).toBe(false);
    expect(accepts(settings, { safety_tolerance: '2.5' })).toBe(false);
    expect(accepts(settings, { output_format: 'webp' })).toBe(false);
    expect(accepts(settings, { seed: '1' })).toBe(false);
  });
});

describe('Flux Pro 1.1: toBody / fromBody', () => {
  it('sends prompt, ratio, seed and the settings set, nothing else', () => {
    expect(spec.toBody(request)).toEqual({ prompt: 'a lighthouse at dusk', aspect_ratio: 'standard_3_2', seed: 5 });
    expect(
      spec.toBody({ ...request, seed: undefined, settings: { prompt_upsampling: 'on', safety_tolerance: '0', output_format: 'jpeg' } }),
    ).toEqual({
      prompt: 'a lighthouse at dusk',
      aspect_ratio: 'standard_3_2',
      prompt_upsampling: true,
      safety_tolerance: 0,
      output_format: 'jpeg',
    });
  });

  it('refuses seeds outside the chosen range, empty and over-long prompts', () => {
    expect(spec.toBody({ ...request, seed: 0 }).seed).toBe(0);
    expect(() => spec.toBody({ ...request, seed: 2147483648 })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, prompt: '' })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, prompt: 'x'.repeat(4001) })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, size: 'social_5_4' })).toThrow(ZodError);
  });

  it('round-trips, and reads a stored null seed or null format as unset', () => {
    const asked = {
      prompt: 'p',
      size: 'vertical_1_2',
      seed: 3,
      settings: { prompt_upsampling: false, safety_tolerance: 4, output_format: 'png' },
    };
    expect(spec.fromBody(spec.toBody(asked))).toEqual(asked);
    const sent = spec.toBody(asked);
    expect(spec.toBody(spec.fromBody(sent))).toEqual(sent);
    expect(spec.fromBody({ prompt: 'p', seed: null, output_format: null })).toEqual({
      prompt: 'p',
      size: 'square_1_1',
      seed: undefined,
      settings: {},
    });
  });
});

describe('Flux Pro 1.1: seeds, reproduction, sizes, responses', () => {
  it('withSeed sets a seed in range, replacing a null', () => {
    expect(spec.withSeed({ prompt: 'p', seed: null }, 9)).toEqual({ prompt: 'p', seed: 9 });
    expect(() => spec.withSeed({ prompt: 'p' }, -1)).toThrow(ZodError);
  });

  it('is reproducible with a seed, not with none or null', () => {
    expect(spec.reproducible({ prompt: 'p', seed: 0 })).toBe(true);
    expect(spec.reproducible({ prompt: 'p', seed: null })).toBe(false);
    expect(spec.reproducible({ prompt: 'p' })).toBe(false);
  });

  it('expects the nominal size of the ratio', () => {
    expect(spec.expectedSize({ prompt: 'p', aspect_ratio: 'horizontal_2_1' })).toEqual(nominalSize('horizontal_2_1'));
    expect(spec.expectedSize({ prompt: 'p' })).toEqual({ width: 1024, height: 1024 });
  });

  it('tolerates a create response without `generated` (as documented) and refuses non-links', () => {
    expect(spec.reshape({ task_id: 't', status: 'CREATED' })).toEqual({ taskId: 't', status: 'CREATED', imageUrls: [] });
    expect(() => spec.reshape({ task_id: 't', status: 'COMPLETED', generated: ['/9j/4AAQ'] })).toThrow(UpstreamError);
  });
});
