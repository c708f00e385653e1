import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { encodeChunk, insertAfterIhdr, itxtChunk, readChunks, readTextChunk, textChunk, type PngChunk } from '@/lib/images/png-chunks';
import {
  a1111Parameters,
  MAX_RECIPE_FILE_BYTES,
  parseA1111Parameters,
  parseRecipe,
  readRecipeFile,
  RECIPE_MESSAGES,
  recipeChunks,
  recipeOf,
  recipeToSettings,
  withRecipe,
  type RecipeTask,
} from '@/lib/images/recipe';

const png = (width = 32, height = 18) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 60, b: 90 } } })
    .png()
    .toBuffer();

const task: RecipeTask = {
  id: '9b2f7c1e-0000-4000-8000-000000000001',
  prompt: 'a lighthouse in fog, "cinematic", 35mm',
  ratio: '1920:1080',
  seed: 4294967295,
  createdAt: '2026-12-03T10:20:30.000Z',
  model: 'runway',
  params: { prompt: 'a lighthouse in fog, "cinematic", 35mm', ratio: '1920:1080', seed: 4294967295 },
};

/** The text chunks of a file as [type, keyword, text]. */
function texts(file: Uint8Array) {
  return readChunks(file)
    .filter((c) => c.type === 'tEXt' || c.type === 'iTXt' || c.type === 'zTXt')
    .map((c) => {
      const entry = readTextChunk(c as PngChunk & { type: 'tEXt' | 'iTXt' });
      return [entry.type, entry.keyword, entry.text];
    });
}

/** A PNG carrying only the given text chunks, as another tool would write it. */
async function pngWith(...chunks: Uint8Array[]) {
  return insertAfterIhdr(await png(), chunks);
}

describe('writing the recipe', () => {
  it('writes the darkroom JSON (iTXt) and AUTOMATIC1111 parameters (tEXt) right after IHDR', async () => {
    const out = withRecipe(await png(), task);
    expect(
      readChunks(out)
        .map((c) => c.type)
        .slice(0, 3),
    ).toEqual(['IHDR', 'iTXt', 'tEXt']);
    const [[, darkroomKey, json], [, parametersKey, parameters]] = texts(out);
    expect(darkroomKey).toBe('darkroom');
    expect(JSON.parse(json!)).toEqual({ ...recipeOf(task), model: 'RunWay' });
    expect(Object.keys(JSON.parse(json!))).toEqual(['prompt', 'ratio', 'seed', 'model', 'taskId', 'createdAt']);
    expect(parametersKey).toBe('parameters');
    expect(parameters).toBe('a lighthouse in fog, "cinematic", 35mm\nSeed: 4294967295, Size: 1920x1080, Model: RunWay');
  });

  it('uses the picture’s own size when given, and is deterministic', async () => {
    expect(a1111Parameters({ ...task, image: { width: 1919, height: 1080 } })).toContain('Size: 1919x1080');
    const file = await png();
    expect(Buffer.from(withRecipe(file, task)).equals(Buffer.from(withRecipe(file, task)))).toBe(true);
  });

  it('writes parameters as iTXt when the prompt is not ASCII (tEXt is Latin-1, which some readers get wrong)', async () => {
    const prompt = '東京の夜景、ネオン 🌃 — naïve';
    const out = withRecipe(await png(), { ...task, prompt });
    expect(texts(out)).toEqual([
      ['iTXt', 'darkroom', JSON.stringify(recipeOf({ ...task, prompt }))],
      ['iTXt', 'parameters', `${prompt}\nSeed: 4294967295, Size: 1920x1080, Model: RunWay`],
    ]);
    expect(parseRecipe(out)).toEqual({ ok: true, recipe: { prompt, ratio: '1920:1080', seed: 4294967295 }, source: 'darkroom' });
    // Latin-1 beyond ASCII too: libvips (sharp) would read "crème" in a tEXt chunk as UTF-8 and garble it.
    const latin = withRecipe(await png(), { ...task, prompt: 'crème brûlée' });
    expect(texts(latin)[1]).toEqual(['iTXt', 'parameters', 'crème brûlée\nSeed: 4294967295, Size: 1920x1080, Model: RunWay']);
    expect((await sharp(latin).metadata()).comments).toContainEqual({
      keyword: 'parameters',
      text: 'crème brûlée\nSeed: 4294967295, Size: 1920x1080, Model: RunWay',
    });
  });

  it('replaces a recipe the file already carries, keeping one', async () => {
    const once = withRecipe(await png(), { ...task, prompt: 'first', seed: 1 });
    const twice = withRecipe(once, task);
    expect(texts(twice).map(([, keyword]) => keyword)).toEqual(['darkroom', 'parameters']);
    expect(parseRecipe(twice)).toMatchObject({ ok: true, recipe: { prompt: task.prompt, seed: task.seed } });
  });

  it('keeps other text chunks', async () => {
    const out = withRecipe(await pngWith(textChunk('Software', 'other tool')), task);
    expect(texts(out).map(([, keyword]) => keyword)).toEqual(['darkroom', 'parameters', 'Software']);
  });

  it('drops NUL characters from parameters (a text chunk cannot hold one) but keeps them in the JSON', async () => {
    const out = withRecipe(await png(), { ...task, prompt: 'a\u0000b' });
    expect(texts(out)[1][2]).toMatch(/^ab\n/);
    expect(parseRecipe(out)).toMatchObject({ ok: true, recipe: { prompt: 'a\u0000b' } });
  });
});

