import 'server-only';
import { env } from '../config/env';
import { backoffDelay } from '../freepik/backoff';
import { runway } from '../freepik/connection';
import { downloadImage } from '../freepik/download';
import { UpstreamError } from '../freepik/errors';
import type { Ratio } from '../generation/schema';
import { verifyImage, ImageVerificationError } from '../images/verify';
import { storeImage } from '../images/store';
import { dueTasks, nextDueAt } from './repository';
import * as transition from './state-machine';

/**
 * The single follower in the server process. It alone talks to the provider
 * about tasks: it submits queued tasks, polls unfinished ones and downloads
 * finished pictures. Browsers only read our database, so any number of open
 * tabs costs the provider nothing extra.
 */

const CONCURRENCY = 4;
const BATCH = 16;
const IDLE_CHECK_MS = 2_000;
const TASK_TIMEOUT_MS = 10 * 60_000;
const MAX_SUBMIT_WAITS = 30;
const MAX_DOWNLOAD_TRIES = 5;
const KEY_REJECTED_PAUSE_MS = 30_000;

type DueTask = Awaited<ReturnType<typeof dueTasks>>[number];

/** Poll quickly while a picture is likely to land soon, then back off. */
export function pollInterval(ageMs: number): number {
  if (ageMs < 30_000) return 1_000;
  if (ageMs < 120_000) return 2_000;
  return 5_000;
}

const after = (ms: number) => new Date(Date.now() + ms);

class TaskFollower {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<string>();
  private pausedUntil = 0;

