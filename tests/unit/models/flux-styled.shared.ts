import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { UpstreamError } from '@/lib/freepik/errors';
import { nominalSize } from '@/lib/freepik/models/sizes';
import type { ModelSpec } from '@/lib/freepik/models/types';
import { accepts, issuesOf } from './helpers';

/**
 * Flux Dev and HyperFlux share one body (freepik-models.md §1, §5) and one factory: the same tests run on both,
 * so a drift between the two endpoints' modules would show.
 */
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
];

const request = { prompt: 'a red fox in snow', size: 'widescreen_16_9', seed: 42, settings: {} };

export function describeFluxStyled(spec: ModelSpec, expected: { id: string; name: string; path: string }) {
  const body = spec.bodySchema;

  describe(`${expected.name}: identity`, () => {
    it('has its id, name, path and the Flux family rules', () => {
      expect(spec.id).toBe(expected.id);
      expect(spec.name).toBe(expected.name);
      expect(spec.path).toBe(expected.path);
      expect(spec.seed).toEqual({ min: 1, max: 4294967295 });
      expect(spec.promptMax).toBe(4000);
      expect(spec.promptMaxDocumented).toBe(false);
      expect(spec.shapeOnly).toBe(true);
      expect(spec.sizes.map((s) => s.id)).toEqual(FLUX_RATIOS);
      expect(spec.defaultSize).toBe('square_1_1');
      expect(spec.summary.length).toBeGreaterThan(10);
    });
  });

  describe(`${expected.name}: bodySchema`, () => {
    it('requires no field at all, prompt included', () => {
      expect(accepts(body, {})).toBe(true);
      expect(accepts(body, { prompt: '' })).toBe(true);
      expect(accepts(body, { prompt: 'x'.repeat(20000) })).toBe(true);
      expect(accepts(body, { prompt: 42 })).toBe(false);
    });

    it('takes each of the 10 ratios and nothing else', () => {
      for (const aspect_ratio of FLUX_RATIOS) expect(accepts(body, { aspect_ratio }), aspect_ratio).toBe(true);
      for (const aspect_ratio of ['smartphone_horizontal_20_9', 'social_5_4', '16:9', '1920:1080', 'SQUARE_1_1', ''])
        expect(accepts(body, { aspect_ratio }), aspect_ratio).toBe(false);
    });

    it('bounds the seed to 1…4294967295, whole numbers only', () => {
      for (const seed of [1, 2, 4294967294, 4294967295]) expect(accepts(body, { seed }), `${seed}`).toBe(true);
      for (const seed of [0, -1, 4294967296, 1.5, '5', null]) expect(accepts(body, { seed }), `${seed}`).toBe(false);
    });

    it('takes an optional webhook_url that is a URL', () => {
      expect(accepts(body, { webhook_url: 'https://darkroom.example/api/webhooks/freepik' })).toBe(true);
      expect(accepts(body, { webhook_url: 'not a url' })).toBe(false);
    });

    it('refuses unknown top-level fields', () => {
      for (const extra of [{ num_images: 1 }, { ratio: '1920:1080' }, { guidance_scale: 2 }, { resolution: '2k' }])
        expect(accepts(body, extra), JSON.stringify(extra)).toBe(false);
    });

    it('takes each documented effect, with the docs spelling `lightning`, and refuses the rest', () => {
      for (const color of ['softhue', 'b&w', 'goldglow', 'vibrant', 'coldneon'])
        expect(accepts(body, { styling: { effects: { color } } }), color).toBe(true);
      for (const framing of ['portrait', 'lowangle', 'midshot', 'wideshot', 'tiltshot', 'aerial'])
        expect(accepts(body, { styling: { effects: { framing } } }), framing).toBe(true);
      for (const lightning of ['iridescent', 'dramatic', 'goldenhour', 'longexposure', 'indorlight', 'flash', 'neon'])
        expect(accepts(body, { styling: { effects: { lightning } } }), lightning).toBe(true);
      // Imagen 3's vocabulary is not Flux's.
      expect(accepts(body, { styling: { effects: { color: 'sepia' } } })).toBe(false);
      expect(accepts(body, { styling: { effects: { framing: 'fish-eye' } } })).toBe(false);
      expect(accepts(body, { styling: { effects: { lightning: 'golden-hour' } } })).toBe(false);
    });

    it('is strict inside styling: no `lighting`, no old `camera`, no style', () => {
      expect(accepts(body, { styling: { effects: { lighting: 'flash' } } })).toBe(false);
      expect(accepts(body, { styling: { effects: { camera: 'aerial' } } })).toBe(false);
      expect(accepts(body, { styling: { style: 'anime' } })).toBe(false);
      expect(accepts(body, { styling: {} })).toBe(true);
    });

    it('takes 1–5 uppercase colours weighted 0.05–1', () => {
      const colors = (...list: Array<[string, number]>) => ({ styling: { colors: list.map(([color, weight]) => ({ color, weight })) } });
      expect(accepts(body, colors(['#FF8800', 0.05]))).toBe(true);
      expect(accepts(body, colors(['#FF8800', 1]))).toBe(true);
      expect(accepts(body, colors(['#FF8800', 0.04]))).toBe(false);
      expect(accepts(body, colors(['#FF8800', 1.01]))).toBe(false);
      expect(accepts(body, colors(['#ff8800', 0.5]))).toBe(false);
      expect(accepts(body, colors(['FF8800', 0.5]))).toBe(false);
      expect(accepts(body, colors(['#FF88', 0.5]))).toBe(false);
      expect(accepts(body, colors())).toBe(false);
      const five = Array.from({ length: 5 }, (): [string, number] => ['#000000', 0.5]);
      expect(accepts(body, colors(...five))).toBe(true);
      expect(accepts(body, colors(...five, ['#FFFFFF', 0.5]))).toBe(false);
      expect(accepts(body, { styling: { colors: [{ color: '#FF8800' }] } })).toBe(false);
      expect(accepts(body, { styling: { colors: [{ color: '#FF8800', weight: 0.5, name: 'orange' }] } })).toBe(false);
    });
  });

  describe(`${expected.name}: settings`, () => {
    const settings = spec.settingsSchema;

    it('offers the three effects (Lighting for `lightning`) and colours, all optional', () => {
      expect(spec.settingsFields.map((f) => [f.name, f.label, f.kind])).toEqual([
        ['effect_color', 'Colour effect', 'select'],
        ['effect_framing', 'Framing', 'select'],
        ['effect_lighting', 'Lighting', 'select'],
        ['colors', 'Colours', 'colors'],
      ]);
      expect(settings.parse({})).toEqual({});
      expect(settings.parse({ effect_color: '', effect_framing: '', effect_lighting: '', colors: '' })).toEqual({
        effect_color: undefined,
        effect_framing: undefined,
        effect_lighting: undefined,
        colors: undefined,
      });
    });

    it('refuses unknown names and values outside the enums', () => {
      expect(accepts(settings, { lightning: 'flash' })).toBe(false);
      expect(accepts(settings, { seed: 1 })).toBe(false);
      expect(issuesOf(settings, { effect_color: 'sepia' })[0].message).toBe('Choose one of the listed values for Colour effect.');
    });

    it('uppercases colours written in lowercase and gives a missing weight 0.5', () => {
      expect(settings.parse({ colors: '#ff8800 0.25, #0044cc' }).colors).toEqual([
        { color: '#FF8800', weight: 0.25 },
        { color: '#0044CC', weight: 0.5 },
      ]);
      expect(accepts(settings, { colors: '#ff8800 0.04' })).toBe(false);
      expect(accepts(settings, { colors: '#ff8800 1.01' })).toBe(false);
      expect(accepts(settings, { colors: '#ff8800 1' })).toBe(true);
      expect(accepts(settings, { colors: Array.from({ length: 6 }, () => '#000000').join(', ') })).toBe(false);
      expect(accepts(settings, { colors: 'orange' })).toBe(false);
    });

    it('parses typed values again to the same (the form parses, then toBody parses)', () => {
      const once = settings.parse({ effect_color: 'b&w', colors: '#ff8800' });
      expect(settings.parse(once)).toEqual(once);
    });
  });

  describe(`${expected.name}: toBody / fromBody`, () => {
    it('sends prompt, named ratio and seed; nothing unset', () => {
      expect(spec.toBody(request)).toEqual({ prompt: 'a red fox in snow', aspect_ratio: 'widescreen_16_9', seed: 42 });
      const unseeded = spec.toBody({ ...request, seed: undefined });
      expect(unseeded).toEqual({ prompt: 'a red fox in snow', aspect_ratio: 'widescreen_16_9' });
      expect('seed' in unseeded).toBe(false);
      expect('webhook_url' in unseeded).toBe(false);
    });

    it('puts effects under styling.effects (as `lightning`) and colours under styling.colors', () => {
      const sent = spec.toBody({
        ...request,
        settings: { effect_color: 'goldglow', effect_framing: 'aerial', effect_lighting: 'neon', colors: '#ff0000 0.7' },
      });
      expect(sent.styling).toEqual({
        effects: { color: 'goldglow', framing: 'aerial', lightning: 'neon' },
        colors: [{ color: '#FF0000', weight: 0.7 }],
      });
      expect(spec.toBody({ ...request, settings: { colors: '#FF0000' } }).styling).toEqual({ colors: [{ color: '#FF0000', weight: 0.5 }] });
      expect(spec.toBody({ ...request, settings: { effect_framing: 'midshot' } }).styling).toEqual({ effects: { framing: 'midshot' } });
    });

    it('refuses what the model cannot take', () => {
      expect(() => spec.toBody({ ...request, seed: 0 })).toThrow(ZodError);
      expect(() => spec.toBody({ ...request, seed: 4294967296 })).toThrow(ZodError);
      expect(() => spec.toBody({ ...request, size: '1920:1080' })).toThrow(ZodError);
      expect(() => spec.toBody({ ...request, size: 'social_5_4' })).toThrow(ZodError);
      expect(() => spec.toBody({ ...request, settings: { guidance_scale: 2 } })).toThrow(ZodError);
    });

    it('always sends a prompt, capped at 4000 characters', () => {
      expect(() => spec.toBody({ ...request, prompt: '' })).toThrow(/Write a prompt/);
      expect(spec.toBody({ ...request, prompt: 'x'.repeat(4000) }).prompt).toHaveLength(4000);
      expect(() => spec.toBody({ ...request, prompt: 'x'.repeat(4001) })).toThrow(/at most 4000/);
    });

    it('reads a body back to the same request, and that request to the same body', () => {
      const asked = {
        prompt: 'p',
        size: 'portrait_2_3',
        seed: 7,
        settings: { effect_lighting: 'flash', colors: [{ color: '#00FF00', weight: 1 }] },
      };
      const sent = spec.toBody(asked);
      expect(spec.fromBody(sent)).toEqual(asked);
      expect(spec.toBody(spec.fromBody(sent))).toEqual(sent);
      expect(spec.fromBody({ prompt: 'p' })).toEqual({ prompt: 'p', size: 'square_1_1', seed: undefined, settings: {} });
      expect(spec.fromBody({})).toEqual({ prompt: '', size: 'square_1_1', seed: undefined, settings: {} });
      expect(() => spec.fromBody({ prompt: 'p', ratio: '1920:1080' })).toThrow(ZodError);
    });
  });

  describe(`${expected.name}: seeds, reproduction, sizes, responses`, () => {
    it('withSeed replaces the seed within the range', () => {
      const sent = spec.toBody(request);
      expect(spec.withSeed(sent, 99)).toEqual({ ...sent, seed: 99 });
      expect(spec.withSeed(spec.toBody({ ...request, seed: undefined }), 1).seed).toBe(1);
      expect(() => spec.withSeed(sent, 0)).toThrow(ZodError);
    });

    it('is reproducible only with a seed', () => {
      expect(spec.reproducible({ prompt: 'p', seed: 1 })).toBe(true);
      expect(spec.reproducible({ prompt: 'p' })).toBe(false);
    });

    it('expects the nominal size of the ratio (square when absent)', () => {
      for (const id of FLUX_RATIOS) expect(spec.expectedSize({ aspect_ratio: id })).toEqual(nominalSize(id));
      expect(spec.expectedSize({ prompt: 'p' })).toEqual({ width: 1024, height: 1024 });
    });

    it('tolerates a create response without `generated`, keeps links, refuses anything else', () => {
      expect(spec.reshape({ task_id: 't1', status: 'CREATED' })).toEqual({ taskId: 't1', status: 'CREATED', imageUrls: [] });
      expect(spec.reshape({ task_id: 't1', status: 'COMPLETED', generated: ['https://ai-statics.freepik.com/a.jpg'] }).imageUrls).toEqual([
        'https://ai-statics.freepik.com/a.jpg',
      ]);
      expect(() => spec.reshape({ task_id: 't1', status: 'COMPLETED', generated: ['iVBORw0KGgo='] })).toThrow(UpstreamError);
    });
  });
}
