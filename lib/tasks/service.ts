import 'server-only';
import { randomInt } from 'node:crypto';
import { fieldErrorsOf, generationInputSchema, SEED_MAX, type FieldErrors } from '../generation/schema';
import { removeStoredImage } from '../images/store';
import { follower } from './follower';
import { deleteTask, findTask, findTaskByRequestId, insertTask } from './repository';
import type { TaskOrigin, TaskView } from './view';

/**
 * What people can do with tasks, as typed results (never thrown errors), for
 * the server actions to return as they are.
 */
export type Result<T> = { ok: true } & T | { ok: false; error: string; fieldErrors?: FieldErrors };

/** Every picture gets an explicit seed so it can be reproduced later. */
export function randomSeed(): number {
  // randomInt's upper bound is exclusive and limited to 2^48.
  return randomInt(0, SEED_MAX + 1);
}

export async function requestGeneration(
  raw: unknown,
  options: { requestId?: string | null; parentId?: string | null; origin?: TaskOrigin } = {},
): Promise<Result<{ task: TaskView }>> {
  const parsed = generationInputSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: 'Please fix the highlighted fields.', fieldErrors: fieldErrorsOf(parsed.error) };
  }
  // A resubmitted form (double click, network retry) returns the task it already made.
  if (options.requestId) {
    const existing = await findTaskByRequestId(options.requestId);
    if (existing) return { ok: true, task: existing };
  }
  try {
    const task = await insertTask({
      prompt: parsed.data.prompt,
      ratio: parsed.data.ratio,
      seed: parsed.data.seed ?? randomSeed(),
      origin: options.origin ?? 'new',
      parentId: options.parentId ?? null,
      requestId: options.requestId ?? null,
    });
    follower().kick();
    return { ok: true, task };
  } catch (error) {
    // Two identical submissions racing: the unique requestId lets one win.
    if (options.requestId) {
      const existing = await findTaskByRequestId(options.requestId);
      if (existing) return { ok: true, task: existing };
    }
    console.error('[tasks] could not create task:', error instanceof Error ? error.message : error);
    return { ok: false, error: 'Darkroom could not save the request. Please try again.' };
  }
}

/** Reproduce (same seed) or New seed: a new task linked to its parent. */
export async function regenerate(
  parentId: string,
  mode: 'reproduce' | 'new-seed',
  requestId?: string,
): Promise<Result<{ task: TaskView }>> {
  const parent = await findTask(parentId);
  if (!parent) return { ok: false, error: 'That picture no longer exists.' };
  return requestGeneration(
    { prompt: parent.prompt, ratio: parent.ratio, seed: mode === 'reproduce' ? parent.seed : randomSeed() },
    { parentId, origin: mode, requestId },
  );
}

export async function removeTask(id: string): Promise<Result<{ id: string }>> {
  const removed = await deleteTask(id);
  if (!removed) return { ok: false, error: 'That picture no longer exists.' };
  if (removed.imagePath) await removeStoredImage(removed.imagePath);
  return { ok: true, id };
}
