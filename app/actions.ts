'use server';

import { z } from 'zod';
import { regenerate, requestGeneration, resolveUnconfirmed, type RegenerateMode, type Result } from '@/lib/tasks/service';
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
): Promise<Result<{ task: TaskView }>> {
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
): Promise<Result<{ task: TaskView }>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success || !['reproduce', 'new-seed', 'retry'].includes(mode)) {
    return { ok: false, error: 'That picture no longer exists.' };
  }
  const rid = requestIdSchema.safeParse(requestId);
  return regenerate(id.data, mode, rid.success ? rid.data : undefined);
}

const idsSchema = z.array(z.uuid()).min(1).max(10_000);

/** Delete = move to the Trash (undoable); the files go when the Trash is emptied. */
export async function trashAction(taskIds: string[]): Promise<Result<{ count: number }>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return { ok: false, error: 'Nothing to delete.' };
  return { ok: true, count: await moveToTrash(ids.data) };
}

export async function restoreAction(taskIds: string[]): Promise<Result<{ count: number }>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return { ok: false, error: 'Nothing to restore.' };
  return { ok: true, count: await restoreFromTrash(ids.data) };
}

export async function favoriteAction(taskIds: string[], favorite: boolean): Promise<Result<{ count: number }>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success || typeof favorite !== 'boolean') return { ok: false, error: 'Nothing to change.' };
  return { ok: true, count: await setFavorite(ids.data, favorite) };
}

export async function emptyTrashAction(): Promise<Result<{ tasks: number; files: number }>> {
  return { ok: true, ...(await emptyTrash()) };
}

export async function resolveUnconfirmedAction(taskId: string, choice: 'resend' | 'discard'): Promise<Result<{ id: string }>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success || (choice !== 'resend' && choice !== 'discard')) {
    return { ok: false, error: 'This request no longer needs a decision.' };
  }
  return resolveUnconfirmed(id.data, choice);
}
