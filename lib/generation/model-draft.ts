import { DEFAULT_MODEL, isModelId, modelOf, MODELS, sizeOptionsFor, type ModelSpec, type SizeOption } from '../freepik/models';
import { colorsText } from '../freepik/models/settings';
import { closestSize } from '../freepik/models/sizes';
import type { GenerationDraft } from './schema';
import { storedBody, type StoredTaskParams } from './task-body';

/**
 * The composer's draft and a task's model, both ways (client-safe): which model a draft is for, what a draft
 * becomes when the person picks another model, a task's settings back into the composer (Edit), and the
 * settings the viewer lists.
 */

export function specOfDraft(draft: Pick<GenerationDraft, 'model'>): ModelSpec {
  return MODELS[isModelId(draft.model) ? draft.model : DEFAULT_MODEL];
}

/**
 * The models a Generate of this draft sends to: the compared ones while Compare is on (unknown ids left out),
 * else the draft's model. The seed field applies when any of them has a seed; the tightest prompt cap applies.
 */
export function modelsOfDraft(draft: Pick<GenerationDraft, 'model' | 'compare'>): ModelSpec[] {
  const compared = draft.compare.filter(isModelId).map((id) => MODELS[id]);
  return compared.length ? compared : [specOfDraft(draft)];
}

/** The sizes the draft's model offers with the draft's settings (Mystic's fluid narrows them). */
export function sizesOfDraft(draft: Pick<GenerationDraft, 'model' | 'settings'>): readonly SizeOption[] {
  const spec = specOfDraft(draft);
  const settings = spec.settingsSchema.safeParse(draft.settings);
  return sizeOptionsFor(spec, settings.success ? settings.data : {});
}

/** The size option a draft holds, or the model's default when it offers no such option. */
export function sizeOfDraft(draft: Pick<GenerationDraft, 'model' | 'ratio'>) {
  const spec = specOfDraft(draft);
  return spec.sizes.find((s) => s.id === draft.ratio) ?? spec.sizes.find((s) => s.id === spec.defaultSize) ?? spec.sizes[0];
}

/** New settings; when they narrow the sizes past the one chosen, the closest shape that is offered. */
export function withSettings(draft: GenerationDraft, settings: Record<string, string>): GenerationDraft {
  const next = { ...draft, settings };
  const sizes = sizesOfDraft(next);
  if (sizes.some((s) => s.id === draft.ratio)) return next;
  const size = sizeOfDraft(draft);
  return { ...next, ratio: closestSize(sizes, size.width, size.height).id };
}

/**
 * Another model: the prompt stays, the size becomes that model's option closest in shape, a seed stays only
 * where the new model takes it, and the Advanced settings (each model has its own) start at the defaults.
 */
export function switchModel(draft: GenerationDraft, model: string): GenerationDraft {
  if (!isModelId(model) || model === draft.model) return draft;
  const next = MODELS[model];
  const size = sizeOfDraft(draft);
  const seed = Number(draft.seed);
  const keepSeed =
    next.seed !== null && draft.seed.trim() !== '' && Number.isInteger(seed) && seed >= next.seed.min && seed <= next.seed.max;
  return {
    ...draft,
    model,
    ratio: closestSize(next.sizes, size.width, size.height).id,
    seed: keepSeed ? draft.seed : '',
    settings: {},
    compare: draft.compare.length ? [model, ...draft.compare.filter((m) => m !== model)].slice(0, 4) : [],
  };
}

/** A setting's value as its control holds it (text). */
function settingText(value: unknown): string {
  if (Array.isArray(value)) return colorsText(value);
  if (typeof value === 'boolean') return value ? 'on' : '';
  return value === undefined || value === null ? '' : String(value);
}

/** Edit: a task's model, prompt, size, seed and settings, as the composer holds them. */
export function draftOfTask(task: StoredTaskParams, keep: Pick<GenerationDraft, 'variations'>): GenerationDraft {
  const { spec, body } = storedBody(task);
  const request = spec.fromBody(body);
  return {
    model: spec.id,
    prompt: request.prompt,
    ratio: request.size,
    seed: request.seed === undefined ? '' : String(request.seed),
    variations: keep.variations,
    settings: Object.fromEntries(Object.entries(request.settings).map(([name, value]) => [name, settingText(value)])),
    compare: [],
  };
}

/** The settings a task was made with, labelled as the Advanced section labels them (only the ones set). */
export function settingsOfTask(task: StoredTaskParams): Array<{ label: string; value: string }> {
  const { spec, body } = storedBody(task);
  const { settings } = spec.fromBody(body);
  return spec.settingsFields.flatMap((field) => {
    const value = settings[field.name];
    if (value === undefined) return [];
    if (field.kind === 'checkbox') return [{ label: field.label, value: value ? 'On' : 'Off' }];
    if (field.kind === 'select') {
      return [{ label: field.label, value: field.options.find((o) => o.value === value)?.label ?? String(value) }];
    }
    return [{ label: field.label, value: settingText(value) }];
  });
}

/** The size option a task asked for, as the viewer names it ("16:9 · 1344 × 756"). */
export function sizeLabelOfTask(task: StoredTaskParams): string {
  const { spec, body } = storedBody(task);
  const id = spec.fromBody(body).size;
  const option = spec.sizes.find((s) => s.id === id);
  return option ? option.label : id;
}

/** "seed 42", or the model's name for a picture without a seed ("Imagen 3"): how captions tell pictures apart. */
export function seedLabel(task: { model: string; seed: number | null }): string {
  return task.seed === null ? modelOf(task.model).name : `seed ${task.seed}`;
}
