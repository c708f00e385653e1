import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { UpstreamError } from '@/lib/freepik/errors';
import { sizeOptionsFor } from '@/lib/freepik/models';
import { FLUID_MESSAGE, FLUID_RATIOS, SOCIAL_POST_MESSAGE, mysticModel as spec } from '@/lib/freepik/models/mystic';
import { closestSize, nominalSize } from '@/lib/freepik/models/sizes';
import { accepts, issuesOf } from './helpers';

const body = spec.bodySchema;
const RATIOS = [
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
];
const request = { prompt: 'a brutalist library', size: 'smartphone_vertical_9_20', settings: {} };

describe('Mystic: identity', () => {
  it('has its id, its path outside /text-to-image, no seed', () => {
    expect(spec.id).toBe('mystic');
    expect(spec.name).toBe('Mystic');
    expect(spec.path).toBe('/v1/ai/mystic');
    expect(spec.seed).toBeNull();
    expect(spec.promptMax).toBe(4000);
    expect(spec.promptMaxDocumented).toBe(false);
    expect(spec.shapeOnly).toBe(true);
  });
});

describe('Mystic: the social_post_4_5 decision (ADR 0016)', () => {
  it('offers the 12 unambiguous ratios, not 4:5', () => {
    expect(spec.sizes.map((s) => s.id)).toEqual(RATIOS);
  });

  it('refuses both spellings of the documented typo, saying why', () => {
    expect(issuesOf(body, { aspect_ratio: 'social_post_4_5' })).toEqual([{ path: 'aspect_ratio', message: SOCIAL_POST_MESSAGE }]);
    expect(issuesOf(body, { aspect_ratio: "social_post_4_5'" })).toEqual([{ path: 'aspect_ratio', message: SOCIAL_POST_MESSAGE }]);
    expect(() => spec.toBody({ ...request, size: 'social_post_4_5' })).toThrow(ZodError);
    // Other invalid ratios keep zod's own message.
    expect(issuesOf(body, { aspect_ratio: 'square' })[0].message).not.toBe(SOCIAL_POST_MESSAGE);
  });

  it('switching from a model’s 4:5 lands on 3:4, the closest shape Mystic offers', () => {
    expect(closestSize(spec.sizes, 896, 1120).id).toBe('traditional_3_4');
  });
});

describe('Mystic: the fluid model takes 5 ratios', () => {
  it('takes them with fluid, and every ratio with the other models', () => {
    for (const aspect_ratio of FLUID_RATIOS) expect(accepts(body, { model: 'fluid', aspect_ratio })).toBe(true);
    expect(accepts(body, { model: 'fluid' })).toBe(true);
    for (const model of ['realism', 'zen', 'flexible', 'super_real', 'editorial_portraits'])
      expect(accepts(body, { model, aspect_ratio: 'standard_3_2' }), model).toBe(true);
  });

  it('refuses the others with fluid, on aspect_ratio, with a clear message', () => {
    for (const aspect_ratio of RATIOS.filter((r) => !(FLUID_RATIOS as readonly string[]).includes(r)))
      expect(issuesOf(body, { model: 'fluid', aspect_ratio }), aspect_ratio).toEqual([{ path: 'aspect_ratio', message: FLUID_MESSAGE }]);
    expect(() => spec.toBody({ ...request, settings: { mystic_model: 'fluid' } })).toThrow(FLUID_MESSAGE);
  });

  it('narrows the size options when fluid is chosen', () => {
    expect(sizeOptionsFor(spec, { mystic_model: 'fluid' }).map((s) => s.id)).toEqual(
      RATIOS.filter((r) => (FLUID_RATIOS as readonly string[]).includes(r)),
    );
    expect(sizeOptionsFor(spec, { mystic_model: 'zen' })).toBe(spec.sizes);
    expect(sizeOptionsFor(spec, {})).toBe(spec.sizes);
  });
});