  start() {
    this.stopped = false;
    this.schedule(0);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Something changed (new task, webhook): look now rather than at the next timer. */
  kick() {
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), Math.max(0, ms));
    this.timer.unref?.();
  }

  private async tick() {
    this.ticking = true;
    try {
      const waitMs = this.pausedUntil - Date.now();
      if (waitMs > 0) return this.schedule(waitMs);
      const due = (await dueTasks(new Date(), BATCH)).filter((t) => !this.inFlight.has(t.id));
      await runLimited(due, CONCURRENCY, (task) => this.handle(task));
      const next = await nextDueAt();
      const untilNext = next ? next.getTime() - Date.now() : IDLE_CHECK_MS;
      this.schedule(this.again ? 0 : Math.min(Math.max(untilNext, 50), IDLE_CHECK_MS));
    } catch (error) {
      console.error('[follower] tick failed:', error instanceof Error ? error.message : error);
      this.schedule(IDLE_CHECK_MS);
    } finally {
      this.again = false;
      this.ticking = false;
    }
  }

  private async handle(task: DueTask) {
    this.inFlight.add(task.id);
    try {
      if (Date.now() - task.createdAt.getTime() > TASK_TIMEOUT_MS) {
        await transition.markFailed(task.id, 'Timed out');
      } else if (!task.providerTaskId) {
        await this.submit(task);
      } else {
        await this.poll(task, task.providerTaskId);
      }
    } finally {
      this.inFlight.delete(task.id);
    }
  }

  private async submit(task: DueTask) {
    if (task.submittedAt) {
      // We started a create call and never learned its outcome (the process
      // stopped mid-call). Resending could buy the same picture twice.
      await transition.markFailed(
        task.id,
        'Darkroom stopped while sending this request, so it is unknown whether the provider received it. It was not resent to avoid paying twice; use Reproduce to try again.',
      );
      return;
    }
    if (!(await transition.markSubmitting(task.id))) return;
    try {
      const client = await runway();
      const created = await client.createTask({
        prompt: task.prompt,
        ratio: task.ratio as Ratio,
        seed: Number(task.seed),
      });
      const progress = created.status === 'CREATED' ? 'CREATED' : 'IN_PROGRESS';
      // A task that is already COMPLETED at creation is picked up by the next poll, immediately.
      const nextCheck = created.status === 'COMPLETED' || created.status === 'FAILED' ? 0 : 1_000;
      await transition.markAccepted(task.id, created.taskId, progress, after(nextCheck));
    } catch (error) {
      await this.submitFailed(task, error);
    }
  }

  private async submitFailed(task: DueTask, error: unknown) {
    const e = asUpstreamError(error);
    if ((e.kind === 'rate-limited' || e.kind === 'unavailable') && task.attempts < MAX_SUBMIT_WAITS) {
      // 429/503: the provider did not take the request, so sending it again is safe.
      const delay = Math.max(e.details.retryAfterMs ?? 0, backoffDelay(task.attempts, { baseMs: 1_000 }));
      await transition.markWaiting(task.id, 'Waiting for provider', after(delay), task.attempts + 1);
      return;
    }
    if (e.kind === 'unauthorized') this.pausedUntil = Date.now() + KEY_REJECTED_PAUSE_MS;
    const unknownOutcome = e.kind === 'server-error' || e.kind === 'timeout' || e.kind === 'network' || e.kind === 'invalid-response';
    await transition.markFailed(
      task.id,
      unknownOutcome
        ? `${e.message} The request was not resent, to avoid paying twice; use Reproduce to try again.`
        : e.message,
    );
  }

  private async poll(task: DueTask, providerTaskId: string) {
    const age = Date.now() - task.createdAt.getTime();
    try {
      const client = await runway();
      const remote = await client.getTask(providerTaskId);
      if (remote.status === 'FAILED') {
        await transition.markFailed(task.id, 'The provider could not generate this picture.', 'FAILED');
      } else if (remote.status === 'COMPLETED') {
        await this.collect(task, remote.imageUrls);
      } else {
        await transition.markProgress(task.id, remote.status, after(pollInterval(age)), {
          attempts: 0,
          statusDetail: null,
        });
      }
    } catch (error) {
      const e = asUpstreamError(error);
      if (e.kind === 'not-found') {
        await transition.markFailed(task.id, 'The provider no longer knows this task.');
        return;
      }
      if (e.kind === 'unauthorized') this.pausedUntil = Date.now() + KEY_REJECTED_PAUSE_MS;
      const delay = Math.max(e.details.retryAfterMs ?? 0, backoffDelay(task.attempts, { baseMs: 1_000 }));
      await transition.reschedule(task.id, after(delay), task.attempts + 1, e.kind === 'unauthorized' ? e.message : undefined);
    }
  }

  /** Download, verify and store the picture; only then is the task Completed. */
  private async collect(task: DueTask, urls: string[]) {
    try {
      const url = urls[0];
      if (!url) throw new ImageVerificationError('The provider finished without a picture.');
      const bytes = await downloadImage(url);
      const verified = await verifyImage(bytes, task.ratio as Ratio);
      const stored = await storeImage(bytes, verified.ext);
      await transition.markCompleted(task.id, {
        ...stored,
        mimeType: verified.mime,
        width: verified.width,
        height: verified.height,
        bytes: bytes.length,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      if (task.attempts + 1 >= MAX_DOWNLOAD_TRIES) {
        await transition.markFailed(task.id, `Could not download the picture: ${reason}`);
      } else {
        // The next poll mints a fresh signed URL, so an expired link heals itself.
        await transition.markProgress(task.id, 'COMPLETED', after(backoffDelay(task.attempts)), {
          attempts: task.attempts + 1,
          statusDetail: 'Saving picture',
        });
      }
    }
  }
}

function asUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  console.error('[follower] unexpected error:', error instanceof Error ? error.message : error);
  return new UpstreamError('invalid-response');
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((error) =>
        console.error('[follower] task step failed:', error instanceof Error ? error.message : error),
      );
    }
  });
  await Promise.all(lanes);
}

// One follower per process, shared by every bundle that imports this module.
const globalForFollower = globalThis as unknown as { __darkroomFollower?: TaskFollower };

export function follower(): TaskFollower {
  if (!globalForFollower.__darkroomFollower) {
    env(); // fail fast on bad configuration before touching the network
    globalForFollower.__darkroomFollower = new TaskFollower();
    globalForFollower.__darkroomFollower.start();
  }
  return globalForFollower.__darkroomFollower;
}
