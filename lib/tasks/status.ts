/**
 * Task statuses and the rule for moving between them. Pure (client-safe): the
 * UI uses the labels, lib/tasks/state-machine.ts enforces the rule in the DB.
 */
export const TASK_STATUSES = ['QUEUED', 'GENERATING', 'COMPLETED', 'FAILED', 'UNSAVED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const STATUS_LABEL: Record<TaskStatus, string> = {
  QUEUED: 'Queued',
  GENERATING: 'Generating',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  /** The provider made the picture but Darkroom could not fetch it; "Fetch again" asks for the same picture. */
  UNSAVED: 'Not saved',
};

export const UNFINISHED: readonly TaskStatus[] = ['QUEUED', 'GENERATING'];

/** Nothing happens to it without a person (Unsaved waits for "Fetch again"). */
export function isFinished(status: TaskStatus): boolean {
  return status === 'COMPLETED' || status === 'FAILED' || status === 'UNSAVED';
}

// Progress only moves forward: webhooks and polls can arrive late or twice,
// and a finished task must never be reopened by a stale report. (A person's
// "Fetch again" moves Unsaved → Generating explicitly: state-machine.ts.)
const RANK: Record<TaskStatus, number> = { QUEUED: 0, GENERATING: 1, COMPLETED: 2, FAILED: 2, UNSAVED: 2 };

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  if (isFinished(from)) return false;
  return RANK[to] >= RANK[from];
}

/** The statuses a task may be in for a move to `to` to be allowed. */
export function allowedSources(to: TaskStatus): TaskStatus[] {
  return TASK_STATUSES.filter((from) => canTransition(from, to));
}

/** How the provider's in-flight statuses show to people. */
export function statusForProviderProgress(provider: 'CREATED' | 'IN_PROGRESS'): TaskStatus {
  return provider === 'CREATED' ? 'QUEUED' : 'GENERATING';
}
