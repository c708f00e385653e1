import 'server-only';
import { randomUUID } from 'node:crypto';
import { fieldErrorsOf, generationInputSchema, type FieldErrors } from '../generation/schema';
import { distinctRandomSeeds, pictureOf, planPictures, type PlannedPicture } from '../generation/plan';
import { storedBody } from '../generation/task-body';
import { publishTaskChanged } from './events';
import { follower } from './follower-instance';
import { markFailed, markRefetching, markWaiting } from './state-machine';
import { findLiveBatch, findTask, findTasksByRequestId, insertTasks } from './repository';
import type { TaskOrigin, TaskView } from './view';
import { fail, ok, type Result } from '../result';
import { refusalFor } from '../spending/budget';

/**
 * What people can do with tasks, as typed results (lib/result.ts; never thrown
 * errors), for the server actions to return as they are.
 */

/** `tasks`: every picture the request made, in batch order (one unless Variations > 1); `task` is the first. */
type TasksResult = Result<{ task: TaskView; tasks: TaskView[] }, keyof FieldErrors>;
type TaskResult = Result<{ task: TaskView }, keyof FieldErrors>;

/**
 * The request id stored on picture `index` of a submission: the submission's own id on the first
 * (so single pictures are stored as before), `<id>#<index>` on the others. Each is unique in Task.requestId.
 */
export function pictureRequestId(requestId: string, index: number): string {
  return index === 0 ? requestId : `${requestId}#${index}`;
}

type Picture = PlannedPicture & { parentId: string | null };

/**
 * Stores the pictures of one request as Queued tasks, all in one transaction: one picture is a task
 * of its own, several share a new batch (batchIndex 0…n−1). Each becomes its own upstream request.
 * A repeated request id (double click, retried action, two submits racing) returns what the first made.
 * A request the spending budget has no room for (lib/spending/budget.ts) is refused, saying how many
 * pictures are left and when the limit resets; nothing is stored.
 */
async function createTasks(pictures: Picture[], origin: TaskOrigin, requestId: string | null): Promise<TasksResult> {
  const already = async () => (requestId ? await findTasksByRequestId(requestId) : []);
  const existing = await already();
  if (existing.length) return ok({ task: existing[0], tasks: existing });
  // The spending guard: a request that does not fit in what is left today / this month stores nothing.
  const refusal = await refusalFor(pictures.length);
  if (refusal) return fail(refusal);
  const batchId = pictures.length > 1 ? randomUUID() : null;
  try {
    const tasks = await insertTasks(
      pictures.map((picture, index) => ({
        ...picture,
        origin,
        requestId: requestId === null ? null : pictureRequestId(requestId, index),
        batch: batchId === null ? null : { id: batchId, index, size: pictures.length },
      })),
    );
    follower().kick();
    for (const task of tasks) publishTaskChanged(task.id);
    return ok({ task: tasks[0], tasks });
  } catch (error) {
    // Two identical submissions racing: the unique requestId lets one win, and its transaction holds the whole batch.
    const winner = await already().catch(() => []);
    if (winner.length) return ok({ task: winner[0], tasks: winner });
    console.error('[tasks] could not create task:', error instanceof Error ? error.message : error);
    return fail('Darkroom could not save the request. Please try again.');
  }
}

/**
 * A person's request, validated with the shared schema. Variations N makes N tasks of the chosen model with
 * the same prompt and settings and N different explicit seeds where the model has seeds: S, S+1, … when a
 * seed S was given (wrapping within the model's range), else N distinct random ones. Compare makes one task
 * per chosen model, as one group (lib/generation/plan.ts).
 */
export async function requestGeneration(
  raw: unknown,
  options: { requestId?: string | null; parentId?: string | null; origin?: TaskOrigin } = {},
): Promise<TasksResult> {
  const parsed = generationInputSchema.safeParse(raw);
  if (!parsed.success) {
    return fail('Please fix the highlighted fields.', fieldErrorsOf(parsed.error));
  }
  const parentId = options.parentId ?? null;
  return createTasks(
    planPictures(parsed.data).map((picture) => ({ ...picture, parentId })),
    options.origin ?? 'new',
    options.requestId ?? null,
  );
}

export type RegenerateMode = 'reproduce' | 'new-seed' | 'retry';

/**
 * What a picture's body becomes: Reproduce and Retry send the same body again (for a model without a seed
 * or fixed_generation that makes a different picture: the viewer says "Generate again"); New seed gives a
 * seeded model another seed, different from `avoid`.
 */
function regeneratedBody(task: TaskView, mode: RegenerateMode, avoid: number[]): Picture {
  const { spec, body } = storedBody(task);
  const next = mode === 'new-seed' && spec.seed ? spec.withSeed(body, distinctRandomSeeds(spec.seed, 1, avoid)[0]) : body;
  return { ...pictureOf(spec, next), parentId: task.id };
}

/** Reproduce and Retry keep the body, New seed picks another seed; all link to their parent. */
export async function regenerate(parentId: string, mode: RegenerateMode, requestId?: string): Promise<TasksResult> {
  const parent = await findTask(parentId);
  if (!parent) return { ok: false, error: 'That picture no longer exists.' };
  return createTasks([regeneratedBody(parent, mode, parent.seed === null ? [] : [parent.seed])], mode, requestId ?? null);
}

export type RegenerateBatchMode = 'reproduce' | 'new-seed';

/**
 * Reproduce or New seed for a whole batch: a new batch with one task per picture of the old one still
 * in the gallery (trashed or deleted ones are left out), each linked to the picture it came from.
 * Reproduce keeps the seeds in their order; New seed picks fresh ones, different from the old.
 */
export async function regenerateBatch(
  batchId: string,
  mode: RegenerateBatchMode,
  requestId?: string,
): Promise<Result<{ tasks: TaskView[] }>> {
  const parents = await findLiveBatch(batchId);
  if (!parents.length) return fail('That batch no longer exists.');
  // New seeds differ from every old seed of the batch (and from each other).
  const avoid = parents.flatMap((p) => (p.seed === null ? [] : [p.seed]));
  const pictures = parents.map((parent) => {
    const picture = regeneratedBody(parent, mode, avoid);
    if (picture.seed !== null) avoid.push(picture.seed);
    return picture;
  });
  const result = await createTasks(pictures, mode, requestId ?? null);
  return result.ok ? ok({ tasks: result.tasks }) : result;
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
