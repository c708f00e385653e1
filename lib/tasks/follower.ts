import { backoffDelay } from '../freepik/backoff';
import { UpstreamError } from '../freepik/errors';
import type { ProviderTask } from '../freepik/schemas';
import type { FollowerDeps, FollowedTask, WireTask } from './follower-deps';

/**
 * The follower: the one loop that talks to the provider about tasks. It
 * submits queued tasks, polls unfinished ones (a fallback when webhooks are
 * on), reconciles creates whose outcome is unknown, and downloads finished
 * pictures. Browsers only read our database, so any number of open tabs costs
 * the provider nothing extra.
 *
 * Everything it uses — provider client, task store (status writes go through
 * lib/tasks/state-machine.ts), the spending budget (lib/spending/budget.ts),
 * picture fetching and storing, clock, settings —
 * is passed in (FollowerDeps), so its decisions are unit-tested with fakes and
 * a fake clock (tests/unit/follower.test.ts). lib/tasks/follower-instance.ts
 * wires the real ones for the server process.
 */

const CONCURRENCY = 4;
const BATCH = 16;
const IDLE_CHECK_MS = 2_000;
/** 429/503 on create: how many times to wait and send again before giving up. */
const MAX_SUBMIT_WAITS = 30;
/** Tries to fetch a finished picture (each after a fresh status read, for a fresh link). */
export const MAX_DOWNLOAD_TRIES = 5;
const KEY_REJECTED_PAUSE_MS = 30_000;
/** Give the provider's task list a moment to show a task created just before a dropped answer. */
export const RECONCILE_AFTER_MS = 3_000;
/**
 * "Not in the provider's list" only proves "never arrived" once a request sent
 * this long ago would have been processed (it may still be in flight). ADR 0005.
 */
export const SETTLE_MS = 8_000;
const UNCONFIRMED_RECHECK_MS = 60_000;

/** Poll quickly while a picture is likely to land soon, then back off; slower when webhooks report. */
export function pollInterval(ageMs: number, webhooks = false): number {
  const base = ageMs < 30_000 ? 1_000 : ageMs < 120_000 ? 2_000 : 5_000;
  return webhooks ? base * 5 : base;
}

export class TaskFollower {
  private timer: ReturnType<FollowerDeps['clock']['setTimeout']>;
  private renewalTimer: ReturnType<FollowerDeps['clock']['setTimeout']>;
  private ticking = false;
  private again = false;
  private stopped = true;
  private readonly inFlight = new Set<string>();
  private readonly pendingReports = new Map<string, WireTask>();
  private pausedUntil = 0;

  constructor(private readonly deps: FollowerDeps) {}

  start() {
    this.stopped = false;
    this.schedule(0);
    this.scheduleRenewal();
  }

  stop() {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
    this.deps.clock.clearTimeout(this.renewalTimer);
  }

