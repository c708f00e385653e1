import 'server-only';
import { systemClock } from '../clock';
import { env } from '../config/env';
import { webhookUrlOf } from '../config/webhook-url';
import { runway } from '../freepik/connection';
import { downloadImage } from '../freepik/download';
import type { Ratio } from '../generation/schema';
import { ingestPicture } from '../images/ingest';
import { singleton } from '../singleton';
import type { FollowedTask, FollowerDeps } from './follower-deps';
import { TaskFollower } from './follower';
import { noteKeyAccepted, noteKeyRejected } from './provider-health';
import { dueTasks, findTaskRowByProviderId, knownProviderTaskIds, nextDueAt } from './repository';
import * as transition from './state-machine';
import type { TaskStatus } from './status';

/** The real world for the follower: Prisma, the RunWay client, the picture store, wall time. */

type Row = NonNullable<Awaited<ReturnType<typeof findTaskRowByProviderId>>>;

function toFollowed(row: Row): FollowedTask {
  return {
    id: row.id,
    prompt: row.prompt,
    ratio: row.ratio as Ratio,
    seed: Number(row.seed),
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

export function productionFollowerDeps(): FollowerDeps {
  const settings = env();
  return {
    provider: runway,
    tasks: {
      due: async (now, limit) => (await dueTasks(now, limit)).map(toFollowed),
      nextDueAt,
      byProviderId: async (id) => {
        const row = await findTaskRowByProviderId(id);
        return row ? toFollowed(row) : null;
      },
      knownProviderTaskIds,
      ...transition,
    },
    pictures: { fetch: (url) => downloadImage(url), ingest: (bytes, ratio, url) => ingestPicture(bytes, ratio, url) },
    clock: systemClock,
    config: { taskTimeoutMs: settings.TASK_TIMEOUT_MINUTES * 60_000, webhookUrl: webhookUrlOf(settings) },
    health: { keyAccepted: noteKeyAccepted, keyRejected: noteKeyRejected },
    log: (message) => console.error(message),
  };
}

/** One follower per process, shared by every bundle that imports this module; started on first use. */
export function follower(): TaskFollower {
  return singleton('Follower', () => {
    const created = new TaskFollower(productionFollowerDeps()); // parses settings: fails fast on bad configuration
    created.start();
    return created;
  });
}

/** Whether the provider reports by webhook (shown in the UI). */
export function webhooksEnabled(): boolean {
  return webhookUrlOf(env()) !== undefined;
}
