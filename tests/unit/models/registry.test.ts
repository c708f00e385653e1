import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, isModelId, MODEL_IDS, MODEL_LIST, MODELS, modelOf, sizeOptionsFor } from '@/lib/freepik/models';
import { PROMPT_CAP, requestPrompt } from '@/lib/freepik/models/named';
import {
  booleanSetting,
  colorsSetting,
  colorsText,
  definedObject,
  definedOnly,
  enumSetting,
  numberSetting,
  optionsOf,
} from '@/lib/freepik/models/settings';
import { closestSize, namedSizes, nominalSize, SHAPE_TOLERANCE } from '@/lib/freepik/models/sizes';
import { accepts, issuesOf } from './helpers';

const NAMED_RATIOS = [
  'square_1_1',
  'classic_4_3',
  'traditional_3_4',
  'widescreen_16_9',
  'social_story_9_16',
  'standard_3_2',
  'portrait_2_3',
  'horizontal_2_1',
  'vertical_1_2',
  'social_5_4',
  'social_post_4_5',
  'smartphone_horizontal_20_9',
  'smartphone_vertical_9_20',
];

describe('registry', () => {
  it('lists the seven models in MODEL_IDS order, RunWay first and default', () => {
    expect(MODEL_LIST.map((m) => m.id)).toEqual([...MODEL_IDS]);
    expect(MODEL_IDS).toEqual(['runway', 'flux-dev', 'hyperflux', 'flux-pro-v1-1', 'seedream-v4', 'imagen3', 'mystic']);
    expect(DEFAULT_MODEL).toBe('runway');
    for (const id of MODEL_IDS) expect(MODELS[id].id).toBe(id);
  });

  it('reads a stored model id: none is RunWay, an unknown one throws', () => {
    expect(modelOf(null).id).toBe('runway');
    expect(modelOf(undefined).id).toBe('runway');
    expect(modelOf('mystic').id).toBe('mystic');
    expect(() => modelOf('dall-e')).toThrow(/unknown model/);
    expect(isModelId('imagen3')).toBe(true);
    expect(isModelId('Imagen3')).toBe(false);
    expect(isModelId(7)).toBe(false);
  });

  it('gives each model its own path, names and a summary', () => {
    const paths = MODEL_LIST.map((m) => m.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const m of MODEL_LIST) {
      expect(m.path).toMatch(/^\/v1\/ai\//);
      expect(m.name.length).toBeGreaterThan(0);
      expect(m.summary.length).toBeGreaterThan(20);
    }
    // No path is a prefix of another's task path (routing by prefix stays unambiguous).
    for (const a of paths) for (const b of paths) if (a !== b) expect(b.startsWith(`${a}/`)).toBe(false);
  });

  for (const m of MODEL_LIST) {
    describe(m.name, () => {
      const request = { prompt: 'a quiet harbour', size: m.defaultSize, seed: m.seed?.min, settings: {} };

      it('offers its default size, sane sizes and a sane seed rule', () => {
        expect(m.sizes.some((s) => s.id === m.defaultSize)).toBe(true);
        expect(new Set(m.sizes.map((s) => s.id)).size).toBe(m.sizes.length);
        for (const s of m.sizes) expect(Number.isInteger(s.width) && Number.isInteger(s.height) && s.width > 0 && s.height > 0).toBe(true);
        if (m.seed) expect(m.seed.min).toBeLessThan(m.seed.max);
      });

      it('accepts every settings field it shows, and nothing else', () => {
        for (const field of m.settingsFields) expect(accepts(m.settingsSchema, { [field.name]: '' }), field.name).toBe(true);
        expect(issuesOf(m.settingsSchema, { no_such_setting: '1' })[0]).toBeDefined();
        for (const field of m.settingsFields)
          if (field.kind === 'select')
            for (const o of field.options) expect(accepts(m.settingsSchema, { [field.name]: o.value })).toBe(true);
      });

      it('builds a body its schema takes (with webhook_url too), without a webhook_url of its own', () => {
        const body = m.toBody(request);
        expect(body.webhook_url).toBeUndefined();
        expect(accepts(m.bodySchema, body)).toBe(true);
        expect(accepts(m.bodySchema, { ...body, webhook_url: 'https://darkroom.example/api/webhooks/freepik' })).toBe(true);
        expect(accepts(m.bodySchema, { ...body, extra: true })).toBe(false);
        expect(m.toBody(m.fromBody(body))).toEqual(body);
      });

      it('expects a size of the chosen option’s shape', () => {
        const body = m.toBody(request);
        const option = m.sizes.find((s) => s.id === m.defaultSize)!;
        const expected = m.expectedSize(body);
        expect(expected.width * option.height).toBe(expected.height * option.width);
      });

      it('reads every size option it offers into a body', () => {
        for (const s of sizeOptionsFor(m, {})) expect(() => m.toBody({ ...request, size: s.id }), s.id).not.toThrow();
      });

      it('reproduces only with a seed (or Mystic’s fixed generation)', () => {
        const body = m.toBody(request);
        expect(m.reproducible(body)).toBe(m.seed !== null);
      });

      it('tolerates a response without `generated`', () => {
        expect(m.reshape({ task_id: 't', status: 'IN_PROGRESS' }).imageUrls).toEqual([]);
      });
    });
  }
});

describe('named sizes', () => {
  it('gives each named ratio its exact shape at about one megapixel', () => {
    for (const id of NAMED_RATIOS) {
      const { width, height } = nominalSize(id);
      const [, a, b] = /_(\d+)_(\d+)$/.exec(id)!.map(Number);
      expect(width * b, id).toBe(height * a);
      expect(width * height, id).toBeGreaterThan(0.9e6);
      expect(width * height, id).toBeLessThan(1.2e6);
    }
    expect(namedSizes(['widescreen_16_9'])).toEqual([{ id: 'widescreen_16_9', label: '16:9', width: 1344, height: 756 }]);
  });

  it('throws for a name not in the table', () => {
    expect(() => nominalSize('square')).toThrow(/unknown named aspect ratio/);
    expect(() => namedSizes(['square_1_1', 'cinema_21_9'])).toThrow(/unknown named aspect ratio/);
  });

  it('keeps the closest shape when switching models', () => {
    expect(closestSize(MODELS['flux-dev'].sizes, 1920, 1080).id).toBe('widescreen_16_9');
    expect(closestSize(MODELS['flux-dev'].sizes, 1080, 1440).id).toBe('traditional_3_4');
    expect(closestSize(MODELS.imagen3.sizes, 2112, 912).id).toBe('widescreen_16_9');
    expect(closestSize(MODELS.imagen3.sizes, 896, 1120).id).toBe('traditional_3_4');
    expect(closestSize(MODELS.runway.sizes, 1024, 1024).id).toBe('1024:1024');
    expect(closestSize(MODELS.mystic.sizes, 1600, 720).id).toBe('smartphone_horizontal_20_9');
  });

  /** The check of lib/images/verify.ts for shapeOnly models. */
  const shapeFits = (id: string, width: number, height: number) => {
    const nominal = nominalSize(id);
    return Math.abs(Math.log(width / height) - Math.log(nominal.width / nominal.height)) <= Math.log(1 + SHAPE_TOLERANCE);
  };

  it('takes the sizes real providers document or are known to send for a ratio', () => {
    // Imagen 3 as Google documents it (1:1, 3:4, 4:3, 9:16, 16:9): 3:4 and 4:3 are 7.1% off the exact shape.
    expect(shapeFits('square_1_1', 1024, 1024)).toBe(true);
    expect(shapeFits('traditional_3_4', 896, 1280)).toBe(true);
    expect(shapeFits('classic_4_3', 1280, 896)).toBe(true);
    expect(shapeFits('social_story_9_16', 768, 1408)).toBe(true);
    expect(shapeFits('widescreen_16_9', 1408, 768)).toBe(true);
    // Flux-style sides in multiples of 64, and Mystic's larger tiers.
    expect(shapeFits('widescreen_16_9', 1344, 768)).toBe(true);
    expect(shapeFits('classic_4_3', 1152, 896)).toBe(true);
    expect(shapeFits('standard_3_2', 1216, 832)).toBe(true);
    expect(shapeFits('widescreen_16_9', 2752, 1536)).toBe(true);
    expect(shapeFits('square_1_1', 4096, 4096)).toBe(true);
  });

  it('still refuses a picture of another shape', () => {
    expect(shapeFits('widescreen_16_9', 1024, 1024)).toBe(false);
    expect(shapeFits('traditional_3_4', 1024, 768)).toBe(false);
    expect(shapeFits('standard_3_2', 1344, 756)).toBe(false);
    expect(shapeFits('horizontal_2_1', 1344, 756)).toBe(false);
  });
});

describe('setting helpers', () => {
  it('numberSetting: form text or numbers, empty is unset, bounds inclusive', () => {
    const n = numberSetting('Guidance', 0, 20);
    expect(n.parse('')).toBeUndefined();
    expect(n.parse(undefined)).toBeUndefined();
    expect(n.parse(null)).toBeUndefined();
    expect(n.parse(' 2.5 ')).toBe(2.5);
    expect(n.parse('0')).toBe(0);
    expect(n.parse(20)).toBe(20);
    for (const bad of ['20.01', '-0.5', '1e1', 'abc', '2,5', Number.NaN]) expect(accepts(n, bad), String(bad)).toBe(false);
    const i = numberSetting('Tolerance', 0, 6, true);
    expect(i.parse('6')).toBe(6);
    expect(issuesOf(i, '2.5')[0].message).toBe('Tolerance must be a whole number from 0 to 6.');
    expect(issuesOf(n, '21')[0].message).toBe('Guidance must be a number from 0 to 20.');
  });

  it('enumSetting and booleanSetting', () => {
    const e = enumSetting('Format', ['jpeg', 'png'] as const);
    expect(e.parse('png')).toBe('png');
    expect(e.parse('')).toBeUndefined();
    expect(issuesOf(e, 'gif')[0].message).toBe('Choose one of the listed values for Format.');
    const b = booleanSetting('Fixed');
    expect(b.parse('on')).toBe(true);
    expect(b.parse('true')).toBe(true);
    expect(b.parse('false')).toBe(false);
    expect(b.parse(false)).toBe(false);
    expect(b.parse('')).toBeUndefined();
    expect(accepts(b, 'yes')).toBe(false);
  });

  it('colorsSetting: text to uppercase entries, default weight 0.5; 1–5 entries of weight 0.05–1', () => {
    const c = colorsSetting('Colours');
    expect(c.parse('#ff8800 0.05, #00aa00 1')).toEqual([
      { color: '#FF8800', weight: 0.05 },
      { color: '#00AA00', weight: 1 },
    ]);
    expect(c.parse('  ')).toBeUndefined();
    expect(c.parse([{ color: '#FF8800', weight: 0.5 }])).toEqual([{ color: '#FF8800', weight: 0.5 }]);
    expect(accepts(c, [{ color: '#ff8800', weight: 0.5 }])).toBe(false); // typed values are not rewritten
    expect(accepts(c, '#ff8800 0.04')).toBe(false);
    expect(accepts(c, '#ff8800 1.01')).toBe(false);
    expect(accepts(c, '#ff8800 heavy')).toBe(false);
    expect(accepts(c, '#ff88')).toBe(false);
    expect(accepts(c, [])).toBe(false);
    expect(accepts(c, Array.from({ length: 5 }, () => '#000000').join(','))).toBe(true);
    expect(accepts(c, Array.from({ length: 6 }, () => '#000000').join(','))).toBe(false);
    expect(
      colorsText([
        { color: '#FF8800', weight: 0.5 },
        { color: '#0044CC', weight: 1 },
      ]),
    ).toBe('#FF8800 0.5, #0044CC 1');
    expect(colorsText('junk')).toBe('');
  });

  it('definedOnly, definedObject and optionsOf', () => {
    expect(definedOnly({ a: 1, b: undefined, c: null, d: false })).toEqual({ a: 1, c: null, d: false });
    expect(definedObject({ a: undefined })).toBeUndefined();
    expect(definedObject({ a: 0 })).toEqual({ a: 0 });
    expect(optionsOf(['golden-hour', 'orange&teal', 'b&w', 'super_real'], { 'b&w': 'Black & white' })).toEqual([
      { value: 'golden-hour', label: 'Golden hour' },
      { value: 'orange&teal', label: 'Orange & teal' },
      { value: 'b&w', label: 'Black & white' },
      { value: 'super_real', label: 'Super real' },
    ]);
  });

  it('requestPrompt: never empty, Darkroom’s cap where none is documented', () => {
    expect(PROMPT_CAP).toBe(4000);
    expect(requestPrompt('x'.repeat(4000))).toHaveLength(4000);
    expect(() => requestPrompt('')).toThrow(/Write a prompt/);
    expect(() => requestPrompt('x'.repeat(4001))).toThrow(/at most 4000/);
  });
});
