import { UpstreamError, type UpstreamErrorKind } from '@/lib/freepik/errors';
import type { ProviderTask } from '@/lib/freepik/schemas';
import { MODELS } from '@/lib/freepik/models';
import type { ModelSpec } from '@/lib/freepik/models';
import type { IngestedPicture } from '@/lib/images/ingest';
import { blockedUntilOf, capsOf, holdDetail, periodEnd, periodStart, type SubmitCap } from '@/lib/spending/rules';
import type { FollowedTask, FollowerBudget, FollowerDeps, FollowerProvider, FollowerTaskStore } from '@/lib/tasks/follower-deps';
import { allowedSources, type TaskStatus } from '@/lib/tasks/status';
import { FakeClock } from './fake-clock';

/**
 * An in-memory world for the follower: tasks (with the state machine's rule
 * that a write applies only from an allowed status), a scriptable provider,
 * picture fetching, and a fake clock. Every provider call is recorded.
 */

export type FakeTask = FollowedTask & {
  statusDetail: string | null;
  nextCheckAt: Date | null;
  needsDecision: boolean;
  picture: IngestedPicture | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
};

const LEASE_MS = 90_000;

const UNFINISHED: TaskStatus[] = ['QUEUED', 'GENERATING'];

export class FakeTaskStore implements FollowerTaskStore {
  private seq = { value: 0 };

  /** One table of tasks; each instance of the app gets its own view (`as(owner)`) with its own lease owner. */
  constructor(
    private readonly clock: FakeClock,
    readonly owner = 'instance-a',
    readonly tasks = new Map<string, FakeTask>(),
  ) {}

  as(owner: string): FakeTaskStore {
    const view = new FakeTaskStore(this.clock, owner, this.tasks);
    view.seq = this.seq;
    return view;
  }

