import 'server-only';
import { db, dbDialect } from '../db/client';
import { SqlParams, timestampValue } from '../db/dialect';
import type { IngestedPicture } from '../images/ingest';
import { insertPictureRows } from '../images/records';
import type { SubmitCap } from '../spending/rules';
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

const SENDING = 'Sending to provider';

/**
 * The PostgreSQL advisory lock ("spending" in ASCII) every capped submit decision holds for its one
 * statement: decisions run one after another, each seeing the ones before it (markSubmitting).
 */
export const SPENDING_LOCK_KEY = '8318260036558745191';

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
  /**
   * About to call the provider's create endpoint: remember we tried (`submittedAt`, which is also what the
   * spending guard counts). With caps (lib/spending/budget.ts), only while fewer than `cap.limit` tasks
   * were sent in each cap's window — counted and written in one UPDATE, so the last allowed picture is
   * sent once however many followers race for it. SQLite runs a writing statement under its database
   * write lock, so the statement alone is atomic (one process or several). PostgreSQL's READ COMMITTED
   * would let two such statements each miss the other's row, so there it runs in a transaction that first
   * takes an advisory lock: the next decision starts after this one committed, and counts its row.
   */
  async function markSubmitting(id: string, now = new Date(), caps: SubmitCap[] = []): Promise<boolean> {
    if (!caps.length) return move(guard, id, 'QUEUED', { submittedAt: now, statusDetail: SENDING });
    const dialect = dbDialect();
    const p = new SqlParams(dialect);
    // Parameters in the order they appear (SQLite's `?` are positional).
    const set = `"submittedAt" = ${p.addTimestamp(timestampValue(dialect, now))}, "statusDetail" = ${p.add(SENDING)}, "updatedAt" = ${p.addTimestamp(timestampValue(dialect, new Date()))}`;
    const where = [
      `"id" = ${p.add(id)}`,
      `"status" IN (${allowedSources('QUEUED')
        .map((s) => p.add(s))
        .join(', ')})`,
    ];
    if (guard.leaseOwner !== undefined) where.push(`"leaseOwner" = ${p.add(guard.leaseOwner)}`);
    for (const cap of caps) {
      const from = p.addTimestamp(timestampValue(dialect, cap.from));
      const to = p.addTimestamp(timestampValue(dialect, cap.to));
      where.push(`(SELECT COUNT(*) FROM "Task" WHERE "submittedAt" >= ${from} AND "submittedAt" < ${to}) < ${p.add(cap.limit)}`);
    }
    const sql = `UPDATE "Task" SET ${set} WHERE ${where.join(' AND ')}`;
    const count =
      dialect === 'postgres'
        ? await db().$transaction(async (tx) => {
            await tx.$queryRawUnsafe(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(${SPENDING_LOCK_KEY})`);
            return tx.$executeRawUnsafe(sql, ...p.values);
          })
        : await db().$executeRawUnsafe(sql, ...p.values);
    if (count === 1) publishTaskChanged(id);
    return count === 1;
  }

  /**
   * The spending budget has no room (lib/spending/budget.ts): the task stays Queued and unsent, with the
   * reason, until `until` (when the limit resets). Its time-out restarts then — `refetchedAt` is what the
   * follower counts the time-out from — since waiting for the budget is not being stuck. A held task is
   * recognisable by refetchedAt = nextCheckAt (releaseBudgetHolds).
   */
  function markHeldByBudget(id: string, detail: string, until: Date): Promise<boolean> {
    return move(guard, id, 'QUEUED', { statusDetail: detail, nextCheckAt: until, refetchedAt: until });
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
    markHeldByBudget,
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
  markHeldByBudget,
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

/**
 * The spending limits changed (Settings): tasks held back by the budget (markHeldByBudget) are looked at
 * again now rather than at the reset, their time-out restarting now. Held tasks are Queued, never sent,
 * and due exactly when their time-out restarts (refetchedAt = nextCheckAt); a task waiting after a 429
 * is not touched. Returns how many were released.
 */
export async function releaseBudgetHolds(now = new Date()): Promise<number> {
  const candidates = await db().task.findMany({
    where: { status: 'QUEUED', providerTaskId: null, submittedAt: null, refetchedAt: { not: null }, nextCheckAt: { gt: now } },
    select: { id: true, refetchedAt: true, nextCheckAt: true },
  });
  const held = candidates.filter((t) => t.refetchedAt!.getTime() === t.nextCheckAt!.getTime()).map((t) => t.id);
  if (!held.length) return 0;
  const { count } = await db().task.updateMany({
    where: { id: { in: held }, status: 'QUEUED', submittedAt: null },
    data: { nextCheckAt: now, refetchedAt: now },
  });
  for (const id of held) publishTaskChanged(id);
  return count;
}

/** For the follower: every write applies only while `owner` holds the task's lease. */
export function leasedTransitions(owner: string) {
  return transitions({ leaseOwner: owner });
}

export type Transitions = ReturnType<typeof transitions>;
