import { z } from 'zod';
import { isModelId, modelOf, type ModelId } from '../freepik/models';
import { colorsText } from '../freepik/models/settings';
import { RATIOS, ratioSchema, seedSchema, SEED_MAX, type Ratio } from '../generation/schema';
import { storedBody } from '../generation/task-body';
import type { TaskView } from '../tasks/view';
import {
  chunkCrcOk,
  insertAfterIhdr,
  isPng,
  isTextChunk,
  itxtChunk,
  PngChunkError,
  readTextChunk,
  removeChunks,
  textChunk,
  textChunkKeyword,
  walkChunks,
  type TextEntry,
} from './png-chunks';

/**
 * A picture's recipe — prompt, ratio, seed — carried inside the downloaded PNG
 * (issue #12), and read back from a PNG someone drops on the studio. Shared by
 * the server and the browser (no Node APIs).
 *
 * Two text chunks, right after IHDR:
 * - `darkroom` (iTXt, UTF-8, uncompressed): JSON `{ prompt, ratio, seed, model: 'RunWay', taskId, createdAt }`,
 *   the exact recipe, preferred when reading. A picture of another model (issue #13) adds `modelId` and
 *   `params` (the body sent), names the model in `model`, puts the size option in `ratio` (e.g.
 *   `widescreen_16_9`) and has no `seed` when the model has none. RunWay's recipe is unchanged;
 * - `parameters`, AUTOMATIC1111's format, which sd-webui, exiftool and most
 *   image tools show: `<prompt>\nSeed: <seed>, Size: <w>x<h>, Model: RunWay`.
 *   tEXt when the text is plain ASCII, else an uncompressed iTXt (UTF-8).
 *   tEXt is Latin-1 by the PNG specification, and AUTOMATIC1111 (Pillow's
 *   `add_text`) puts any Latin-1 text there, but some readers — libvips, so
 *   sharp — decode tEXt as UTF-8 and garble "crème"; ASCII reads the same
 *   everywhere, and every reader (exiftool, Pillow/sd-webui, libvips) reads
 *   iTXt. Reading, tEXt is decoded as Latin-1, as the specification says.
 */

export const RECIPE_KEYWORD = 'darkroom';
export const PARAMETERS_KEYWORD = 'parameters';
export const RECIPE_MODEL = 'RunWay';

/** Files above this are refused before a byte is read (a RunWay PNG is at most a few MB). */
export const MAX_RECIPE_FILE_BYTES = 20 * 1024 * 1024;
/** Text chunks above this are not decoded: a prompt is at most a few KB. */
export const MAX_RECIPE_TEXT_BYTES = 64 * 1024;

export const RECIPE_MESSAGES = {
  notPng: 'This file is not a PNG image.',
  tooLargeFile: 'This file is larger than 20 MB; settings are read only from PNGs up to 20 MB.',
  noRecipe: 'This PNG carries no Darkroom or AUTOMATIC1111 settings.',
  damaged: 'This PNG is damaged: its settings cannot be read.',
  tooLargeText: 'The settings in this PNG are larger than 64 KB, too large to be a prompt.',
  compressed: 'The settings in this PNG are compressed, which Darkroom does not read.',
  unreadable: 'This file could not be read.',
} as const;

/** What the `darkroom` chunk holds. Extra keys are ignored when reading, so a later version may add some. */
export const darkroomRecipeSchema = z.union([
  z.object({
    prompt: z.string(),
    ratio: ratioSchema,
    seed: seedSchema,
    model: z.literal(RECIPE_MODEL),
    taskId: z.string().min(1),
    createdAt: z.string(),
  }),
  z.object({
    prompt: z.string(),
    ratio: z.string(),
    seed: z.number().int().min(0).optional(),
    model: z.string(),
    modelId: z.string().refine(isModelId),
    params: z.record(z.string(), z.unknown()),
    taskId: z.string().min(1),
    createdAt: z.string(),
  }),
]);
export type DarkroomRecipe = z.infer<typeof darkroomRecipeSchema>;

/**
 * The settings read from a PNG. The prompt is kept as it is, even over
 * PROMPT_MAX: the composer shows the too-long error at its field. Ratio and
 * seed follow the generation schema or are left out.
 */
export const recipeSchema = z.object({
  prompt: z.string().refine((s) => s.trim().length > 0, { message: 'The recipe has no prompt.' }),
  ratio: z.string().optional(),
  seed: seedSchema.optional(),
  /** Another model than RunWay, with its Advanced settings as the form holds them (Darkroom recipes only). */
  model: z.string().optional(),
  settings: z.record(z.string(), z.string()).optional(),
});
export type Recipe = z.infer<typeof recipeSchema>;

export type RecipeSource = 'darkroom' | 'a1111';
export type RecipeResult = { ok: true; recipe: Recipe; source: RecipeSource } | { ok: false; error: string };

/** What the composer takes: text, as its controls hold it (an absent seed means "random"). */
export type LoadedSettings = { prompt: string; ratio?: string; seed?: string; model?: ModelId; settings?: Record<string, string> };

