import { modelOf, type ModelSpec } from '../freepik/models';

/**
 * The body a task sends upstream, from its stored columns: `params` (JSON, written from a model's toBody and
 * validated by its bodySchema) or, for RunWay tasks from before issue #13, prompt + ratio + seed.
 * Client-safe: the viewer and the composer read a task's settings through it too.
 */
export type StoredTaskParams = {
  model: string | null;
  params: string | Record<string, unknown> | null;
  prompt: string;
  ratio: string;
  seed: number | bigint | null;
};

export function storedBody(task: StoredTaskParams): { spec: ModelSpec; body: Record<string, unknown> } {
  const spec = modelOf(task.model);
  if (task.params === null) {
    const legacy = { prompt: task.prompt, ratio: task.ratio, ...(task.seed === null ? {} : { seed: Number(task.seed) }) };
    return { spec, body: spec.bodySchema.parse(legacy) };
  }
  const raw = typeof task.params === 'string' ? (JSON.parse(task.params) as unknown) : task.params;
  return { spec, body: spec.bodySchema.parse(raw) };
}
