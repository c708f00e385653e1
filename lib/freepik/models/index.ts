import { fluxDevModel } from './flux-dev';
import { fluxProModel } from './flux-pro';
import { hyperfluxModel } from './hyperflux';
import { imagen3Model } from './imagen3';
import { mysticModel } from './mystic';
import { runwayModel } from './runway';
import { seedreamModel } from './seedream';
import { MODEL_IDS, type ModelId, type ModelSpec, type SizeOption } from './types';

/**
 * The registry of text-to-image models (issue #13): the one place that maps a model id to its module. RunWay
 * comes first and is the default.
 */
export const MODELS: Record<ModelId, ModelSpec> = {
  runway: runwayModel,
  'flux-dev': fluxDevModel,
  hyperflux: hyperfluxModel,
  'flux-pro-v1-1': fluxProModel,
  'seedream-v4': seedreamModel,
  imagen3: imagen3Model,
  mystic: mysticModel,
};

export const DEFAULT_MODEL: ModelId = 'runway';

/** The models in the order the Model control lists them. */
export const MODEL_LIST: readonly ModelSpec[] = MODEL_IDS.map((id) => MODELS[id]);

export function isModelId(value: unknown): value is ModelId {
  return typeof value === 'string' && (MODEL_IDS as readonly string[]).includes(value);
}

/**
 * The module of a stored task's model. Tasks from before the registry have none and are RunWay's; any other
 * value is a bug (the column is written from validated input only), so it throws rather than send RunWay.
 */
export function modelOf(id: string | null | undefined): ModelSpec {
  if (id === null || id === undefined) return runwayModel;
  if (!isModelId(id)) throw new Error(`unknown model ${JSON.stringify(id)}`);
  return MODELS[id];
}

/** The size options of a model with these settings (Mystic's `fluid` narrows them; see ModelSpec.sizesFor). */
export function sizeOptionsFor(model: ModelSpec, settings: Record<string, unknown>): readonly SizeOption[] {
  return model.sizesFor?.(settings) ?? model.sizes;
}

export { MODEL_IDS, type ModelId, type ModelRequest, type ModelSpec, type SeedRule, type SettingField, type SizeOption } from './types';