  /** Leases outlive any single provider call; while work goes on they are renewed every third of their length. */
  private scheduleRenewal() {
    if (this.stopped) return;
    this.renewalTimer = this.deps.clock.setTimeout(() => {
      void this.deps.tasks
        .renew([...this.inFlight])
        .catch((error) => this.deps.log(`[follower] lease renewal failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.scheduleRenewal());
    }, this.deps.config.leaseMs / 3);
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
  async report(wire: WireTask): Promise<void> {
    const known = await this.deps.tasks.byProviderId(wire.task_id);
    if (!known || (known.status !== 'QUEUED' && known.status !== 'GENERATING')) return;
    if (this.inFlight.has(known.id)) {
      this.pendingReports.set(known.id, wire);
      return;
    }
    let remote: ProviderTask;
    try {
      remote = known.spec.reshape(wire); // the task's own model reads its payload
    } catch {
      this.deps.log(`[follower] ignored a webhook report for task ${known.id}: not a ${known.spec.name} task update`);
      return;
    }
    const task = await this.deps.tasks.claim(known.id);
    if (!task) {
      // Another instance follows it right now: hand it over (it reads the status at once).
      await this.deps.tasks.nudge(known.id);
      return;
    }
    await this.guarded(task.id, () => this.apply(task, remote));
  }

  /** One pass over the due tasks (what each timer tick runs); exposed for tests. */
  async step(): Promise<void> {
    const waitMs = this.pausedUntil - this.now();
    if (waitMs > 0) return;
    const due = (await this.deps.tasks.claimDue(new Date(this.now()), BATCH)).filter((t) => !this.inFlight.has(t.id));
    const unconfirmed = due.filter((t) => !t.providerTaskId && t.submittedAt);
    const rest = due.filter((t) => !unconfirmed.includes(t));
    if (unconfirmed.length) await this.guardedAll(unconfirmed, () => this.reconcile(unconfirmed));
    await runLimited(rest, CONCURRENCY, (task) => this.guarded(task.id, () => this.handle(task)), this.deps.log);
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private after(ms: number): Date {
    return new Date(this.now() + ms);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => void this.tick(), Math.max(0, ms));
  }

  private async tick() {
    this.ticking = true;
    try {
      const pausedMs = this.pausedUntil - this.now();
      if (pausedMs > 0) return this.schedule(pausedMs);
      await this.step();
      const next = await this.deps.tasks.nextDueAt();
      const untilNext = next ? next.getTime() - this.now() : IDLE_CHECK_MS;
      this.schedule(this.again ? 0 : Math.min(Math.max(untilNext, 50), IDLE_CHECK_MS));
    } catch (error) {
      this.deps.log(`[follower] tick failed: ${error instanceof Error ? error.message : String(error)}`);
      this.schedule(IDLE_CHECK_MS);
    } finally {
      this.again = false;
      this.ticking = false;
    }
  }

  /** Runs one step on a task this instance has leased, then gives the lease back. */
  private async guarded(id: string, work: () => Promise<void>) {
    this.inFlight.add(id);
    try {
      await work();
    } finally {
      this.inFlight.delete(id);
      await this.deps.tasks.release(id).catch(() => undefined); // it expires anyway
    }
    const report = this.pendingReports.get(id);
    if (report) {
      this.pendingReports.delete(id);
      await this.report(report);
    }
  }

  private async guardedAll(tasks: FollowedTask[], work: () => Promise<void>) {
    for (const t of tasks) this.inFlight.add(t.id);
    try {
      await work();
    } finally {
      for (const t of tasks) {
        this.inFlight.delete(t.id);
        await this.deps.tasks.release(t.id).catch(() => undefined);
      }
    }
  }

  private async handle(task: FollowedTask) {
    const startedAt = (task.refetchedAt ?? task.createdAt).getTime();
    if (this.now() - startedAt > this.deps.config.taskTimeoutMs) {
      // A picture the provider already made is never called failed: a person can fetch it again.
      if (task.providerStatus === 'COMPLETED') await this.deps.tasks.markUnsaved(task.id, 'Timed out while saving the picture.');
      else await this.deps.tasks.markFailed(task.id, 'Timed out');
    } else if (!task.providerTaskId) {
      await this.submit(task);
    } else {
      await this.poll(task, task.providerTaskId);
    }
  }

  private async submit(task: FollowedTask) {
    const { tasks, config, budget } = this.deps;
    // The spending guard: the caps are checked as the task is marked sent, in one step (race-safe).
    const now = new Date(this.now());
    const caps = await budget.caps(now);
    if (!(await tasks.markSubmitting(task.id, now, caps))) {
      // A limit is reached (or the task moved on): it stays Queued, unsent — never failed — until the reset.
      const hold = caps.length ? await budget.hold(now) : null;
      if (hold) await tasks.markHeldByBudget(task.id, hold.detail, hold.until);
      return;
    }
    try {
      const created = await (await this.deps.provider()).createTask(task.spec, task.body, config.webhookUrl);
      this.deps.health.keyAccepted();
      const progress = created.status === 'CREATED' ? 'CREATED' : 'IN_PROGRESS';
      // Already finished at creation: look again right away.
      const finished = created.status === 'COMPLETED' || created.status === 'FAILED';
      await tasks.markAccepted(task.id, created.taskId, progress, this.after(finished ? 0 : pollInterval(0, !!config.webhookUrl)));
    } catch (error) {
      await this.submitFailed(task, this.asUpstreamError(error));
    }
  }

  private async submitFailed(task: FollowedTask, e: UpstreamError) {
    const { tasks } = this.deps;
    if (e.failure === 'transient' && task.attempts < MAX_SUBMIT_WAITS) {
      // 429/503: the provider did not take the request, so sending it again is safe.
      const delay = Math.max(e.details.retryAfterMs ?? 0, backoffDelay(task.attempts, { baseMs: 1_000, random: this.deps.random }));
      await tasks.markWaiting(task.id, 'Waiting for provider', this.after(delay), task.attempts + 1);
    } else if (e.failure === 'unknown-outcome') {
      await tasks.markUnconfirmed(task.id, 'Checking whether the provider received this request', this.after(RECONCILE_AFTER_MS));
    } else {
      if (e.kind === 'unauthorized') this.keyRejected();
      await tasks.markFailed(task.id, e.message);
    }
  }

  /**
   * Creates whose outcome we never learned (see docs/decisions/0005). The
   * provider's task list tells: no task we do not know → it never arrived, so
   * sending again is safe; exactly as many unknown tasks as unconfirmed ones
   * and just one of each → it is ours; anything else is left for a person.
   */
  private async reconcile(unconfirmed: FollowedTask[]) {
    // Each model has its own list endpoint: a model's unconfirmed creates are judged by its own list.
    const byModel = new Map<string, FollowedTask[]>();
    for (const task of unconfirmed) byModel.set(task.spec.id, [...(byModel.get(task.spec.id) ?? []), task]);
    for (const group of byModel.values()) await this.reconcileModel(group);
  }

  private async reconcileModel(unconfirmed: FollowedTask[]) {
    const { tasks } = this.deps;
    let listed: Array<{ taskId: string }>;
    try {
      listed = await (await this.deps.provider()).listTasks(unconfirmed[0].spec);
    } catch (error) {
      if (this.asUpstreamError(error).kind === 'unauthorized') this.keyRejected();
      for (const task of unconfirmed) {
        await tasks.reschedule(
          task.id,
          this.after(backoffDelay(task.attempts, { baseMs: 2_000, random: this.deps.random })),
          task.attempts + 1,
        );
      }
      return;
    }
    const known = await tasks.knownProviderTaskIds(listed.map((t) => t.taskId));
    const orphans = listed.filter((t) => !known.has(t.taskId));

    if (orphans.length === 0) {
      for (const task of unconfirmed) {
        const sentAgo = this.now() - (task.submittedAt?.getTime() ?? 0);
        if (sentAgo < SETTLE_MS) await tasks.reschedule(task.id, this.after(SETTLE_MS - sentAgo), task.attempts);
        else await tasks.markWaiting(task.id, 'Sending again: the provider never received it', this.after(0), task.attempts);
      }
    } else if (orphans.length === 1 && unconfirmed.length === 1) {
      await tasks.markAccepted(unconfirmed[0].id, orphans[0].taskId, 'IN_PROGRESS', this.after(0));
    } else {
      for (const task of unconfirmed) {
        await tasks.markUnconfirmed(
          task.id,
          'Unconfirmed: the provider may have received this request. Send it again (it may be charged twice) or discard it.',
          this.after(UNCONFIRMED_RECHECK_MS),
          true,
        );
      }
    }
  }

  private async poll(task: FollowedTask, providerTaskId: string) {
    try {
      const remote = await (await this.deps.provider()).getTask(task.spec, providerTaskId);
      this.deps.health.keyAccepted();
      await this.apply(task, remote);
    } catch (error) {
      const e = this.asUpstreamError(error);
      if (e.kind === 'not-found') {
        // Gone upstream: if it had finished, the picture was made but is out of reach now.
        if (task.providerStatus === 'COMPLETED') await this.deps.tasks.markUnsaved(task.id, 'The provider no longer has this picture.');
        else await this.deps.tasks.markFailed(task.id, 'The provider no longer knows this task.');
        return;
      }
      if (e.kind === 'unauthorized') this.keyRejected();
      // Poll failures count on `attempts` only (backoff); they never use up the picture's download tries.
      const delay = Math.max(e.details.retryAfterMs ?? 0, backoffDelay(task.attempts, { baseMs: 1_000, random: this.deps.random }));
      await this.deps.tasks.reschedule(task.id, this.after(delay), task.attempts + 1, e.kind === 'unauthorized' ? e.message : undefined);
    }
  }

  /** One provider report (from a poll or a webhook) applied to our task. */
  private async apply(task: FollowedTask, remote: ProviderTask) {
    const { tasks, config } = this.deps;
    if (remote.status === 'FAILED') {
      await tasks.markFailed(task.id, 'The provider could not generate this picture.', 'FAILED');
    } else if (remote.status === 'COMPLETED') {
      await this.collect(task, remote.imageUrls);
    } else {
      const age = this.now() - task.createdAt.getTime();
      await tasks.markProgress(task.id, remote.status, this.after(pollInterval(age, !!config.webhookUrl)), {
        attempts: 0,
        statusDetail: null,
      });
    }
  }

  /**
   * Download, verify and store the picture; only then is the task Completed.
   * A failed try (expired or refused link, network, damaged bytes) is followed
   * by a fresh status read — which brings fresh signed links — up to
   * MAX_DOWNLOAD_TRIES; then the task rests as Unsaved, whose action fetches
   * this same provider task again. Never a new, paid generation.
   */
  private async collect(task: FollowedTask, urls: string[]) {
    const { tasks, pictures } = this.deps;
    try {
      const url = urls[0];
      if (!url) throw new Error('The provider finished without a picture.');
      const bytes = await pictures.fetch(url);
      const expected = { ratio: task.ratio, shapeOnly: task.spec.shapeOnly };
      await tasks.markCompleted(task.id, await pictures.ingest(bytes, expected, url.startsWith('data:') ? null : url));
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      const tries = task.downloadAttempts + 1;
      this.deps.log(`[follower] saving the picture of task ${task.id} failed (try ${tries} of ${MAX_DOWNLOAD_TRIES}): ${reason}`);
      if (tries >= MAX_DOWNLOAD_TRIES) {
        await tasks.markUnsaved(task.id, `The picture was made but could not be saved: ${reason}`, tries);
      } else {
        await tasks.markProgress(task.id, 'COMPLETED', this.after(backoffDelay(tries - 1, { random: this.deps.random })), {
          downloadAttempts: tries,
          statusDetail: 'Saving picture',
        });
      }
    }
  }

  private keyRejected() {
    // Stop hammering the provider with a key it refuses; the UI says why.
    this.pausedUntil = this.now() + KEY_REJECTED_PAUSE_MS;
    this.deps.health.keyRejected();
  }

  private asUpstreamError(error: unknown): UpstreamError {
    if (error instanceof UpstreamError) return error;
    this.deps.log(`[follower] unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return new UpstreamError('invalid-response');
  }
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>, log: (message: string) => void) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((error) => log(`[follower] task step failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  });
  await Promise.all(lanes);
}
