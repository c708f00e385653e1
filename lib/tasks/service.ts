import 'server-only';
import { randomInt } from 'node:crypto';
import { fieldErrorsOf, generationInputSchema, SEED_MAX, type FieldErrors } from '../generation/schema';
import { publishTaskChanged } from './events';
import { follower } from './follower-instance';
import { markFailed, markRefetching, markWaiting } from './state-machine';
import { findTask, findTaskByRequestId, insertTask } from './repository';
import type { TaskOrigin, TaskView } from './view';
import { fail, ok, type Result } from '../result';

/**
 * What people can do with tasks, as typed results (lib/result.ts; never thrown
 * errors), for the server actions to return as they are.
 */
type TaskResult = Result<{ task: TaskView }, keyof FieldErrors>;

/** Every picture gets an explicit seed so it can be reproduced later. */
export function randomSeed(): number {
  // randomInt's upper bound is exclusive and limited to 2^48.
  return randomInt(0, SEED_MAX + 1);
}

export async function requestGeneration(
  raw: unknown,
  options: { requestId?: string | null; parentId?: string | null; origin?: TaskOrigin } = {},
): Promise<TaskResult> {
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
    publishTaskChanged(task.id);
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

export type RegenerateMode = 'reproduce' | 'new-seed' | 'retry';

/** Reproduce and Retry keep the seed, New seed picks another; all link to their parent. */
export async function regenerate(parentId: string, mode: RegenerateMode, requestId?: string): Promise<TaskResult> {
  const parent = await findTask(parentId);
  if (!parent) return { ok: false, error: 'That picture no longer exists.' };
  return requestGeneration(
    { prompt: parent.prompt, ratio: parent.ratio, seed: mode === 'new-seed' ? randomSeed() : parent.seed },
    { parentId, origin: mode, requestId },
  );
}

/** A person's answer for a create whose outcome could not be reconciled. */
export async function resolveUnconfirmed(id: string, choice: 'resend' | 'discard'): Promise<Result<{ id: string }>> {
  const task = await findTask(id);
  if (!task?.needsDecision) return { ok: false, error: 'This request no longer needs a decision.' };
  const applied =
    choice === 'resend'
      ? await markWaiting(id, 'Sending again at your request', new Date(), 0)
      : await markFailed(id, 'Discarded: it was unknown whether the provider received it.');
  if (!applied) return { ok: false, error: 'This request no longer needs a decision.' };
  follower().kick();
  return { ok: true, id };
}

/** "Fetch again" for a picture the provider made but Darkroom could not save: the same provider task, no new generation. */
export async function refetchPicture(id: string): Promise<TaskResult> {
  const applied = await markRefetching(id);
  const task = await findTask(id);
  if (!applied || !task) return fail('This picture is not waiting to be fetched again.');
  follower().kick();
  return ok({ task });
}
