import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { UpstreamError } from '@/lib/freepik/errors';
import { imagen3Model as spec } from '@/lib/freepik/models/imagen3';
import { pictureUrlOf } from '@/lib/freepik/models/inline-pictures';
import { nominalSize } from '@/lib/freepik/models/sizes';
import { accepts, issuesOf, JPEG_BASE64, PNG_BASE64, WEBP_BASE64 } from './helpers';

const body = spec.bodySchema;
const RATIOS = ['square_1_1', 'social_story_9_16', 'widescreen_16_9', 'traditional_3_4', 'classic_4_3'];
const request = { prompt: 'a paper crane', size: 'classic_4_3', settings: {} };
const styled = (styling: unknown) => ({ prompt: 'p', styling });

describe('Imagen 3: identity', () => {
  it('has its id, path, 5 ratios and no seed', () => {
    expect(spec.id).toBe('imagen3');
    expect(spec.name).toBe('Imagen 3');
    expect(spec.path).toBe('/v1/ai/text-to-image/imagen3');
    expect(spec.sizes.map((s) => s.id)).toEqual(RATIOS);
    expect(spec.seed).toBeNull();
    expect(spec.promptMax).toBe(4000);
    expect(spec.promptMaxDocumented).toBe(false);
    expect(spec.shapeOnly).toBe(true);
  });
});

describe('Imagen 3: bodySchema', () => {
  it('requires a prompt', () => {
    expect(accepts(body, { prompt: 'p' })).toBe(true);
    expect(accepts(body, {})).toBe(false);
  });

  it('takes num_images 1…4, whole numbers only', () => {
    for (const num_images of [1, 4]) expect(accepts(body, { prompt: 'p', num_images })).toBe(true);
    for (const num_images of [0, 5, 1.5, '1']) expect(accepts(body, { prompt: 'p', num_images })).toBe(false);
  });

  it('takes its 5 ratios only', () => {
    for (const aspect_ratio of RATIOS) expect(accepts(body, { prompt: 'p', aspect_ratio })).toBe(true);
    for (const aspect_ratio of ['standard_3_2', 'portrait_2_3', 'social_post_4_5'])
      expect(accepts(body, { prompt: 'p', aspect_ratio })).toBe(false);
  });

  it('has no seed', () => {
    expect(accepts(body, { prompt: 'p', seed: 1 })).toBe(false);
    expect(accepts(body, { prompt: 'p', seed: null })).toBe(false);
  });

  it('takes its own style and effects vocabulary, not Flux’s', () => {
    for (const style of ['photo', '3d', '2000s-pone', '70s-vibe', 'traditional-japan'])
      expect(accepts(body, styled({ style })), style).toBe(true);
    expect(accepts(body, styled({ style: 'photoreal' }))).toBe(false);
    for (const color of ['b&w', 'orange&teal', 'terracotta&teal', 'cold-neon', 'burgundy&blue'])
      expect(accepts(body, styled({ effects: { color } })), color).toBe(true);
    for (const color of ['softhue', 'coldneon', 'goldglow']) expect(accepts(body, styled({ effects: { color } })), color).toBe(false);
    for (const lightning of ['studio', 'golden-hour', 'indoor-light', 'redscale'])
      expect(accepts(body, styled({ effects: { lightning } })), lightning).toBe(true);
    for (const lightning of ['goldenhour', 'indorlight', 'neon'])
      expect(accepts(body, styled({ effects: { lightning } })), lightning).toBe(false);
    for (const framing of ['portrait', 'fish-eye', 'first-person', 'aerial-view'])
      expect(accepts(body, styled({ effects: { framing } })), framing).toBe(true);
    for (const framing of ['aerial', 'lowangle']) expect(accepts(body, styled({ effects: { framing } })), framing).toBe(false);
  });

  it('is strict inside styling and effects', () => {
    expect(accepts(body, styled({ effects: { lighting: 'studio' } }))).toBe(false);
    expect(accepts(body, styled({ styles: [] }))).toBe(false);
    expect(accepts(body, styled({ style: 'photo', extra: 1 }))).toBe(false);
  });

  it('takes 1–5 uppercase colours weighted 0.05–1', () => {
    expect(accepts(body, styled({ colors: [{ color: '#ABCDEF', weight: 0.05 }] }))).toBe(true);
    expect(accepts(body, styled({ colors: [{ color: '#abcdef', weight: 0.5 }] }))).toBe(false);
    expect(accepts(body, styled({ colors: [{ color: '#ABCDEF', weight: 1.01 }] }))).toBe(false);
    expect(accepts(body, styled({ colors: [] }))).toBe(false);
    expect(accepts(body, styled({ colors: Array.from({ length: 6 }, () => ({ color: '#000000', weight: 1 })) }))).toBe(false);
  });

  it('takes each person_generation and safety_settings value and nothing else', () => {
    for (const person_generation of ['dont_allow', 'allow_adult', 'allow_all'])
      expect(accepts(body, { prompt: 'p', person_generation })).toBe(true);
    expect(accepts(body, { prompt: 'p', person_generation: 'allow_none' })).toBe(false);
    for (const safety_settings of ['block_low_and_above', 'block_medium_and_above', 'block_only_high', 'block_none'])
      expect(accepts(body, { prompt: 'p', safety_settings })).toBe(true);
    expect(accepts(body, { prompt: 'p', safety_settings: 'block_all' })).toBe(false);
  });

  it('refuses unknown fields', () => {
    for (const extra of [{ guidance_scale: 1 }, { resolution: '2k' }, { negative_prompt: 'x' }])
      expect(accepts(body, { prompt: 'p', ...extra }), JSON.stringify(extra)).toBe(false);
  });
});

