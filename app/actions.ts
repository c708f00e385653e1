'use server';

import { z } from 'zod';
import { regenerate, removeTask, requestGeneration, resolveUnconfirmed, type RegenerateMode, type Result } from '@/lib/tasks/service';
import type { TaskView } from '@/lib/tasks/view';

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

export async function deleteTaskAction(taskId: string): Promise<Result<{ id: string }>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success) return { ok: false, error: 'That picture no longer exists.' };
  return removeTask(id.data);
}

export async function resolveUnconfirmedAction(taskId: string, choice: 'resend' | 'discard'): Promise<Result<{ id: string }>> {
  const id = idSchema.safeParse(taskId);
  if (!id.success || (choice !== 'resend' && choice !== 'discard')) {
    return { ok: false, error: 'This request no longer needs a decision.' };
  }
  return resolveUnconfirmed(id.data, choice);
}
