import 'server-only';
import { env } from '../config/env';
import { backoffDelay } from '../freepik/backoff';
import { runway } from '../freepik/connection';
import { downloadImage } from '../freepik/download';
import { UpstreamError } from '../freepik/errors';
import type { ProviderTask } from '../freepik/schemas';
import type { Ratio } from '../generation/schema';
import { ImageVerificationError } from '../images/verify';
import { ingestPicture } from '../images/ingest';
import { noteKeyAccepted, noteKeyRejected } from './provider-health';
import { dueTasks, findTaskRowByProviderId, knownProviderTaskIds, nextDueAt } from './repository';
import * as transition from './state-machine';

/**
 * The single follower in the server process. It alone talks to the provider
 * about tasks: it submits queued tasks, polls unfinished ones (a fallback when
 * webhooks are on), reconciles creates whose outcome is unknown, and downloads
 * finished pictures. Browsers only read our database, so any number of open
 * tabs costs the provider nothing extra.
 */

const CONCURRENCY = 4;
const BATCH = 16;
const IDLE_CHECK_MS = 2_000;
const MAX_SUBMIT_WAITS = 30;
const MAX_DOWNLOAD_TRIES = 5;
const KEY_REJECTED_PAUSE_MS = 30_000;
/** Give the provider's task list a moment to show a task created just before a dropped answer. */
const RECONCILE_AFTER_MS = 3_000;
/**
 * "Not in the provider's list" only proves "never arrived" once a request sent
 * this long ago would have been processed (it may still be in flight).
 */
const SETTLE_MS = 8_000;
const UNCONFIRMED_RECHECK_MS = 60_000;

type DueTask = Awaited<ReturnType<typeof dueTasks>>[number];

/** Poll quickly while a picture is likely to land soon, then back off; slower when webhooks report. */
export function pollInterval(ageMs: number, webhooks = false): number {
  const base = ageMs < 30_000 ? 1_000 : ageMs < 120_000 ? 2_000 : 5_000;
  return webhooks ? base * 5 : base;
}

export function webhookUrl(): string | undefined {
  const { PUBLIC_BASE_URL, FREEPIK_WEBHOOK_SECRET } = env();
  return PUBLIC_BASE_URL && FREEPIK_WEBHOOK_SECRET ? `${PUBLIC_BASE_URL}/api/webhooks/freepik` : undefined;
}

const after = (ms: number) => new Date(Date.now() + ms);
const UNKNOWN_OUTCOME = new Set(['server-error', 'timeout', 'network', 'invalid-response']);

class TaskFollower {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<string>();
  private readonly pendingReports = new Map<string, ProviderTask>();
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