describe('Mystic: bodySchema', () => {
  it('requires no field at all', () => {
    expect(accepts(body, {})).toBe(true);
    expect(accepts(body, { prompt: '@john::200 on a beach' })).toBe(true);
  });

  it('takes each model, engine and resolution, and nothing else', () => {
    for (const model of ['realism', 'fluid', 'zen', 'flexible', 'super_real', 'editorial_portraits'])
      expect(accepts(body, { model })).toBe(true);
    for (const engine of ['automatic', 'magnific_illusio', 'magnific_sharpy', 'magnific_sparkle'])
      expect(accepts(body, { engine })).toBe(true);
    for (const resolution of ['1k', '2k', '4k']) expect(accepts(body, { resolution })).toBe(true);
    expect(accepts(body, { model: 'realistic' })).toBe(false);
    expect(accepts(body, { engine: 'magnific' })).toBe(false);
    for (const resolution of ['8k', '2K', 2]) expect(accepts(body, { resolution })).toBe(false);
  });

  it('bounds the 0–100 integers', () => {
    for (const field of ['creative_detailing', 'structure_strength', 'adherence', 'hdr']) {
      for (const value of [0, 50, 100]) expect(accepts(body, { [field]: value }), `${field} ${value}`).toBe(true);
      for (const value of [-1, 101, 33.5, '33']) expect(accepts(body, { [field]: value }), `${field} ${value}`).toBe(false);
    }
  });

  it('takes reference images as base64 only', () => {
    for (const field of ['structure_reference', 'style_reference']) {
      expect(accepts(body, { [field]: 'aGVsbG8=' })).toBe(true);
      expect(accepts(body, { [field]: 'not base64!' })).toBe(false);
      expect(accepts(body, { [field]: 'https://example.com/ref.png' })).toBe(false);
    }
  });

  it('takes fixed_generation and filter_nsfw as booleans', () => {
    for (const field of ['fixed_generation', 'filter_nsfw']) {
      expect(accepts(body, { [field]: true })).toBe(true);
      expect(accepts(body, { [field]: false })).toBe(true);
      expect(accepts(body, { [field]: 'true' })).toBe(false);
    }
  });

  it('has no seed and no unknown fields', () => {
    expect(accepts(body, { seed: 1 })).toBe(false);
    for (const extra of [{ realism: true }, { num_images: 1 }, { webhook: 'https://x.example' }]) expect(accepts(body, extra)).toBe(false);
    expect(accepts(body, { webhook_url: 'https://x.example/h' })).toBe(true);
    expect(accepts(body, { webhook_url: 'x' })).toBe(false);
  });

  it('takes at most one style (name required, strength 0–200)', () => {
    expect(accepts(body, { styling: { styles: [{ name: 'vintage' }] } })).toBe(true);
    expect(accepts(body, { styling: { styles: [{ name: 'vintage', strength: 0 }] } })).toBe(true);
    expect(accepts(body, { styling: { styles: [{ name: 'vintage', strength: 200 }] } })).toBe(true);
    expect(accepts(body, { styling: { styles: [{ name: 'vintage', strength: 200.5 }] } })).toBe(false);
    expect(accepts(body, { styling: { styles: [{ name: 'vintage', strength: -1 }] } })).toBe(false);
    expect(accepts(body, { styling: { styles: [{ strength: 100 }] } })).toBe(false);
    expect(accepts(body, { styling: { styles: [{ name: 'a' }, { name: 'b' }] } })).toBe(false);
    expect(accepts(body, { styling: { styles: [{ name: 'a', weight: 1 }] } })).toBe(false);
  });

  it('takes at most one character (strength required, 0–200)', () => {
    expect(accepts(body, { styling: { characters: [{ id: 'c1', strength: 100 }] } })).toBe(true);
    expect(accepts(body, { styling: { characters: [{ id: 'c1', strength: 0 }] } })).toBe(true);
    expect(accepts(body, { styling: { characters: [{ id: 'c1' }] } })).toBe(false);
    expect(accepts(body, { styling: { characters: [{ id: 'c1', strength: 201 }] } })).toBe(false);
    expect(
      accepts(body, {
        styling: {
          characters: [
            { id: 'a', strength: 1 },
            { id: 'b', strength: 1 },
          ],
        },
      }),
    ).toBe(false);
  });

  it('takes 1–5 uppercase colours and refuses unknown styling fields', () => {
    expect(accepts(body, { styling: { colors: [{ color: '#123ABC', weight: 1 }] } })).toBe(true);
    expect(accepts(body, { styling: { colors: [{ color: '#123abc', weight: 1 }] } })).toBe(false);
    expect(accepts(body, { styling: { colors: [{ color: '#123ABC', weight: 0.04 }] } })).toBe(false);
    expect(accepts(body, { styling: { colors: [] } })).toBe(false);
    expect(accepts(body, { styling: { effects: { color: 'b&w' } } })).toBe(false);
  });
});

describe('Mystic: settings', () => {
  const settings = spec.settingsSchema;

  it('offers model, engine, resolution, detailing, fixed generation and colours; not filter_nsfw', () => {
    expect(spec.settingsFields.map((f) => f.name)).toEqual([
      'mystic_model',
      'engine',
      'resolution',
      'creative_detailing',
      'fixed_generation',
      'colors',
    ]);
    expect(accepts(settings, { filter_nsfw: false })).toBe(false);
    expect(accepts(settings, { structure_reference: 'aGVsbG8=' })).toBe(false);
    expect(accepts(settings, { model: 'zen' })).toBe(false);
  });

  it('reads form values', () => {
    expect(
      settings.parse({
        mystic_model: 'zen',
        engine: 'magnific_sharpy',
        resolution: '4k',
        creative_detailing: '100',
        fixed_generation: 'on',
        colors: '#abcdef 1',
      }),
    ).toEqual({
      mystic_model: 'zen',
      engine: 'magnific_sharpy',
      resolution: '4k',
      creative_detailing: 100,
      fixed_generation: true,
      colors: [{ color: '#ABCDEF', weight: 1 }],
    });
    expect(issuesOf(settings, { creative_detailing: '101' })[0].message).toBe('Creative detailing must be a whole number from 0 to 100.');
    expect(accepts(settings, { creative_detailing: '-1' })).toBe(false);
    expect(accepts(settings, { creative_detailing: '1.5' })).toBe(false);
    expect(accepts(settings, { resolution: '8k' })).toBe(false);
  });
});