describe('Imagen 3: settings', () => {
  it('offers style, three effects, colours, people and safety; no seed', () => {
    expect(spec.settingsFields.map((f) => f.name)).toEqual([
      'style',
      'effect_color',
      'effect_lighting',
      'effect_framing',
      'colors',
      'person_generation',
      'safety_settings',
    ]);
    expect(spec.settingsFields.find((f) => f.name === 'effect_lighting')?.label).toBe('Lighting');
    expect(accepts(spec.settingsSchema, { style: 'anime', person_generation: 'dont_allow', safety_settings: 'block_only_high' })).toBe(
      true,
    );
    expect(issuesOf(spec.settingsSchema, { style: 'oil' })[0].message).toBe('Choose one of the listed values for Style.');
    expect(accepts(spec.settingsSchema, { num_images: '2' })).toBe(false);
    expect(accepts(spec.settingsSchema, { seed: '2' })).toBe(false);
  });
});

describe('Imagen 3: toBody / fromBody', () => {
  it('always asks for one picture (Variations are separate tasks)', () => {
    expect(spec.toBody(request)).toEqual({ prompt: 'a paper crane', num_images: 1, aspect_ratio: 'classic_4_3' });
  });

  it('leaves a seed out: there is none to send', () => {
    expect(spec.toBody({ ...request, seed: 42 })).toEqual(spec.toBody(request));
  });

  it('puts style, effects and colours under styling, filters at the top', () => {
    const sent = spec.toBody({
      ...request,
      settings: {
        style: 'watercolor',
        effect_color: 'sepia',
        effect_lighting: 'warm',
        effect_framing: 'macro',
        colors: '#00ff00',
        person_generation: 'allow_adult',
        safety_settings: 'block_none',
      },
    });
    expect(sent).toEqual({
      prompt: 'a paper crane',
      num_images: 1,
      aspect_ratio: 'classic_4_3',
      styling: {
        style: 'watercolor',
        effects: { color: 'sepia', lightning: 'warm', framing: 'macro' },
        colors: [{ color: '#00FF00', weight: 0.5 }],
      },
      person_generation: 'allow_adult',
      safety_settings: 'block_none',
    });
    expect(spec.toBody({ ...request, settings: { style: 'comic' } }).styling).toEqual({ style: 'comic' });
  });

  it('refuses other models’ ratios and empty prompts', () => {
    expect(() => spec.toBody({ ...request, size: 'standard_3_2' })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, prompt: '' })).toThrow(ZodError);
    expect(() => spec.toBody({ ...request, prompt: 'x'.repeat(4001) })).toThrow(ZodError);
  });

  it('round-trips (num_images is not a setting)', () => {
    const asked = {
      prompt: 'p',
      size: 'social_story_9_16',
      settings: { style: 'sketch', effect_framing: 'symmetry', safety_settings: 'block_low_and_above' },
    };
    const sent = spec.toBody(asked);
    expect(spec.fromBody(sent)).toEqual(asked);
    expect(spec.toBody(spec.fromBody(sent))).toEqual(sent);
    expect(spec.fromBody({ prompt: 'p', num_images: 3 })).toEqual({ prompt: 'p', size: 'square_1_1', settings: {} });
  });
});