describe('reading a recipe', () => {
  it('round-trips the darkroom JSON, and it wins over parameters', async () => {
    const out = withRecipe(await png(), task);
    expect(parseRecipe(out)).toEqual({
      ok: true,
      recipe: { prompt: task.prompt, ratio: '1920:1080', seed: 4294967295 },
      source: 'darkroom',
    });
    expect(recipeToSettings({ prompt: 'p', ratio: '720:720', seed: 0 })).toEqual({ prompt: 'p', ratio: '720:720', seed: '0' });
    expect(recipeToSettings({ prompt: 'p' })).toEqual({ prompt: 'p' });
  });

  it('keeps a prompt over the limit as it is (the composer shows the error at its field)', async () => {
    const long = 'x'.repeat(5000);
    expect(parseRecipe(withRecipe(await png(), { ...task, prompt: long }))).toMatchObject({ ok: true, recipe: { prompt: long } });
  });

  it('parses AUTOMATIC1111 parameters with a negative prompt', async () => {
    const text = [
      'masterpiece, a red fox in snow,',
      'golden hour',
      'Negative prompt: blurry, lowres',
      'Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567, Size: 1024x1024, Model hash: abc123, Model: sdxl',
    ].join('\n');
    expect(parseA1111Parameters(text)).toEqual({
      prompt: 'masterpiece, a red fox in snow,\ngolden hour',
      seed: 1234567,
      ratio: '1024:1024',
    });
    expect(parseRecipe(await pngWith(textChunk('parameters', text)))).toEqual({
      ok: true,
      recipe: { prompt: 'masterpiece, a red fox in snow,\ngolden hour', seed: 1234567, ratio: '1024:1024' },
      source: 'a1111',
    });
  });

  it('leaves out a Size that is not one of the 16 ratios, and seeds Darkroom cannot use', () => {
    expect(parseA1111Parameters('a cat\nSteps: 30, Seed: 42, Size: 512x768')).toEqual({ prompt: 'a cat', seed: 42 });
    expect(parseA1111Parameters('a cat\nSteps: 30, Seed: -1, Size: 720x1280')).toEqual({ prompt: 'a cat', ratio: '720:1280' });
    expect(parseA1111Parameters('a cat\nSteps: 30, Seed: 4294967296, Size: 1080 x 1080')).toEqual({ prompt: 'a cat', ratio: '1080:1080' });
    expect(parseA1111Parameters('just a prompt')).toEqual({ prompt: 'just a prompt' });
    expect(parseA1111Parameters('Negative prompt: only this\nSteps: 20, Seed: 5')).toBeNull();
  });

  it('reads a Latin-1 tEXt parameters chunk as AUTOMATIC1111 writes one', async () => {
    const file = await pngWith(textChunk('parameters', 'crème brûlée\nSteps: 20, Seed: 3, Size: 960x720'));
    expect(parseRecipe(file)).toEqual({ ok: true, recipe: { prompt: 'crème brûlée', seed: 3, ratio: '960:720' }, source: 'a1111' });
  });

  it('reads Darkroom’s own parameters when the JSON is absent (Windows line ends too)', async () => {
    const text = a1111Parameters({ ...task, ratio: '1080:1920' }).replace('\n', '\r\n');
    expect(parseRecipe(await pngWith(textChunk('parameters', text)))).toEqual({
      ok: true,
      recipe: { prompt: task.prompt, ratio: '1080:1920', seed: 4294967295 },
      source: 'a1111',
    });
    const japanese = await pngWith(itxtChunk('parameters', '夜の港\nSeed: 7, Size: 1280x720, Model: RunWay'));
    expect(parseRecipe(japanese)).toEqual({ ok: true, recipe: { prompt: '夜の港', seed: 7, ratio: '1280:720' }, source: 'a1111' });
  });

  it('says so when a PNG carries no recipe', async () => {
    expect(parseRecipe(await png())).toEqual({ ok: false, error: 'This PNG carries no Darkroom or AUTOMATIC1111 settings.' });
    expect(parseRecipe(await pngWith(textChunk('Comment', 'hi')))).toEqual({ ok: false, error: RECIPE_MESSAGES.noRecipe });
  });

  it('says so when the file is not a PNG', async () => {
    const jpeg = await sharp(await png())
      .jpeg()
      .toBuffer();
    expect(parseRecipe(jpeg)).toEqual({ ok: false, error: 'This file is not a PNG image.' });
    expect(parseRecipe(new TextEncoder().encode('hello'))).toEqual({ ok: false, error: RECIPE_MESSAGES.notPng });
  });

  it('reports damage: a flipped byte in the recipe, a truncated file, JSON that is not a recipe', async () => {
    const out = withRecipe(await png(), task);
    const flipped = out.slice();
    flipped[33 + 8 + 20] ^= 0x20; // inside the darkroom chunk's data: its CRC no longer matches
    expect(parseRecipe(flipped)).toEqual({ ok: false, error: 'This PNG is damaged: its settings cannot be read.' });
    expect(parseRecipe(out.subarray(0, out.length - 20))).toEqual({ ok: false, error: RECIPE_MESSAGES.damaged });
    expect(parseRecipe(await pngWith(itxtChunk('darkroom', '{"prompt": "x"')))).toEqual({ ok: false, error: RECIPE_MESSAGES.damaged });
    const wrongRatio = JSON.stringify({ ...recipeOf(task), ratio: '1:1' });
    expect(parseRecipe(await pngWith(itxtChunk('darkroom', wrongRatio)))).toEqual({ ok: false, error: RECIPE_MESSAGES.damaged });
  });

  it('refuses oversized or compressed recipe chunks without decoding them', async () => {
    const big = await pngWith(textChunk('parameters', 'x'.repeat(70_000)));
    expect(parseRecipe(big)).toEqual({ ok: false, error: RECIPE_MESSAGES.tooLargeText });
    const ztxt = encodeChunk('zTXt', new Uint8Array([...new TextEncoder().encode('parameters'), 0, 0, 0x78, 0x9c, 0x03, 0x00]));
    expect(parseRecipe(await pngWith(ztxt))).toEqual({ ok: false, error: RECIPE_MESSAGES.compressed });
  });

  it('refuses a file over 20 MB before reading it', async () => {
    let read = false;
    const huge = {
      size: MAX_RECIPE_FILE_BYTES + 1,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    } as unknown as Blob;
    expect(await readRecipeFile(huge)).toEqual({ ok: false, error: RECIPE_MESSAGES.tooLargeFile });
    expect(read).toBe(false);
    const file = new Blob([new Uint8Array(withRecipe(await png(), task))], { type: 'image/png' });
    expect(await readRecipeFile(file)).toMatchObject({ ok: true, source: 'darkroom' });
  });

  it('makes the same two chunks recipeChunks returns', async () => {
    const [darkroom, parameters] = recipeChunks(task);
    const out = withRecipe(await png(), task);
    expect(Buffer.from(out.subarray(33, 33 + darkroom.length)).equals(Buffer.from(darkroom))).toBe(true);
    expect(Buffer.from(out.subarray(33 + darkroom.length, 33 + darkroom.length + parameters.length)).equals(Buffer.from(parameters))).toBe(
      true,
    );
  });
});