/** The parts of a task a recipe is made of (a whole TaskView will do). */
export type RecipeTask = Pick<TaskView, 'id' | 'prompt' | 'ratio' | 'seed' | 'createdAt' | 'model' | 'params'> & {
  /** The picture's pixel size for `Size:`; the ratio's size when absent. */
  image?: { width: number; height: number } | null;
};

// ── Writing ──────────────────────────────────────────────────────────────────

export function recipeOf(task: RecipeTask): DarkroomRecipe {
  // Key order fixed here, so the same task always yields the same bytes (the download's ETag relies on it).
  if (task.model !== 'runway') {
    const spec = modelOf(task.model);
    return {
      prompt: task.prompt,
      ratio: spec.fromBody(task.params).size,
      ...(task.seed === null ? {} : { seed: task.seed }),
      model: spec.name,
      modelId: spec.id,
      params: task.params,
      taskId: task.id,
      createdAt: task.createdAt,
    };
  }
  return {
    prompt: task.prompt,
    ratio: task.ratio as Ratio,
    seed: task.seed ?? 0,
    model: RECIPE_MODEL,
    taskId: task.id,
    createdAt: task.createdAt,
  };
}

/** AUTOMATIC1111's `parameters` text: `<prompt>\nSeed: <seed>, Size: <w>x<h>, Model: RunWay`. */
export function a1111Parameters(task: RecipeTask): string {
  const [w, h] = task.ratio.split(':').map(Number);
  const { width, height } = task.image ?? { width: w, height: h };
  // NUL cannot stand in a PNG text chunk; a prompt never has one worth keeping.
  const prompt = task.prompt.replace(/\u0000/g, '');
  const seed = task.seed === null ? '' : `Seed: ${task.seed}, `;
  return `${prompt}\n${seed}Size: ${width}x${height}, Model: ${modelOf(task.model).name}`;
}

const isAscii = (text: string) => /^[\u0000-\u007f]*$/.test(text);

/** The two text chunks, encoded: `darkroom` (iTXt JSON), then `parameters` (tEXt when ASCII, else iTXt). */
export function recipeChunks(task: RecipeTask): Uint8Array[] {
  const parameters = a1111Parameters(task);
  return [
    itxtChunk(RECIPE_KEYWORD, JSON.stringify(recipeOf(task))),
    isAscii(parameters) ? textChunk(PARAMETERS_KEYWORD, parameters) : itxtChunk(PARAMETERS_KEYWORD, parameters),
  ];
}

const isRecipeKeyword = (keyword: string) => keyword === RECIPE_KEYWORD || keyword === PARAMETERS_KEYWORD;

/**
 * The PNG with the task's recipe right after IHDR. Recipe chunks the file
 * already had (a downloaded picture imported again) are dropped first, so the
 * file carries one recipe: this task's. The input is not changed.
 */
export function withRecipe(png: Uint8Array, task: RecipeTask): Uint8Array {
  const without = removeChunks(png, (chunk) => isTextChunk(chunk) && isRecipeKeyword(textChunkKeyword(chunk)));
  return insertAfterIhdr(without, recipeChunks(task));
}

// ── Reading ──────────────────────────────────────────────────────────────────

const fail = (error: string): RecipeResult => ({ ok: false, error });

/**
 * The recipe in a PNG's bytes: the `darkroom` JSON when there is one, else
 * AUTOMATIC1111 `parameters`. Never decodes a pixel: walks the chunks with
 * bounds checks, checks the CRC of the recipe chunks, decodes no text chunk
 * over MAX_RECIPE_TEXT_BYTES and inflates nothing. The whole chunk structure
 * must be sound (a truncated file is reported damaged).
 */
export function parseRecipe(bytes: Uint8Array): RecipeResult {
  if (!isPng(bytes)) return fail(RECIPE_MESSAGES.notPng);
  const found: Partial<Record<typeof RECIPE_KEYWORD | typeof PARAMETERS_KEYWORD, TextEntry>> = {};
  try {
    for (const chunk of walkChunks(bytes)) {
      if (!isTextChunk(chunk)) continue;
      const keyword = textChunkKeyword(chunk);
      if (!isRecipeKeyword(keyword) || found[keyword as keyof typeof found]) continue;
      if (!chunkCrcOk(chunk)) return fail(RECIPE_MESSAGES.damaged);
      found[keyword as keyof typeof found] = readTextChunk(chunk, MAX_RECIPE_TEXT_BYTES);
    }
  } catch (error) {
    if (error instanceof PngChunkError) return fail(error.kind === 'not-png' ? RECIPE_MESSAGES.notPng : RECIPE_MESSAGES.damaged);
    throw error;
  }

  const unreadable = (entry: TextEntry) =>
    fail(entry.text === null && entry.unreadable === 'too-large' ? RECIPE_MESSAGES.tooLargeText : RECIPE_MESSAGES.compressed);

  const darkroom = found[RECIPE_KEYWORD];
  if (darkroom) {
    if (darkroom.text === null) return unreadable(darkroom);
    const recipe = parseDarkroomJson(darkroom.text);
    if (!recipe) return fail(RECIPE_MESSAGES.damaged);
    return { ok: true, recipe: darkroomToRecipe(recipe), source: 'darkroom' };
  }
  const parameters = found[PARAMETERS_KEYWORD];
  if (parameters) {
    if (parameters.text === null) return unreadable(parameters);
    const recipe = parseA1111Parameters(parameters.text);
    if (recipe) return { ok: true, recipe, source: 'a1111' };
  }
  return fail(RECIPE_MESSAGES.noRecipe);
}

