import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { insertAfterIhdr, itxtChunk } from '@/lib/images/png-chunks';
import { a1111Parameters, parseRecipe, recipeOf, recipeToSettings, withRecipe, type RecipeTask } from '@/lib/images/recipe';

/**
 * The recipe of a picture made by another model than RunWay (issues #12 and #13): the download names the model
 * and carries the exact body; loading it back fills the composer with that model, its size option, seed and
 * Advanced settings. RunWay's recipe stays as it was.
 */
const png = () =>
  sharp({ create: { width: 24, height: 18, channels: 3, background: { r: 10, g: 20, b: 30 } } })
    .png()
    .toBuffer();

const flux: RecipeTask = {
  id: '9b2f7c1e-0000-4000-8000-0000000000f1',
  prompt: 'a glass teapot',
  ratio: '1152:864',
  seed: 77,
  createdAt: '2026-12-04T10:00:00.000Z',
  model: 'flux-dev',
  params: {
    prompt: 'a glass teapot',
    aspect_ratio: 'classic_4_3',
    seed: 77,
    styling: { effects: { color: 'vibrant' }, colors: [{ color: '#FF8800', weight: 0.5 }] },
  },
  image: { width: 1152, height: 864 },
};

const imagen: RecipeTask = {
  id: '9b2f7c1e-0000-4000-8000-0000000000f2',
  prompt: 'an owl',
  ratio: '1344:756',
  seed: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  model: 'imagen3',
  params: { prompt: 'an owl', num_images: 1, aspect_ratio: 'widescreen_16_9' },
};

describe('recipes of other models', () => {
  it('writes the model, its size option and the body; parameters name the model', () => {
    expect(recipeOf(flux)).toEqual({
      prompt: 'a glass teapot',
      ratio: 'classic_4_3',
      seed: 77,
      model: 'Flux Dev',
      modelId: 'flux-dev',
      params: flux.params,
      taskId: flux.id,
      createdAt: flux.createdAt,
    });
    expect(a1111Parameters(flux)).toBe('a glass teapot\nSeed: 77, Size: 1152x864, Model: Flux Dev');
    // No seed to write for a model without one.
    expect(a1111Parameters(imagen)).toBe('an owl\nSize: 1344x756, Model: Imagen 3');
    expect(recipeOf(imagen)).not.toHaveProperty('seed');
  });

  it('loads back into the composer with the model, size, seed and settings', async () => {
    const read = parseRecipe(withRecipe(await png(), flux));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(recipeToSettings(read.recipe)).toEqual({
      prompt: 'a glass teapot',
      model: 'flux-dev',
      ratio: 'classic_4_3',
      seed: '77',
      settings: { effect_color: 'vibrant', colors: '#FF8800 0.5' },
    });
    const owl = parseRecipe(withRecipe(await png(), imagen));
    expect(owl.ok && recipeToSettings(owl.recipe)).toEqual({ prompt: 'an owl', model: 'imagen3', ratio: 'widescreen_16_9', settings: {} });
  });

  it('a recipe changed after it was written is refused as damaged (its CRC), never half read', async () => {
    const bytes = withRecipe(await png(), flux);
    const text = Buffer.from(bytes).toString('latin1').replace('"aspect_ratio":"classic_4_3"', '"aspect_ratio":"classic_9_9"');
    expect(parseRecipe(Buffer.from(text, 'latin1'))).toEqual({ ok: false, error: expect.stringMatching(/damaged/) });
  });

  it('a well-formed recipe whose body its model would not send loads the prompt and the model only', async () => {
    const json = JSON.stringify({ ...recipeOf(flux), params: { prompt: 'a glass teapot', aspect_ratio: 'classic_9_9' } });
    const read = parseRecipe(insertAfterIhdr(await png(), [itxtChunk('darkroom', json)]));
    expect(read.ok && recipeToSettings(read.recipe)).toEqual({ prompt: 'a glass teapot', model: 'flux-dev' });
  });
});