describe('Imagen 3: seeds, reproduction, sizes', () => {
  it('withSeed leaves the body as it is; it is never reproducible', () => {
    const sent = spec.toBody(request);
    expect(spec.withSeed(sent, 5)).toEqual(sent);
    expect(spec.reproducible(sent)).toBe(false);
  });

  it('expects the nominal size of the ratio', () => {
    for (const id of RATIOS) expect(spec.expectedSize({ prompt: 'p', aspect_ratio: id })).toEqual(nominalSize(id));
    expect(spec.expectedSize({ prompt: 'p' })).toEqual({ width: 1024, height: 1024 });
  });
});

describe('Imagen 3: reshape (links or base64 pictures)', () => {
  const completed = (generated?: string[]) => ({ task_id: 't', status: 'COMPLETED' as const, generated });

  it('tolerates a missing `generated`', () => {
    expect(spec.reshape(completed(undefined))).toEqual({ taskId: 't', status: 'COMPLETED', imageUrls: [] });
  });

  it('keeps links as they are', () => {
    expect(spec.reshape(completed(['https://ai-statics.freepik.com/a.png'])).imageUrls).toEqual(['https://ai-statics.freepik.com/a.png']);
  });

  it('turns base64 PNG, JPEG and WEBP into data URLs of their type, by magic bytes', () => {
    expect(PNG_BASE64.startsWith('iVBOR')).toBe(true);
    expect(JPEG_BASE64.startsWith('/9j/')).toBe(true);
    expect(WEBP_BASE64.startsWith('UklGR')).toBe(true);
    expect(spec.reshape(completed([PNG_BASE64, JPEG_BASE64, WEBP_BASE64])).imageUrls).toEqual([
      `data:image/png;base64,${PNG_BASE64}`,
      `data:image/jpeg;base64,${JPEG_BASE64}`,
      `data:image/webp;base64,${WEBP_BASE64}`,
    ]);
  });

  it('takes mixed links and pictures, line-wrapped base64 and ready data URLs', () => {
    const wrapped = `${PNG_BASE64.slice(0, 8)}\n${PNG_BASE64.slice(8)}`;
    expect(spec.reshape(completed(['https://x.example/a.jpg', wrapped])).imageUrls).toEqual([
      'https://x.example/a.jpg',
      `data:image/png;base64,${PNG_BASE64}`,
    ]);
    expect(pictureUrlOf(`data:image/jpeg;base64,${JPEG_BASE64}`)).toBe(`data:image/jpeg;base64,${JPEG_BASE64}`);
  });

  it('refuses anything else as an invalid response', () => {
    const garbage = [
      'hello world',
      Buffer.from('GIF89a....').toString('base64'),
      'aGVsbG8=',
      '',
      'iVBOR!!!',
      'file:///etc/passwd',
      'data:text/plain;base64,aGVsbG8=',
    ];
    for (const entry of garbage) {
      expect(pictureUrlOf(entry), entry).toBeNull();
      const call = () => spec.reshape(completed([PNG_BASE64, entry]));
      expect(call, entry).toThrow(UpstreamError);
      try {
        call();
      } catch (error) {
        expect((error as UpstreamError).kind).toBe('invalid-response');
      }
    }
  });
});