/**
 * A Darkroom recipe in the composer's terms. Another model's recipe brings its model, size option, seed and
 * Advanced settings back through its module (parameters it cannot read are left out: the prompt still loads).
 */
function darkroomToRecipe(recipe: DarkroomRecipe): Recipe {
  if (!('modelId' in recipe)) return { prompt: recipe.prompt, ratio: recipe.ratio, seed: recipe.seed };
  const { body } = (() => {
    try {
      return storedBody({ model: recipe.modelId, params: recipe.params, prompt: recipe.prompt, ratio: '', seed: null });
    } catch {
      return { body: null };
    }
  })();
  if (!body) return { prompt: recipe.prompt, model: recipe.modelId };
  const request = modelOf(recipe.modelId).fromBody(body);
  const settings = Object.fromEntries(
    Object.entries(request.settings).map(([name, value]) => [name, Array.isArray(value) ? colorsText(value) : String(value)]),
  );
  return { prompt: recipe.prompt, model: recipe.modelId, ratio: request.size, seed: request.seed, settings };
}

/** The `darkroom` chunk's JSON, or null when it is not JSON or not a recipe. */
export function parseDarkroomJson(text: string): DarkroomRecipe | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = darkroomRecipeSchema.safeParse(value);
  return parsed.success && parsed.data.prompt.trim() !== '' ? parsed.data : null;
}

const PROMPT_END = /^(Negative prompt:|Steps:|Seed:)/;
const SETTINGS_LINE = /^(Steps|Seed):/;

/**
 * AUTOMATIC1111's `parameters`: the prompt is the text before the first line
 * starting with "Negative prompt:", "Steps:" or "Seed:"; the settings line is
 * the last line starting with "Steps:" or "Seed:" (sd-webui writes
 * `Steps: 20, Sampler: …, Seed: 1234, Size: 512x768, …`). `Seed` is kept when
 * it is a Darkroom seed (0–4294967295; sd-webui's −1 means "random", which an
 * empty seed means here too); `Size` becomes the ratio only when `W:H` is one
 * of the 16 RunWay ratios. Null when there is no prompt.
 */
export function parseA1111Parameters(text: string): Recipe | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const end = lines.findIndex((line) => PROMPT_END.test(line));
  const prompt = (end < 0 ? lines : lines.slice(0, end)).join('\n').trim();
  const settings =
    end < 0
      ? undefined
      : lines
          .slice(end)
          .reverse()
          .find((line) => SETTINGS_LINE.test(line));

  const recipe: Recipe = { prompt };
  if (settings) {
    const fields = new Map<string, string>();
    for (const part of settings.split(',')) {
      const colon = part.indexOf(':');
      if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
    }
    const seedText = fields.get('Seed');
    if (seedText && /^\d{1,10}$/.test(seedText) && Number(seedText) <= SEED_MAX) recipe.seed = Number(seedText);
    const size = /^(\d{1,5})\s*x\s*(\d{1,5})$/.exec(fields.get('Size') ?? '');
    const ratio = size ? `${Number(size[1])}:${Number(size[2])}` : null;
    if (ratio && (RATIOS as readonly string[]).includes(ratio)) recipe.ratio = ratio as Recipe['ratio'];
  }
  const parsed = recipeSchema.safeParse(recipe);
  return parsed.success ? parsed.data : null;
}

/**
 * Reads the recipe from a file chosen or dropped in the browser (any Blob).
 * Hostile until checked: over MAX_RECIPE_FILE_BYTES is refused before a byte
 * is read; the rest goes through parseRecipe.
 */
export async function readRecipeFile(file: Blob): Promise<RecipeResult> {
  if (file.size > MAX_RECIPE_FILE_BYTES) return fail(RECIPE_MESSAGES.tooLargeFile);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return fail(RECIPE_MESSAGES.unreadable);
  }
  return parseRecipe(bytes);
}

/** The recipe as the composer's controls hold it (the seed as text). */
export function recipeToSettings(recipe: Recipe): LoadedSettings {
  const settings: LoadedSettings = { prompt: recipe.prompt };
  if (recipe.ratio !== undefined) settings.ratio = recipe.ratio;
  if (recipe.seed !== undefined) settings.seed = String(recipe.seed);
  if (recipe.model !== undefined && isModelId(recipe.model)) settings.model = recipe.model;
  if (recipe.settings !== undefined) settings.settings = recipe.settings;
  return settings;
}
