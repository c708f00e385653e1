import 'server-only';
import { db } from '../db/client';
import type { IngestedPicture } from '../images/ingest';
import { insertPictureRows } from '../images/records';
import { publishTaskChanged } from './events';
import { UNFINISHED, allowedSources, statusForProviderProgress, type TaskStatus } from './status';

/**
 * The only module that writes Task.status. Every write is conditional on the
 * current status (`updateMany … where status in allowedSources(to)`), so two
 * writers racing — the poller and a late report — can never move a task
 * backwards or reopen a finished one. Each function returns whether it applied.
 */

async function move(id: string, to: TaskStatus, data: Record<string, unknown>, from = allowedSources(to)): Promise<boolean> {
  const { count } = await db().task.updateMany({
    where: { id, status: { in: from } },
    data: { ...data, status: to },
  });
  if (count === 1) publishTaskChanged(id);
  return count === 1;
}

/** About to call the provider's create endpoint: remember we tried. */
export function markSubmitting(id: string): Promise<boolean> {
  return move(id, 'QUEUED', { submittedAt: new Date(), statusDetail: 'Sending to provider' });
}

/**
 * A create call whose outcome is unknown (timeout, dropped connection, our
 * crash mid-call): never resend blindly, reconcile with the provider's list.
 */
export function markUnconfirmed(id: string, detail: string, nextCheckAt: Date, needsDecision = false): Promise<boolean> {
  return move(id, 'QUEUED', { unconfirmedAt: new Date(), statusDetail: detail, nextCheckAt, needsDecision });
}

/** The provider refused for now (429/503): stay Queued and try again later. */
export function markWaiting(id: string, detail: string, nextCheckAt: Date, attempts: number): Promise<boolean> {
  return move(id, 'QUEUED', {
    submittedAt: null,
    unconfirmedAt: null,
    needsDecision: false,
    statusDetail: detail,
    nextCheckAt,
    attempts,
  });
}

export function markAccepted(
  id: string,
  providerTaskId: string,
  providerStatus: 'CREATED' | 'IN_PROGRESS',
  nextCheckAt: Date,
): Promise<boolean> {
  return move(id, statusForProviderProgress(providerStatus), {
    providerTaskId,
    providerStatus,
    unconfirmedAt: null,
    needsDecision: false,
    statusDetail: null,
    attempts: 0,
    downloadAttempts: 0,
    nextCheckAt,
  });
}

/** A status read: provider progress, or a retry schedule after a failed read. */
export function markProgress(
  id: string,
  providerStatus: 'CREATED' | 'IN_PROGRESS' | 'COMPLETED',
  nextCheckAt: Date,
  extra: { attempts?: number; downloadAttempts?: number; statusDetail?: string | null } = {},
): Promise<boolean> {
  // COMPLETED upstream is still "Generating" to people until the picture is ours.
  const to = providerStatus === 'COMPLETED' ? 'GENERATING' : statusForProviderProgress(providerStatus);
  return move(id, to, { providerStatus, nextCheckAt, ...extra });
}

export function reschedule(id: string, nextCheckAt: Date, attempts: number, statusDetail?: string): Promise<boolean> {
  return db()
    .task.updateMany({
      where: { id, status: { in: [...UNFINISHED] } },
      data: { nextCheckAt, attempts, ...(statusDetail === undefined ? {} : { statusDetail }) },
    })
    .then(({ count }) => {
      if (count === 1) publishTaskChanged(id);
      return count === 1;
    });
}

/** The picture is downloaded, verified and stored: only now is the task Completed. */
export async function markCompleted(id: string, picture: IngestedPicture): Promise<boolean> {
  const applied = await db().$transaction(async (tx) => {
    const { count } = await tx.task.updateMany({
      where: { id, status: { in: allowedSources('COMPLETED') } },
      data: {
        status: 'COMPLETED',
        providerStatus: 'COMPLETED',
        statusDetail: null,
        nextCheckAt: null,
        finishedAt: new Date(),
      },
    });
    if (count !== 1) return false;
    // Image and Thumbnail rows have one writer: lib/images/records.ts.
    await insertPictureRows(tx, id, picture);
    return true;
  });
  if (applied) publishTaskChanged(id);
  return applied;
}

export function markFailed(id: string, reason: string, providerStatus?: string): Promise<boolean> {
  return move(id, 'FAILED', {
    statusDetail: reason,
    needsDecision: false,
    nextCheckAt: null,
    finishedAt: new Date(),
    ...(providerStatus ? { providerStatus } : {}),
  });
}

/**
 * The provider finished the picture but it could not be fetched (links kept
 * failing, or the provider forgot it). Not Failed: the picture exists, and a
 * person can ask for the same one again (`markRefetching`) — never a new,
 * paid generation.
 */
export function markUnsaved(id: string, reason: string, downloadAttempts?: number): Promise<boolean> {
  return move(id, 'UNSAVED', {
    statusDetail: reason,
    needsDecision: false,
    nextCheckAt: null,
    finishedAt: new Date(),
    ...(downloadAttempts === undefined ? {} : { downloadAttempts }),
  });
}

/** A person's "Fetch again" on an Unsaved task: read the same provider task again for fresh links. */
export function markRefetching(id: string): Promise<boolean> {
  return move(
    id,
    'GENERATING',
    {
      providerStatus: 'COMPLETED',
      statusDetail: 'Fetching the picture again',
      downloadAttempts: 0,
      attempts: 0,
      nextCheckAt: new Date(),
      refetchedAt: new Date(),
      finishedAt: null,
    },
    ['UNSAVED'],
  );
}
