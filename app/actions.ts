'use server';

import { z } from 'zod';
import { fail, ok, type Result } from '@/lib/result';
import { refetchPicture, regenerate, requestGeneration, resolveUnconfirmed, type RegenerateMode } from '@/lib/tasks/service';
import type { GenerationInput } from '@/lib/generation/schema';
import type { TaskView } from '@/lib/tasks/view';
import { emptyTrash, moveToTrash, restoreFromTrash, setFavorite } from '@/lib/gallery/collection';

/**
 * Mutations, as server actions returning typed results. Everything arriving
 * here is untrusted (a hand-crafted request is as possible as the form), so the
 * service re-validates with the same schema the form uses.
 */

const idSchema = z.uuid();
const requestIdSchema = z.uuid().optional();

export async function generateAction(
  draft: { prompt: unknown; ratio: unknown; seed: unknown },
  requestId?: string,
): Promise<Result<{ task: TaskView }, keyof GenerationInput>> {
  const rid = requestIdSchema.safeParse(requestId);
  return requestGeneration(
    { prompt: draft?.prompt, ratio: draft?.ratio, seed: draft?.seed },
    { requestId: rid.success ? rid.data : undefined, origin: 'new' },
  );
}

export async function regenerateAction(
  taskId: string,
  mode: RegenerateMode,
  requestId?: string,
): Promise<Result<{ task: TaskView }, keyof GenerationInput>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success || !['reproduce', 'new-seed', 'retry'].includes(mode)) {
    return fail('That picture no longer exists.');
  }
  const rid = requestIdSchema.safeParse(requestId);
  return regenerate(id.data, mode, rid.success ? rid.data : undefined);
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