describe('Mystic: toBody / fromBody', () => {
  it('sends the prompt and ratio, the settings in their body places, never a seed', () => {
    expect(spec.toBody({ ...request, seed: 42 })).toEqual({ prompt: 'a brutalist library', aspect_ratio: 'smartphone_vertical_9_20' });
    expect(
      spec.toBody({
        ...request,
        settings: {
          mystic_model: 'super_real',
          engine: 'magnific_sparkle',
          resolution: '1k',
          creative_detailing: '0',
          fixed_generation: 'on',
          colors: '#FF0000',
        },
      }),
    ).toEqual({
      prompt: 'a brutalist library',
      aspect_ratio: 'smartphone_vertical_9_20',
      model: 'super_real',
      engine: 'magnific_sparkle',
      resolution: '1k',
      creative_detailing: 0,
      fixed_generation: true,
      styling: { colors: [{ color: '#FF0000', weight: 0.5 }] },
    });
  });

  it('always sends a prompt, capped at 4000', () => {
    expect(() => spec.toBody({ ...request, prompt: '' })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, prompt: 'x'.repeat(4001) })).toThrow(ZodError);
  });

  it('round-trips what Darkroom sends; reads back only the offered settings', () => {
    const asked = { prompt: 'p', size: 'social_5_4', settings: { mystic_model: 'flexible', resolution: '4k', fixed_generation: true } };
    const sent = spec.toBody(asked);
    expect(spec.fromBody(sent)).toEqual(asked);
    expect(spec.toBody(spec.fromBody(sent))).toEqual(sent);
    expect(spec.fromBody({ style_reference: 'aGVsbG8=', adherence: 80, filter_nsfw: true, styling: { styles: [{ name: 'x' }] } })).toEqual({
      prompt: '',
      size: 'square_1_1',
      settings: {},
    });
  });
});

describe('Mystic: reproduction, seeds, sizes, responses', () => {
  it('is reproducible only with fixed_generation true', () => {
    expect(spec.reproducible({ fixed_generation: true })).toBe(true);
    expect(spec.reproducible({ fixed_generation: false })).toBe(false);
    expect(spec.reproducible({})).toBe(false);
    expect(spec.reproducible({ seed: 1 })).toBe(false);
  });

  it('withSeed leaves the body as it is', () => {
    const sent = spec.toBody({ ...request, settings: { fixed_generation: 'on' } });
    expect(spec.withSeed(sent, 3)).toEqual(sent);
  });

  it('scales the nominal size by resolution: 1k ×1, 2k ×2 (default), 4k ×4', () => {
    expect(spec.expectedSize({ aspect_ratio: 'square_1_1', resolution: '1k' })).toEqual({ width: 1024, height: 1024 });
    expect(spec.expectedSize({ aspect_ratio: 'square_1_1', resolution: '2k' })).toEqual({ width: 2048, height: 2048 });
    expect(spec.expectedSize({ aspect_ratio: 'square_1_1', resolution: '4k' })).toEqual({ width: 4096, height: 4096 });
    expect(spec.expectedSize({ aspect_ratio: 'widescreen_16_9' })).toEqual({ width: 2688, height: 1512 });
    expect(spec.expectedSize({})).toEqual({ width: 2048, height: 2048 });
    const n = nominalSize('smartphone_horizontal_20_9');
    expect(spec.expectedSize({ aspect_ratio: 'smartphone_horizontal_20_9', resolution: '4k' })).toEqual({
      width: n.width * 4,
      height: n.height * 4,
    });
  });

  it('reshapes links, tolerates a missing `generated`, refuses the rest', () => {
    expect(spec.reshape({ task_id: 't', status: 'CREATED', generated: [] }).imageUrls).toEqual([]);
    expect(spec.reshape({ task_id: 't', status: 'CREATED' }).imageUrls).toEqual([]);
    expect(spec.reshape({ task_id: 't', status: 'COMPLETED', generated: ['https://x.example/m.png'] }).imageUrls).toEqual([
      'https://x.example/m.png',
    ]);
    expect(() => spec.reshape({ task_id: 't', status: 'COMPLETED', generated: ['iVBORw0KGgo='] })).toThrow(UpstreamError);
  });
});
