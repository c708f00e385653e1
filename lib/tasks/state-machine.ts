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
 *
 * The follower writes through `leasedTransitions(owner)`: the same moves, each
 * also conditional on the caller still holding the task's lease (ADR 0014), so
 * an instance whose lease ran out (it stalled, another took over) cannot
 * overwrite what the new holder did. People's actions (Send again, Discard,
 * Fetch again) use the plain exports: a person's decision needs no lease.
 */

/** Extra conditions on every write: the lease holder's id, or none. */
type Guard = { leaseOwner?: string };

async function move(guard: Guard, id: string, to: TaskStatus, data: Record<string, unknown>, from = allowedSources(to)): Promise<boolean> {
  const { count } = await db().task.updateMany({
    where: { id, status: { in: from }, ...guard },
    data: { ...data, status: to },
  });
  if (count === 1) publishTaskChanged(id);
  return count === 1;
}

/** The transitions, each write also conditioned on `guard`. */
function transitions(guard: Guard) {
  /** About to call the provider's create endpoint: remember we tried. */
  function markSubmitting(id: string): Promise<boolean> {
    return move(guard, id, 'QUEUED', { submittedAt: new Date(), statusDetail: 'Sending to provider' });
  }

  /**
   * A create call whose outcome is unknown (timeout, dropped connection, our
   * crash mid-call): never resend blindly, reconcile with the provider's list.
   */
  function markUnconfirmed(id: string, detail: string, nextCheckAt: Date, needsDecision = false): Promise<boolean> {
    return move(guard, id, 'QUEUED', { unconfirmedAt: new Date(), statusDetail: detail, nextCheckAt, needsDecision });
  }

  /** The provider refused for now (429/503): stay Queued and try again later. */
  function markWaiting(id: string, detail: string, nextCheckAt: Date, attempts: number): Promise<boolean> {
    return move(guard, id, 'QUEUED', {
      submittedAt: null,
      unconfirmedAt: null,
      needsDecision: false,
      statusDetail: detail,
      nextCheckAt,
      attempts,
    });
  }

  function markAccepted(
    id: string,
    providerTaskId: string,
    providerStatus: 'CREATED' | 'IN_PROGRESS',
    nextCheckAt: Date,
  ): Promise<boolean> {
    return move(guard, id, statusForProviderProgress(providerStatus), {
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
  function markProgress(
    id: string,
    providerStatus: 'CREATED' | 'IN_PROGRESS' | 'COMPLETED',
    nextCheckAt: Date,
    extra: { attempts?: number; downloadAttempts?: number; statusDetail?: string | null } = {},
  ): Promise<boolean> {
    // COMPLETED upstream is still "Generating" to people until the picture is ours.
    const to = providerStatus === 'COMPLETED' ? 'GENERATING' : statusForProviderProgress(providerStatus);
    return move(guard, id, to, { providerStatus, nextCheckAt, ...extra });
  }

  function reschedule(id: string, nextCheckAt: Date, attempts: number, statusDetail?: string): Promise<boolean> {
    return db()
      .task.updateMany({
        where: { id, status: { in: [...UNFINISHED] }, ...guard },
        data: { nextCheckAt, attempts, ...(statusDetail === undefined ? {} : { statusDetail }) },
      })
      .then(({ count }) => {
        if (count === 1) publishTaskChanged(id);
        return count === 1;
      });
  }

  /** The picture is downloaded, verified and stored: only now is the task Completed. */
  async function markCompleted(id: string, picture: IngestedPicture): Promise<boolean> {
    const applied = await db().$transaction(async (tx) => {
      const { count } = await tx.task.updateMany({
        where: { id, status: { in: allowedSources('COMPLETED') }, ...guard },
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

  function markFailed(id: string, reason: string, providerStatus?: string): Promise<boolean> {
    return move(guard, id, 'FAILED', {
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
  function markUnsaved(id: string, reason: string, downloadAttempts?: number): Promise<boolean> {
    return move(guard, id, 'UNSAVED', {
      statusDetail: reason,
      needsDecision: false,
      nextCheckAt: null,
      finishedAt: new Date(),
      ...(downloadAttempts === undefined ? {} : { downloadAttempts }),
    });
  }

  /** A person's "Fetch again" on an Unsaved task: read the same provider task again for fresh links. */
  function markRefetching(id: string): Promise<boolean> {
    return move(
      guard,
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

  return {
    markSubmitting,
    markUnconfirmed,
    markWaiting,
    markAccepted,
    markProgress,
    reschedule,
    markCompleted,
    markFailed,
    markUnsaved,
    markRefetching,
  };
}

/** For people's actions and task creation paths: no lease needed. */
export const {
  markSubmitting,
  markUnconfirmed,
  markWaiting,
  markAccepted,
  markProgress,
  reschedule,
  markCompleted,
  markFailed,
  markUnsaved,
  markRefetching,
} = transitions({});

/** For the follower: every write applies only while `owner` holds the task's lease. */
export function leasedTransitions(owner: string) {
  return transitions({ leaseOwner: owner });
}

export type Transitions = ReturnType<typeof transitions>;
