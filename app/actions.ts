'use server';

import { z } from 'zod';
import { fail, ok, type Result } from '@/lib/result';
import {
  refetchPicture,
  regenerate,
  regenerateBatch,
  requestGeneration,
  resolveUnconfirmed,
  type RegenerateBatchMode,
  type RegenerateMode,
} from '@/lib/tasks/service';
import type { FieldErrors } from '@/lib/generation/schema';
import type { TaskView } from '@/lib/tasks/view';
import { emptyTrash, moveToTrash, restoreFromTrash, setFavorite } from '@/lib/gallery/collection';

/**
 * Mutations, as server actions returning typed results. Everything arriving
 * here is untrusted (a hand-crafted request is as possible as the form), so the
 * service re-validates with the same schema the form uses.
 */

const idSchema = z.uuid();
const requestIdSchema = z.uuid().optional();

/**
 * Generate: one task, or with Variations N (1–4) a batch of N tasks with N different seeds.
 * `tasks` holds them all in batch order; `task` is the first. One requestId per submission: sending
 * it again (double click, retry) returns the same task(s).
 */
export async function generateAction(
  draft: { model?: unknown; prompt: unknown; ratio: unknown; seed: unknown; variations?: unknown; settings?: unknown; compare?: unknown },
  requestId?: string,
): Promise<Result<{ task: TaskView; tasks: TaskView[] }, keyof FieldErrors>> {
  const rid = requestIdSchema.safeParse(requestId);
  return requestGeneration(
    {
      model: draft?.model,
      prompt: draft?.prompt,
      ratio: draft?.ratio,
      seed: draft?.seed,
      variations: draft?.variations,
      settings: draft?.settings,
      compare: draft?.compare,
    },
    { requestId: rid.success ? rid.data : undefined, origin: 'new' },
  );
}

/** Reproduce / New seed / Retry for one picture: one new task linked to it. */
export async function regenerateAction(
  taskId: string,
  mode: RegenerateMode,
  requestId?: string,
): Promise<Result<{ task: TaskView }, keyof FieldErrors>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success || !['reproduce', 'new-seed', 'retry'].includes(mode)) {
    return fail('That picture no longer exists.');
  }
  const rid = requestIdSchema.safeParse(requestId);
  const result = await regenerate(id.data, mode, rid.success ? rid.data : undefined);
  return result.ok ? ok({ task: result.task }) : result;
}

const batchModeSchema = z.enum(['reproduce', 'new-seed'] satisfies RegenerateBatchMode[]);

/**
 * Reproduce (same seeds, same order) or New seed (fresh seeds) for a whole batch: a new batch with one
 * task per picture of the old one not in the Trash, each linked to the picture it came from.
 */
export async function regenerateBatchAction(
  batchId: string,
  mode: RegenerateBatchMode,
  requestId?: string,
): Promise<Result<{ tasks: TaskView[] }>> {
  const id = idSchema.safeParse(batchId);
  const how = batchModeSchema.safeParse(mode);
  if (!id.success || !how.success) return fail('That batch no longer exists.');
  const rid = requestIdSchema.safeParse(requestId);
  return regenerateBatch(id.data, how.data, rid.success ? rid.data : undefined);
}

/** Fetch an Unsaved picture again from the provider (the same task: nothing new is generated or charged). */
export async function refetchAction(taskId: string): Promise<Result<{ task: TaskView }>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success) return fail('That picture no longer exists.');
  return refetchPicture(id.data);
}

const idsSchema = z.array(z.uuid()).min(1).max(10_000);

/** Delete = move to the Trash (undoable); the files go when the Trash is emptied. */
export async function trashAction(taskIds: string[]): Promise<Result<{ count: number }>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return fail('Nothing to delete.');
  return ok({ count: await moveToTrash(ids.data) });
}

export async function restoreAction(taskIds: string[]): Promise<Result<{ count: number }>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return fail('Nothing to restore.');
  return ok({ count: await restoreFromTrash(ids.data) });
}

export async function favoriteAction(taskIds: string[], favorite: boolean): Promise<Result<{ count: number }>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success || typeof favorite !== 'boolean') return fail('Nothing to change.');
  return ok({ count: await setFavorite(ids.data, favorite) });
}

export async function emptyTrashAction(): Promise<Result<{ tasks: number; files: number }>> {
  return ok(await emptyTrash());
}

export async function resolveUnconfirmedAction(taskId: string, choice: 'resend' | 'discard'): Promise<Result<{ id: string }>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success || (choice !== 'resend' && choice !== 'discard')) {
    return fail('This request no longer needs a decision.');
  }
  return resolveUnconfirmed(id.data, choice);
}