  /**
   * A webhook said a task changed. Apply it now (without a status call); if
   * the task is busy, apply it as soon as the current step ends.
   */
  async report(remote: ProviderTask): Promise<void> {
    const task = await findTaskRowByProviderId(remote.taskId);
    if (!task || (task.status !== 'QUEUED' && task.status !== 'GENERATING')) return;
    if (this.inFlight.has(task.id)) {
      this.pendingReports.set(task.id, remote);
      return;
    }
    await this.guarded(task.id, () => this.apply(task, remote));
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
      const unconfirmed = due.filter((t) => !t.providerTaskId && t.submittedAt);
      const rest = due.filter((t) => !unconfirmed.includes(t));
      if (unconfirmed.length) await this.guardedAll(unconfirmed, () => this.reconcile(unconfirmed));
      await runLimited(rest, CONCURRENCY, (task) => this.guarded(task.id, () => this.handle(task)));
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

  private async guarded(id: string, work: () => Promise<void>) {
    this.inFlight.add(id);
    try {
      await work();
    } finally {
      this.inFlight.delete(id);
    }
    const report = this.pendingReports.get(id);
    if (report) {
      this.pendingReports.delete(id);
      await this.report(report);
    }
  }

  private async guardedAll(tasks: DueTask[], work: () => Promise<void>) {
    for (const t of tasks) this.inFlight.add(t.id);
    try {
      await work();
    } finally {
      for (const t of tasks) this.inFlight.delete(t.id);
    }
  }

  private async handle(task: DueTask) {
    const timeoutMs = env().TASK_TIMEOUT_MINUTES * 60_000;
    if (Date.now() - task.createdAt.getTime() > timeoutMs) {
      await transition.markFailed(task.id, 'Timed out');
    } else if (!task.providerTaskId) {
      await this.submit(task);
    } else {
      await this.poll(task, task.providerTaskId);
    }
  }

  private async submit(task: DueTask) {
    if (!(await transition.markSubmitting(task.id))) return;
    try {
      const client = await runway();
      const created = await client.createTask({
        prompt: task.prompt,
        ratio: task.ratio as Ratio,
        seed: Number(task.seed),
        webhookUrl: webhookUrl(),
      });
      noteKeyAccepted();
      const progress = created.status === 'CREATED' ? 'CREATED' : 'IN_PROGRESS';
      // Already finished at creation: look again right away.
      const nextCheck = created.status === 'COMPLETED' || created.status === 'FAILED' ? 0 : pollInterval(0, !!webhookUrl());
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
    if (UNKNOWN_OUTCOME.has(e.kind)) {
      await transition.markUnconfirmed(
        task.id,
        'Checking whether the provider received this request',
        after(RECONCILE_AFTER_MS),
      );
      return;
    }
    if (e.kind === 'unauthorized') this.keyRejected();
    await transition.markFailed(task.id, e.message);
  }

  /**
   * Creates whose outcome we never learned (see docs/decisions/0005). The
   * provider's task list tells: no task we do not know → it never arrived, so
   * sending again is safe; exactly as many unknown tasks as unconfirmed ones
   * and just one of each → it is ours; anything else is left for a person.
   */
  private async reconcile(unconfirmed: DueTask[]) {
    let listed: Array<{ taskId: string }>;
    try {
      listed = await (await runway()).listTasks();
    } catch (error) {
      const e = asUpstreamError(error);
      if (e.kind === 'unauthorized') this.keyRejected();
      for (const task of unconfirmed) await transition.reschedule(task.id, after(backoffDelay(task.attempts, { baseMs: 2_000 })), task.attempts + 1);
      return;
    }
    const known = await knownProviderTaskIds(listed.map((t) => t.taskId));
    const orphans = listed.filter((t) => !known.has(t.taskId));

    if (orphans.length === 0) {
      for (const task of unconfirmed) {
        const sentAgo = Date.now() - (task.submittedAt?.getTime() ?? 0);
        if (sentAgo < SETTLE_MS) {
          await transition.reschedule(task.id, after(SETTLE_MS - sentAgo), task.attempts);
        } else {
          await transition.markWaiting(task.id, 'Sending again: the provider never received it', new Date(), task.attempts);
        }
      }
    } else if (orphans.length === 1 && unconfirmed.length === 1) {
      await transition.markAccepted(unconfirmed[0].id, orphans[0].taskId, 'IN_PROGRESS', new Date());
    } else {
      for (const task of unconfirmed) {
        await transition.markUnconfirmed(
          task.id,
          'Unconfirmed: the provider may have received this request. Send it again (it may be charged twice) or discard it.',
          after(UNCONFIRMED_RECHECK_MS),
          true,
        );
      }
    }
  }

  private async poll(task: DueTask, providerTaskId: string) {
    try {
      const remote = await (await runway()).getTask(providerTaskId);
      noteKeyAccepted();
      await this.apply(task, remote);
    } catch (error) {
      const e = asUpstreamError(error);
      if (e.kind === 'not-found') {
        await transition.markFailed(task.id, 'The provider no longer knows this task.');
        return;
      }
      if (e.kind === 'unauthorized') this.keyRejected();
      const delay = Math.max(e.details.retryAfterMs ?? 0, backoffDelay(task.attempts, { baseMs: 1_000 }));
      await transition.reschedule(task.id, after(delay), task.attempts + 1, e.kind === 'unauthorized' ? e.message : undefined);
    }
  }

  /** One provider report (from a poll or a webhook) applied to our task. */
  private async apply(task: DueTask, remote: ProviderTask) {
    if (remote.status === 'FAILED') {
      await transition.markFailed(task.id, 'The provider could not generate this picture.', 'FAILED');
    } else if (remote.status === 'COMPLETED') {
      await this.collect(task, remote.imageUrls);
    } else {
      const age = Date.now() - task.createdAt.getTime();
      await transition.markProgress(task.id, remote.status, after(pollInterval(age, !!webhookUrl())), {
        attempts: 0,
        statusDetail: null,
      });
    }
  }

  /** Download, verify and store the picture; only then is the task Completed. */
  private async collect(task: DueTask, urls: string[]) {
    try {
      const url = urls[0];
      if (!url) throw new ImageVerificationError('The provider finished without a picture.');
      const bytes = await downloadImage(url);
      await transition.markCompleted(task.id, await ingestPicture(bytes, task.ratio as Ratio, url));
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      if (task.attempts + 1 >= MAX_DOWNLOAD_TRIES) {
        await transition.markFailed(task.id, `Could not download the picture: ${reason}`);
      } else {
        // The next poll fetches a fresh signed URL, so an expired link heals itself.
        await transition.markProgress(task.id, 'COMPLETED', after(backoffDelay(task.attempts)), {
          attempts: task.attempts + 1,
          statusDetail: 'Saving picture',
        });
      }
    }
  }

  private keyRejected() {
    // Stop hammering the provider with a key it refuses; the UI says why.
    this.pausedUntil = Date.now() + KEY_REJECTED_PAUSE_MS;
    noteKeyRejected();
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
