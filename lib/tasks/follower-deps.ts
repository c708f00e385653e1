import type { Clock } from '../clock';
import type { ModelSpec } from '../freepik/models';
import type { ProviderStatus, ProviderTask, WireTask } from '../freepik/schemas';
import type { IngestedPicture } from '../images/ingest';
import type { SubmitCap } from '../spending/rules';
import type { TaskStatus } from './status';

/**
 * What the follower (lib/tasks/follower.ts) needs from the world, passed in so
 * it can be driven by fakes in tests. Pure types: no imports with effects.
 */

/** The columns of a task the follower decides on. */
export type FollowedTask = {
  id: string;
  /** The task's model (lib/freepik/models): its paths, body rules and response reshaping. */
  spec: ModelSpec;
  /** The exact body to send (stored per task; webhook_url is added at send time). */
  body: Record<string, unknown>;
  /** The pixel size asked for, "W:H" (nominal for named aspect ratios: then only the shape is checked). */
  ratio: string;
  status: TaskStatus;
  providerTaskId: string | null;
  providerStatus: string | null;
  /** Waits before a create (429/503) or after failed status reads. */
  attempts: number;
  /** Failed tries to fetch the finished picture (counted apart from status reads). */
  downloadAttempts: number;
  submittedAt: Date | null;
  createdAt: Date;
  /**
   * The time-out counts from here instead of createdAt: set by a person's "Fetch again", and by a hold of
   * the spending budget (to when it ends: waiting for the budget is not being stuck).
   */
  refetchedAt: Date | null;
};

/** The provider calls the follower makes, per model (lib/freepik/client.ts satisfies it). */
export type FollowerProvider = {
  createTask(spec: ModelSpec, body: Record<string, unknown>, webhookUrl?: string): Promise<ProviderTask>;
  getTask(spec: ModelSpec, taskId: string): Promise<ProviderTask>;
  listTasks(spec: ModelSpec): Promise<Array<{ taskId: string; status: ProviderStatus }>>;
};

export type { WireTask };

/**
 * Claims of due tasks (leases, ADR 0014) plus the status writes of
 * lib/tasks/state-machine.ts (the only writer of Task.status), each of which
 * applies only while this instance holds the task's lease and returns
 * whether it applied.
 */
export type FollowerTaskStore = {
  /** Leases up to `limit` due tasks no other instance holds, and returns them. */
  claimDue(now: Date, limit: number): Promise<FollowedTask[]>;
  /** Leases one task (for a webhook report); null if another instance holds it or it is finished. */
  claim(id: string): Promise<FollowedTask | null>;
  /** Extends the leases on tasks still being worked on. */
  renew(ids: string[]): Promise<unknown>;
  /** Gives the lease back after a step. */
  release(id: string): Promise<unknown>;
  /** Asks whoever holds the task to look at it now (a report arrived at another instance). */
  nudge(id: string): Promise<unknown>;
  nextDueAt(): Promise<Date | null>;
  byProviderId(providerTaskId: string): Promise<FollowedTask | null>;
  knownProviderTaskIds(ids: string[]): Promise<Set<string>>;
  /**
   * About to send the task upstream: records submittedAt = `now`, only while every cap holds (fewer than
   * `limit` tasks sent in its window) — checked and written in one step, so instances racing for the last
   * allowed picture cannot both send it. False when a cap is full or the task moved on.
   */
  markSubmitting(id: string, now?: Date, caps?: SubmitCap[]): Promise<boolean>;
  /** The spending budget has no room: the task stays Queued and unsent, saying why, until `until`. */
  markHeldByBudget(id: string, detail: string, until: Date): Promise<boolean>;
  markUnconfirmed(id: string, detail: string, nextCheckAt: Date, needsDecision?: boolean): Promise<boolean>;
  markWaiting(id: string, detail: string, nextCheckAt: Date, attempts: number): Promise<boolean>;
  markAccepted(id: string, providerTaskId: string, providerStatus: 'CREATED' | 'IN_PROGRESS', nextCheckAt: Date): Promise<boolean>;
  markProgress(
    id: string,
    providerStatus: 'CREATED' | 'IN_PROGRESS' | 'COMPLETED',
    nextCheckAt: Date,
    extra?: { attempts?: number; downloadAttempts?: number; statusDetail?: string | null },
  ): Promise<boolean>;
  reschedule(id: string, nextCheckAt: Date, attempts: number, statusDetail?: string): Promise<boolean>;
  markCompleted(id: string, picture: IngestedPicture): Promise<boolean>;
  markFailed(id: string, reason: string, providerStatus?: string): Promise<boolean>;
  markUnsaved(id: string, reason: string, downloadAttempts?: number): Promise<boolean>;
};

/** The spending guard, as the follower sees it (lib/spending/budget.ts followerBudget). */
export type FollowerBudget = {
  /** The caps on sending a picture at `now` (DAILY_LIMIT, MONTHLY_LIMIT or saved limits); none without limits. */
  caps(now: Date): Promise<SubmitCap[]>;
  /** Whether a limit is reached at `now`: until when, and the task's status detail meanwhile; null if not. */
  hold(now: Date): Promise<{ until: Date; detail: string } | null>;
};

export type FollowerDeps = {
  provider: () => Promise<FollowerProvider>;
  tasks: FollowerTaskStore;
  budget: FollowerBudget;
  pictures: {
    /** The bytes behind a provider's signed link (throws UpstreamError). */
    fetch(url: string): Promise<Buffer>;
    /**
     * Verify and store; throws for a file that is not the picture asked for. `sourceUrl` is null for a
     * picture that came inside the response (a data: URL) — there is no link to repair it from.
     */
    ingest(bytes: Buffer, expected: { ratio: string; shapeOnly: boolean }, sourceUrl: string | null): Promise<IngestedPicture>;
  };
  clock: Clock;
  config: { taskTimeoutMs: number; webhookUrl: string | undefined; leaseMs: number };
  health: { keyAccepted(): void; keyRejected(): void };
  log(message: string): void;
  /** Jitter source for backoff (fixed in tests). */
  random?: () => number;
};
