import { describe, expect, it } from 'vitest';
import { MODELS } from '@/lib/freepik/models';
import { consecutiveSeeds, planPictures } from '@/lib/generation/plan';
import { draftOfTask, settingsOfTask, switchModel, withSettings } from '@/lib/generation/model-draft';
import { fieldErrorsOf, generationInputSchema, type GenerationDraft } from '@/lib/generation/schema';
import { storedBody } from '@/lib/generation/task-body';

/**
 * The request schema, the plan and the composer's draft with every model (issue #13): one schema checks each
 * model's own rules, the plan turns a request into exact bodies, and a task's stored body goes back into the
 * composer unchanged.
 */
function errorsFor(input: Record<string, unknown>) {
  const result = generationInputSchema.safeParse(input);
  return result.success ? {} : fieldErrorsOf(result.error);
}

const draft = (patch: Partial<GenerationDraft> = {}): GenerationDraft => ({
  model: 'runway',
  prompt: 'a red fox in snow',
  ratio: '1920:1080',
  seed: '',
  variations: '1',
  settings: {},
  compare: [],
  ...patch,
});

describe('the request schema, per model', () => {
  it('takes each model’s own sizes and refuses another model’s', () => {
    expect(errorsFor(draft({ model: 'flux-dev', ratio: 'widescreen_16_9' }))).toEqual({});
    expect(errorsFor(draft({ model: 'flux-dev', ratio: '1920:1080' }))).toEqual({ ratio: 'Choose one of the listed aspect ratios.' });
    expect(errorsFor(draft({ model: 'runway', ratio: 'widescreen_16_9' }))).toEqual({ ratio: 'Choose one of the listed aspect ratios.' });
    // Mystic offers no 4:5 (the spec's value is misspelt: ADR 0016).
    expect(errorsFor(draft({ model: 'mystic', ratio: 'social_post_4_5' })).ratio).toBeDefined();
    // Mystic's fluid takes five ratios only: said at the size field.
    expect(errorsFor(draft({ model: 'mystic', ratio: 'standard_3_2', settings: { mystic_model: 'fluid' } })).ratio).toMatch(
      /with these settings/,
    );
  });

  it('checks the seed against the model’s range, and refuses one where the model has none', () => {
    expect(errorsFor(draft({ model: 'seedream-v4', ratio: 'square_1_1', seed: '2147483647' }))).toEqual({});
    expect(errorsFor(draft({ model: 'seedream-v4', ratio: 'square_1_1', seed: '2147483648' }))).toEqual({
      seed: 'The seed must be between 0 and 2147483647.',
    });
    expect(errorsFor(draft({ model: 'flux-dev', ratio: 'square_1_1', seed: '0' }))).toEqual({
      seed: 'The seed must be between 1 and 4294967295.',
    });
    expect(errorsFor(draft({ model: 'imagen3', ratio: 'square_1_1', seed: '5' }))).toEqual({
      seed: 'Imagen 3 has no seed: leave it empty.',
    });
  });

  it('reports a bad Advanced setting at its own field, and an unknown one', () => {
    expect(errorsFor(draft({ model: 'seedream-v4', ratio: 'square_1_1', settings: { guidance_scale: '21' } }))).toEqual({
      'settings.guidance_scale': expect.stringMatching(/from 0 to 20/),
    });
    expect(Object.keys(errorsFor(draft({ model: 'runway', settings: { guidance_scale: '2' } })))).toEqual(['settings']);
  });

  it('caps prompts per model: RunWay’s documented 1000, Darkroom’s 4000 elsewhere (and says whose)', () => {
    expect(errorsFor(draft({ prompt: 'x'.repeat(1001) })).prompt).toMatch(/at most 1000/);
    expect(errorsFor(draft({ model: 'flux-dev', ratio: 'square_1_1', prompt: 'x'.repeat(4000) }))).toEqual({});
    expect(errorsFor(draft({ model: 'flux-dev', ratio: 'square_1_1', prompt: 'x'.repeat(4001) })).prompt).toMatch(/documents no limit/);
    // Comparing, the tightest limit of the compared models applies.
    expect(
      errorsFor(draft({ prompt: 'x'.repeat(1001), model: 'flux-dev', ratio: 'square_1_1', compare: ['flux-dev', 'runway'] })).prompt,
    ).toMatch(/at most 1000/);
  });

  it('compares 2 to 4 different models, one picture each', () => {
    expect(errorsFor(draft({ compare: ['runway', 'flux-dev'] }))).toEqual({});
    expect(errorsFor(draft({ compare: ['runway'] })).compare).toMatch(/2 to 4 different models/);
    expect(errorsFor(draft({ compare: ['runway', 'runway'] })).compare).toMatch(/2 to 4 different models/);
    expect(errorsFor(draft({ compare: ['runway', 'flux-dev', 'hyperflux', 'imagen3', 'mystic'] })).compare).toBeDefined();
    expect(errorsFor(draft({ compare: ['runway', 'flux-dev'], variations: '2' })).variations).toMatch(/one picture per model/);
    // A seed beyond one compared model's range names that model.
    expect(errorsFor(draft({ compare: ['runway', 'seedream-v4'], seed: '3000000000' })).seed).toMatch(/Seedream 4's range/);
  });

  it('reports every bad field at once, even when one of them fails to parse', () => {
    expect(Object.keys(errorsFor(draft({ model: 'flux-dev', prompt: '', ratio: 'nope', seed: 'x' }))).sort()).toEqual([
      'prompt',
      'ratio',
      'seed',
    ]);
  });
});

describe('the plan: a request becomes exact bodies', () => {
  const parse = (d: GenerationDraft) => generationInputSchema.parse(d);

  it('Variations of a seeded model: consecutive seeds within the model’s range, wrapping to its start', () => {
    const pictures = planPictures(parse(draft({ model: 'flux-dev', ratio: 'standard_3_2', seed: '4294967294', variations: '3' })));
    expect(pictures.map((p) => p.seed)).toEqual([4294967294, 4294967295, 1]);
    expect(pictures[0]).toMatchObject({ model: 'flux-dev', ratio: '1248:832', body: { aspect_ratio: 'standard_3_2', seed: 4294967294 } });
    expect(consecutiveSeeds({ min: 0, max: 9 }, 8, 4)).toEqual([8, 9, 0, 1]);
  });

  it('a model without a seed: no seed anywhere, Imagen asks for one picture per task', () => {
    const pictures = planPictures(parse(draft({ model: 'imagen3', ratio: 'widescreen_16_9', variations: '2' })));
    expect(pictures).toHaveLength(2);
    for (const p of pictures) {
      expect(p.seed).toBeNull();
      expect(p.body).toEqual({ prompt: 'a red fox in snow', num_images: 1, aspect_ratio: 'widescreen_16_9' });
    }
  });

  it('settings go into the body where the model documents them; unset ones are left out', () => {
    const [picture] = planPictures(
      parse(draft({ model: 'flux-pro-v1-1', ratio: 'square_1_1', seed: '9', settings: { safety_tolerance: '4', output_format: '' } })),
    );
    expect(picture.body).toEqual({ prompt: 'a red fox in snow', aspect_ratio: 'square_1_1', seed: 9, safety_tolerance: 4 });
  });

  it('Compare: each model in the order chosen, the closest shape, one seed for the seeded ones, settings for the picked model only', () => {
    const pictures = planPictures(
      parse(
        draft({
          model: 'seedream-v4',
          ratio: 'social_story_9_16',
          seed: '77',
          settings: { guidance_scale: '9' },
          compare: ['seedream-v4', 'runway', 'imagen3'],
        }),
      ),
    );
    expect(pictures.map((p) => p.model)).toEqual(['seedream-v4', 'runway', 'imagen3']);
    expect(pictures[0].body).toEqual({ prompt: 'a red fox in snow', aspect_ratio: 'social_story_9_16', guidance_scale: 9, seed: 77 });
    expect(pictures[1].body).toEqual({ prompt: 'a red fox in snow', ratio: '1080:1920', seed: 77 });
    expect(pictures[2].body).toEqual({ prompt: 'a red fox in snow', num_images: 1, aspect_ratio: 'social_story_9_16' });
  });

  it('Compare without a seed picks one that every compared model accepts', () => {
    for (let i = 0; i < 20; i++) {
      const pictures = planPictures(parse(draft({ compare: ['runway', 'flux-dev', 'seedream-v4'] })));
      const seeds = new Set(pictures.map((p) => p.seed));
      expect(seeds.size).toBe(1);
      const [seed] = seeds;
      expect(seed).toBeGreaterThanOrEqual(1);
      expect(seed).toBeLessThanOrEqual(2147483647);
    }
  });
});

describe('the composer and a task’s stored body', () => {
  it('switching models keeps the prompt and the closest shape; a seed only where the new model takes it', () => {
    const tall = draft({ ratio: '1080:1920', seed: '3000000000', settings: {} });
    expect(switchModel(tall, 'flux-dev')).toMatchObject({
      model: 'flux-dev',
      prompt: tall.prompt,
      ratio: 'social_story_9_16',
      seed: '3000000000',
    });
    expect(switchModel(tall, 'seedream-v4')).toMatchObject({ ratio: 'social_story_9_16', seed: '' });
    expect(switchModel(draft({ ratio: '2112:912' }), 'mystic').ratio).toBe('smartphone_horizontal_20_9'); // ≈21:9 → 20:9
    expect(switchModel(draft({ model: 'flux-dev', ratio: 'social_post_4_5' }), 'mystic').ratio).toBe('traditional_3_4');
    expect(
      switchModel(draft({ model: 'flux-dev', ratio: 'square_1_1', settings: { effect_color: 'vibrant' } }), 'imagen3').settings,
    ).toEqual({});
  });

  it('settings that narrow the sizes move the size to the closest one offered', () => {
    const wide = draft({ model: 'mystic', ratio: 'smartphone_horizontal_20_9' });
    expect(withSettings(wide, { mystic_model: 'fluid' }).ratio).toBe('widescreen_16_9');
    expect(withSettings(wide, { mystic_model: 'zen' }).ratio).toBe('smartphone_horizontal_20_9');
  });

  it('Edit puts a task’s model, size, seed and settings back as the composer holds them', () => {
    const body = {
      prompt: 'owl',
      aspect_ratio: 'classic_4_3',
      seed: 12,
      styling: { effects: { color: 'vibrant' }, colors: [{ color: '#FF8800', weight: 0.5 }] },
    };
    const task = { model: 'flux-dev', params: JSON.stringify(body), prompt: 'owl', ratio: '1152:864', seed: 12 };
    expect(draftOfTask(task, { variations: '2' })).toEqual({
      model: 'flux-dev',
      prompt: 'owl',
      ratio: 'classic_4_3',
      seed: '12',
      variations: '2',
      settings: { effect_color: 'vibrant', colors: '#FF8800 0.5' },
      compare: [],
    });
    expect(settingsOfTask(task)).toEqual([
      { label: 'Colour effect', value: expect.any(String) },
      { label: 'Colours', value: '#FF8800 0.5' },
    ]);
  });

  it('a RunWay task from before models existed (no params) reads as its prompt, ratio and seed', () => {
    const legacy = { model: null, params: null, prompt: 'fox', ratio: '1024:1024', seed: 5n };
    expect(storedBody(legacy)).toEqual({ spec: MODELS.runway, body: { prompt: 'fox', ratio: '1024:1024', seed: 5 } });
    expect(draftOfTask(legacy, { variations: '1' })).toMatchObject({ model: 'runway', ratio: '1024:1024', seed: '5' });
  });

  it('refuses stored parameters its model would not send (a corrupted row is an error, not a request)', () => {
    expect(() =>
      storedBody({ model: 'flux-dev', params: '{"prompt":"x","aspect_ratio":"1920:1080"}', prompt: 'x', ratio: '1:1', seed: null }),
    ).toThrow();
    expect(() => storedBody({ model: 'dall-e', params: null, prompt: 'x', ratio: '1:1', seed: null })).toThrow(/unknown model/);
  });
});
