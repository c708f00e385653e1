import 'server-only';
import { systemClock, type Clock } from '../clock';
import { env } from '../config/env';
import { webhookUrlOf } from '../config/webhook-url';
import { provider } from '../freepik/connection';
import { downloadImage } from '../freepik/download';
import { storedBody } from '../generation/task-body';
import { ingestPicture } from '../images/ingest';
import { singleton } from '../singleton';
import { followerBudget } from '../spending/budget';
import type { FollowedTask, FollowerDeps } from './follower-deps';
import { TaskFollower } from './follower';
import { noteKeyAccepted, noteKeyRejected } from './provider-health';
import { claimDueTasks, claimTask, instanceId, nudgeTask, releaseLeasesOfDeadProcesses, releaseLease, renewLeases } from './leases';
import { findTaskRowByProviderId, knownProviderTaskIds, nextDueAt } from './repository';
import { leasedTransitions, releaseBudgetHolds } from './state-machine';
import type { TaskStatus } from './status';

/** The real world for the follower: Prisma, the provider client (every model), the picture store, wall time. */

type Row = NonNullable<Awaited<ReturnType<typeof findTaskRowByProviderId>>>;

function toFollowed(row: Row): FollowedTask {
  const { spec, body } = storedBody(row);
  return {
    id: row.id,
    spec,
    body,
    ratio: row.ratio,
    status: row.status as TaskStatus,
    providerTaskId: row.providerTaskId,
    providerStatus: row.providerStatus,
    attempts: row.attempts,
    downloadAttempts: row.downloadAttempts,
    submittedAt: row.submittedAt,
    createdAt: row.createdAt,
    refetchedAt: row.refetchedAt,
  };
}

/**
 * `owner`: the lease holder's id — this process's, unless a test plays several instances. `clock`: wall
 * time, unless a test moves time itself (the follower's decisions, the budget's days and the times it
 * schedules read it; the state machine's own timestamps stay wall time).
 */
export function productionFollowerDeps(owner = instanceId(), { clock = systemClock }: { clock?: Clock } = {}): FollowerDeps {
  const settings = env();
  const leaseMs = settings.TASK_LEASE_SECONDS * 1000;
  return {
    provider,
    tasks: {
      claimDue: async (now, limit) => (await claimDueTasks(owner, now, limit, leaseMs)).map(toFollowed),
      claim: async (id) => {
        const row = await claimTask(id, owner, new Date(clock.now()), leaseMs);
        return row ? toFollowed(row) : null;
      },
      renew: (ids) => renewLeases(ids, owner, new Date(clock.now()), leaseMs),
      release: (id) => releaseLease(id, owner),
      nudge: nudgeTask,
      nextDueAt,
      byProviderId: async (id) => {
        const row = await findTaskRowByProviderId(id);
        return row ? toFollowed(row) : null;
      },
      knownProviderTaskIds,
      ...leasedTransitions(owner),
    },
    budget: followerBudget,
    pictures: {
      fetch: (url) => downloadImage(url),
      ingest: (bytes, expected, url) => ingestPicture(bytes, expected.ratio, url, 'download', expected.shapeOnly),
    },
    clock,
    config: { taskTimeoutMs: settings.TASK_TIMEOUT_MINUTES * 60_000, webhookUrl: webhookUrlOf(settings), leaseMs },
    health: { keyAccepted: noteKeyAccepted, keyRejected: noteKeyRejected },
    log: (message) => console.error(message),
  };
}

/** One follower per process, shared by every bundle that imports this module; started on first use. */
export function follower(): TaskFollower {
  return singleton('Follower', () => {
    const created = new TaskFollower(productionFollowerDeps()); // parses settings: fails fast on bad configuration
    // The limits may have changed with the environment: tasks held for the budget are looked at again now.
    void releaseBudgetHolds().catch((error) =>
      console.error('[follower] could not release budget holds:', error instanceof Error ? error.message : error),
    );
    if (env().DATABASE_URL.startsWith('file:')) {
      // SQLite is local: leases left behind by a crashed predecessor belong to no live process.
      void releaseLeasesOfDeadProcesses()
        .catch((error) => console.error('[follower] could not clear old leases:', error instanceof Error ? error.message : error))
        .finally(() => created.start());
    } else {
      created.start();
    }
    return created;
  });
}

/** Whether the provider reports by webhook (shown in the UI). */
export function webhooksEnabled(): boolean {
  return webhookUrlOf(env()) !== undefined;
}