  add(fields: Partial<FakeTask> = {}): FakeTask {
    const n = ++this.seq.value;
    const task: FakeTask = {
      id: `task-${n}`,
      spec: MODELS.runway,
      body: { prompt: `prompt ${n}`, ratio: '1024:1024', seed: 1000 + n },
      ratio: '1024:1024',
      status: 'QUEUED',
      providerTaskId: null,
      providerStatus: null,
      attempts: 0,
      downloadAttempts: 0,
      submittedAt: null,
      createdAt: new Date(this.clock.now()),
      refetchedAt: null,
      statusDetail: null,
      nextCheckAt: null,
      needsDecision: false,
      picture: null,
      leaseOwner: null,
      leaseUntil: null,
      ...fields,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  get(id: string): FakeTask {
    return this.tasks.get(id)!;
  }

  /** Like the state machine's leased transitions: only from an allowed status, and only while holding the lease. */
  private write(id: string, to: TaskStatus, data: Partial<FakeTask>, from = allowedSources(to), leased = true): boolean {
    const task = this.tasks.get(id);
    if (!task || !from.includes(task.status)) return false;
    if (leased && task.leaseOwner !== this.owner) return false;
    Object.assign(task, data, { status: to });
    return true;
  }

  private leaseFree(task: FakeTask) {
    return task.leaseOwner === null || task.leaseOwner === this.owner || (task.leaseUntil ?? 0) < this.clock.now();
  }
  async claimDue(now: Date, limit: number) {
    const due = [...this.tasks.values()].filter(
      (t) => UNFINISHED.includes(t.status) && (!t.nextCheckAt || t.nextCheckAt <= now) && this.leaseFree(t),
    );
    return due.slice(0, limit).map((t) => {
      Object.assign(t, { leaseOwner: this.owner, leaseUntil: this.clock.now() + LEASE_MS });
      return { ...t };
    });
  }
  async claim(id: string) {
    const task = this.tasks.get(id);
    if (!task || !UNFINISHED.includes(task.status) || !this.leaseFree(task)) return null;
    Object.assign(task, { leaseOwner: this.owner, leaseUntil: this.clock.now() + LEASE_MS });
    return { ...task };
  }
  async renew(ids: string[]) {
    for (const id of ids) {
      const task = this.tasks.get(id);
      if (task?.leaseOwner === this.owner) task.leaseUntil = this.clock.now() + LEASE_MS;
    }
  }
  async release(id: string) {
    const task = this.tasks.get(id);
    if (task?.leaseOwner === this.owner) Object.assign(task, { leaseOwner: null, leaseUntil: null });
  }
  async nudge(id: string) {
    const task = this.tasks.get(id);
    if (task && UNFINISHED.includes(task.status)) task.nextCheckAt = new Date(this.clock.now());
  }
  async nextDueAt() {
    const open = [...this.tasks.values()].filter((t) => UNFINISHED.includes(t.status));
    if (!open.length) return null;
    return new Date(Math.min(...open.map((t) => t.nextCheckAt?.getTime() ?? 0)));
  }
  async byProviderId(providerTaskId: string) {
    const task = [...this.tasks.values()].find((t) => t.providerTaskId === providerTaskId);
    return task ? { ...task } : null;
  }
  async knownProviderTaskIds(ids: string[]) {
    const known = new Set([...this.tasks.values()].map((t) => t.providerTaskId));
    return new Set(ids.filter((id) => known.has(id)));
  }
  /** Tasks sent upstream in [from, to), as the spending guard counts them (by submittedAt). */
  sentBetween(from: Date, to: Date): number {
    return [...this.tasks.values()].filter((t) => t.submittedAt && t.submittedAt >= from && t.submittedAt < to).length;
  }
  /** Like the state machine: the caps are checked and the task marked in one step (nothing awaits in between). */
  async markSubmitting(id: string, now = new Date(this.clock.now()), caps: SubmitCap[] = []) {
    if (caps.some((cap) => this.sentBetween(cap.from, cap.to) >= cap.limit)) return false;
    return this.write(id, 'QUEUED', { submittedAt: now, statusDetail: 'Sending to provider' });
  }
  async markHeldByBudget(id: string, detail: string, until: Date) {
    return this.write(id, 'QUEUED', { statusDetail: detail, nextCheckAt: until, refetchedAt: until });
  }
  async markUnconfirmed(id: string, detail: string, nextCheckAt: Date, needsDecision = false) {
    return this.write(id, 'QUEUED', { statusDetail: detail, nextCheckAt, needsDecision });
  }
  async markWaiting(id: string, detail: string, nextCheckAt: Date, attempts: number) {
    return this.write(id, 'QUEUED', { submittedAt: null, needsDecision: false, statusDetail: detail, nextCheckAt, attempts });
  }
  async markAccepted(id: string, providerTaskId: string, providerStatus: 'CREATED' | 'IN_PROGRESS', nextCheckAt: Date) {
    const to = providerStatus === 'CREATED' ? 'QUEUED' : 'GENERATING';
    return this.write(id, to, {
      providerTaskId,
      providerStatus,
      needsDecision: false,
      statusDetail: null,
      attempts: 0,
      downloadAttempts: 0,
      nextCheckAt,
    });
  }
  async markProgress(
    id: string,
    providerStatus: 'CREATED' | 'IN_PROGRESS' | 'COMPLETED',
    nextCheckAt: Date,
    extra: { attempts?: number; downloadAttempts?: number; statusDetail?: string | null } = {},
  ) {
    const to = providerStatus === 'CREATED' ? 'QUEUED' : 'GENERATING';
    return this.write(id, to, { providerStatus, nextCheckAt, ...extra });
  }
  async reschedule(id: string, nextCheckAt: Date, attempts: number, statusDetail?: string) {
    const task = this.tasks.get(id);
    if (!task || !UNFINISHED.includes(task.status) || task.leaseOwner !== this.owner) return false;
    Object.assign(task, { nextCheckAt, attempts }, statusDetail === undefined ? {} : { statusDetail });
    return true;
  }
  async markCompleted(id: string, picture: IngestedPicture) {
    return this.write(id, 'COMPLETED', { picture, providerStatus: 'COMPLETED', statusDetail: null, nextCheckAt: null });
  }
  async markFailed(id: string, reason: string, providerStatus?: string) {
    return this.write(id, 'FAILED', { statusDetail: reason, nextCheckAt: null, ...(providerStatus ? { providerStatus } : {}) });
  }
  async markUnsaved(id: string, reason: string, downloadAttempts?: number) {
    return this.write(id, 'UNSAVED', {
      statusDetail: reason,
      nextCheckAt: null,
      ...(downloadAttempts === undefined ? {} : { downloadAttempts }),
    });
  }
  /** The person's "Fetch again" (state-machine markRefetching; no lease needed). */
  refetch(id: string) {
    return this.write(
      id,
      'GENERATING',
      {
        providerStatus: 'COMPLETED',
        statusDetail: 'Fetching the picture again',
        downloadAttempts: 0,
        attempts: 0,
        nextCheckAt: new Date(this.clock.now()),
        refetchedAt: new Date(this.clock.now()),
      },
      ['UNSAVED'],
      false,
    );
  }
}

/** The spending guard over the fake tasks (lib/spending/budget.ts followerBudget's rules); no limits unless a test sets them. */
export class FakeBudget implements FollowerBudget {
  limits: { daily: number | null; monthly: number | null } = { daily: null, monthly: null };

  constructor(private readonly tasks: FakeTaskStore) {}

  async caps(now: Date) {
    return capsOf(this.limits, now);
  }

  async hold(now: Date) {
    const usage = (period: 'day' | 'month', limit: number | null) => ({
      used: this.tasks.sentBetween(periodStart(period, now), periodEnd(period, now)),
      limit,
    });
    const state = { day: usage('day', this.limits.daily), month: usage('month', this.limits.monthly) };
    const until = blockedUntilOf(state, now);
    const detail = holdDetail(state, now);
    return until && detail ? { until, detail } : null;
  }
}

type Scripted<T> = T | UpstreamErrorKind | ((call: number) => T | UpstreamErrorKind);

/** A provider whose answers the test scripts; unscripted calls behave like a healthy provider. */
export class FakeProvider implements FollowerProvider {
  /** Every task the provider has, with the model whose endpoint made it (each model lists and reads only its own). */
  readonly upstream = new Map<string, { model: string; status: ProviderTask['status']; request: unknown }>();
  readonly calls = { create: [] as unknown[], get: [] as string[], list: 0 };
  /** Answers for the next create calls, in order ('server-error' etc. throw; `{ createdAnyway }` throws *after* creating). */
  createScript: Array<UpstreamErrorKind | { createdAnyway: UpstreamErrorKind } | 'create-then-hang'> = [];
  getScript: Array<Scripted<ProviderTask['status']>> = [];
  listScript: UpstreamErrorKind[] = [];
  private seq = 0;
  private linkVersion = 0;

  async createTask(spec: ModelSpec, body: Record<string, unknown>, webhookUrl?: string): Promise<ProviderTask> {
    const request = { model: spec.id, ...body, ...(webhookUrl ? { webhookUrl } : {}) };
    this.calls.create.push(request);
    const scripted = this.createScript.shift();
    if (typeof scripted === 'string' && scripted !== 'create-then-hang') throw new UpstreamError(scripted);
    const taskId = `up-${++this.seq}`;
    this.upstream.set(taskId, { model: spec.id, status: 'IN_PROGRESS', request });
    // The caller dies mid-call: the provider made the task, the answer never comes.
    if (scripted === 'create-then-hang') return new Promise<never>(() => undefined);
    if (scripted) throw new UpstreamError(scripted.createdAnyway);
    return { taskId, status: 'IN_PROGRESS', imageUrls: [] };
  }

  async getTask(spec: ModelSpec, taskId: string): Promise<ProviderTask> {
    this.calls.get.push(taskId);
    const scripted = this.getScript.shift();
    const answer = typeof scripted === 'function' ? scripted(this.calls.get.length) : scripted;
    const known = this.upstream.get(taskId);
    if (!known || known.model !== spec.id) throw new UpstreamError('not-found');
    if (answer && answer !== 'CREATED' && answer !== 'IN_PROGRESS' && answer !== 'COMPLETED' && answer !== 'FAILED') {
      throw new UpstreamError(answer);
    }
    const status = (answer as ProviderTask['status'] | undefined) ?? known.status;
    // Each read hands out a fresh signed link, as the real provider does.
    return { taskId, status, imageUrls: status === 'COMPLETED' ? [`https://cdn.example/${taskId}.png?v=${++this.linkVersion}`] : [] };
  }

  /** Which models' lists were read, in order. */
  readonly listed: string[] = [];

  async listTasks(spec: ModelSpec) {
    this.calls.list++;
    this.listed.push(spec.id);
    const scripted = this.listScript.shift();
    if (scripted) throw new UpstreamError(scripted);
    return [...this.upstream.entries()].filter(([, t]) => t.model === spec.id).map(([taskId, t]) => ({ taskId, status: t.status }));
  }

  finish(taskId: string) {
    this.upstream.get(taskId)!.status = 'COMPLETED';
  }
}

export function fakePicture(url: string): IngestedPicture {
  return {
    sha256: 'f'.repeat(64),
    path: 'images/ff/x.png',
    mimeType: 'image/png',
    width: 1024,
    height: 1024,
    bytes: 3,
    placeholder: null,
    sourceUrl: url,
    thumbnails: [],
  };
}

export function fakeWorld(config: Partial<FollowerDeps['config']> = {}) {
  const clock = new FakeClock();
  const tasks = new FakeTaskStore(clock);
  const budget = new FakeBudget(tasks);
  const provider = new FakeProvider();
  const downloads: string[] = [];
  /** Answers for the next downloads, in order (an error kind throws). */
  const downloadScript: UpstreamErrorKind[] = [];
  const health = { accepted: 0, rejected: 0 };
  const logs: string[] = [];
  const deps: FollowerDeps = {
    provider: async () => provider,
    tasks,
    budget,
    pictures: {
      async fetch(url) {
        downloads.push(url);
        const failure = downloadScript.shift();
        if (failure) throw new UpstreamError(failure);
        return Buffer.from('png');
      },
      async ingest(_bytes, _expected, url) {
        return fakePicture(url ?? 'inline');
      },
    },
    clock,
    config: { taskTimeoutMs: 10 * 60_000, webhookUrl: undefined, leaseMs: LEASE_MS, ...config },
    health: { keyAccepted: () => void health.accepted++, keyRejected: () => void health.rejected++ },
    log: (message) => void logs.push(message),
    random: () => 0.5,
  };
  return { clock, tasks, budget, provider, downloads, downloadScript, health, logs, deps };
}
