import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { RunningSimulator } from '@/lib/simulator/server';
import { simulatorControl } from '@/lib/simulator/control';
import { waitForFinish, startIntegration, stopIntegration } from '../support/integration';
import { DEFAULT_FILTER } from '@/lib/gallery/filters';

// Real pieces end to end, in-process: migrations on a fresh SQLite file, the
// service and follower, the production HTTP client, and the simulator.
const KEY = 'integration-key-0123456789';
let sim: RunningSimulator;
let dataDir: string;
let service: typeof import('@/lib/tasks/service');
let repo: typeof import('@/lib/tasks/repository');
let machine: typeof import('@/lib/tasks/state-machine');

beforeAll(async () => {
  ({ sim, dataDir } = await startIntegration('lifecycle', { key: KEY }));
  service = await import('@/lib/tasks/service');
  repo = await import('@/lib/tasks/repository');
  machine = await import('@/lib/tasks/state-machine');
});

afterAll(() => stopIntegration(sim));

const createsWith = (text: string) => sim.log.creates.filter((c) => JSON.stringify(c.body).includes(text));

describe('task lifecycle', () => {
  it('rejects bad input with field errors: nothing stored, nothing sent', async () => {
    const before = sim.log.creates.length;
    const result = await service.requestGeneration({ prompt: '', ratio: '3:2', seed: '-4' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['prompt', 'ratio', 'seed']);
    expect((await (await import('@/lib/gallery/query')).listTasks(DEFAULT_FILTER)).tasks).toHaveLength(0);
    expect(sim.log.creates.length).toBe(before);
  });

  it('queues, submits with an explicit seed, downloads, verifies and stores the picture', async () => {
    const result = await service.requestGeneration({ prompt: 'lifecycle fox', ratio: '720:960', seed: '' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.task.status).toBe('QUEUED');
    const done = await waitForFinish(result.task.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.image).toMatchObject({ width: 720, height: 960 });

    const [create] = createsWith('lifecycle fox');
    expect(create.body).toEqual({ prompt: 'lifecycle fox', ratio: '720:960', seed: done.seed });

    const row = await repo.findTaskRow(done.id);
    const bytes = readFileSync(path.join(dataDir, row!.image!.path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(row!.image!.sha256);
    expect(row!.image!.path).toContain(row!.image!.sha256);
  });

  it('never moves a finished task backwards', async () => {
    const result = await service.requestGeneration({ prompt: 'monotonic owl', ratio: '720:720', seed: '5' });
    if (!result.ok) throw new Error(result.error);
    await waitForFinish(result.task.id);
    expect(await machine.markProgress(result.task.id, 'IN_PROGRESS', new Date())).toBe(false);
    expect(await machine.markFailed(result.task.id, 'late report')).toBe(false);
    expect(await machine.markAccepted(result.task.id, 'other', 'CREATED', new Date())).toBe(false);
    expect((await repo.findTask(result.task.id))?.status).toBe('COMPLETED');
  });

  it('the same request id twice makes one task and one upstream create', async () => {
    const requestId = crypto.randomUUID();
    const input = { prompt: 'idempotent heron', ratio: '1024:1024', seed: '9' };
    const [a, b] = await Promise.all([service.requestGeneration(input, { requestId }), service.requestGeneration(input, { requestId })]);
    const c = await service.requestGeneration(input, { requestId });
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected success');
    expect(new Set([a.task.id, b.task.id, c.task.id]).size).toBe(1);
    await waitForFinish(a.task.id);
    expect(createsWith('idempotent heron').filter((x) => x.status === 200)).toHaveLength(1);
  });

  it('waits through 429/503 on create and submits exactly once when allowed', async () => {
    sim.configure({ faults: { rate429: 0.5, rate503: 0.5 } });
    const result = await service.requestGeneration({ prompt: 'patient lynx', ratio: '960:720', seed: '1' });
    if (!result.ok) throw new Error(result.error);
    await expect.poll(() => createsWith('patient lynx').length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect((await repo.findTask(result.task.id))?.status).toBe('QUEUED');
    sim.configure({ faults: { rate429: 0, rate503: 0 } });
    const done = await waitForFinish(result.task.id, 20_000);
    expect(done.status).toBe('COMPLETED');
    expect(createsWith('patient lynx').filter((x) => x.status === 200)).toHaveLength(1);
  });

  it('keeps polling through transient status errors', async () => {
    const result = await service.requestGeneration({ prompt: 'stubborn crane', ratio: '1680:720', seed: '3' });
    if (!result.ok) throw new Error(result.error);
    await expect.poll(() => createsWith('stubborn crane').filter((x) => x.status === 200).length).toBe(1);
    sim.configure({ faults: { rate500: 1 } });
    await new Promise((r) => setTimeout(r, 1_200));
    sim.configure({ faults: { rate500: 0 } });
    expect((await waitForFinish(result.task.id, 20_000)).status).toBe('COMPLETED');
  });

  it('30 % 429/500/503 for a while: every task completes, each created upstream exactly once', async () => {
    sim.configure({ faults: { rate429: 0.1, rate500: 0.1, rate503: 0.1 } });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => service.requestGeneration({ prompt: `storm batch ${i}`, ratio: '720:720', seed: String(i) })),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    sim.configure({ faults: { rate429: 0, rate500: 0, rate503: 0 } });
    for (const result of results) {
      if (!result.ok) throw new Error(result.error);
      expect((await waitForFinish(result.task.id, 30_000)).status).toBe('COMPLETED');
    }
    const log = await simulatorControl<{ tasks: Array<{ prompt: string }> }>({ url: sim.url, apiKey: KEY }, '/__sim/log');
    for (let i = 0; i < 12; i++) {
      expect(
        log.tasks.filter((t) => t.prompt === `storm batch ${i}`),
        `storm batch ${i}`,
      ).toHaveLength(1);
    }
  });

  it('an Unsaved picture stays put until Fetch again, which completes it from the same provider task', async () => {
    const result = await service.requestGeneration({ prompt: 'unsaved heron', ratio: '720:720', seed: '12' });
    if (!result.ok) throw new Error(result.error);
    const id = result.task.id;
    await expect.poll(async () => (await repo.findTaskRow(id))?.providerTaskId, { timeout: 5_000 }).toBeTruthy();
    // As the follower does after MAX_DOWNLOAD_TRIES failed fetches (unit-tested with a fake clock).
    await expect
      .poll(() => machine.markUnsaved(id, 'The picture was made but could not be saved: network', 5), { timeout: 5_000 })
      .toBe(true);
    expect(await repo.findTask(id)).toMatchObject({ status: 'UNSAVED', image: null });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await repo.findTask(id))?.status).toBe('UNSAVED'); // the follower leaves it alone
    expect(await service.regenerate(id, 'retry')).toMatchObject({ ok: true }); // (Retry would be a new task …)

    const again = await service.refetchPicture(id);
    expect(again).toMatchObject({ ok: true, task: { id, status: 'GENERATING', statusDetail: 'Fetching the picture again' } });
    expect((await waitForFinish(id)).status).toBe('COMPLETED');
    // … Fetch again is not: one create for this prompt besides the Retry above.
    expect(createsWith('unsaved heron').filter((x) => x.status === 200)).toHaveLength(2);
    expect(await service.refetchPicture(id)).toMatchObject({ ok: false });
  });

  it('Reproduce links to its parent and keeps the seed; New seed picks another', async () => {
    const first = await service.requestGeneration({ prompt: 'lineage moth', ratio: '1080:1080', seed: '77' });
    if (!first.ok) throw new Error(first.error);
    const again = await service.regenerate(first.task.id, 'reproduce');
    const other = await service.regenerate(first.task.id, 'new-seed');
    if (!again.ok || !other.ok) throw new Error('expected success');
    expect(again.task).toMatchObject({ parentId: first.task.id, origin: 'reproduce', seed: 77 });
    expect(other.task).toMatchObject({ parentId: first.task.id, origin: 'new-seed' });
    expect(other.task.seed).not.toBe(77);
  });

  it('a provider FAILED task fails with a reason', async () => {
    const result = await service.requestGeneration({ prompt: 'doomed [sim:fail]', ratio: '720:1280', seed: '' });
    if (!result.ok) throw new Error(result.error);
    const done = await waitForFinish(result.task.id);
    expect(done).toMatchObject({ status: 'FAILED', statusDetail: 'The provider could not generate this picture.' });
  });

  it('a rejected key fails the task with a clear message that does not contain the key', async () => {
    sim.configure({ apiKey: 'a-different-key' });
    const result = await service.requestGeneration({ prompt: 'locked door', ratio: '720:720', seed: '' });
    if (!result.ok) throw new Error(result.error);
    const done = await waitForFinish(result.task.id);
    expect(done.status).toBe('FAILED');
    expect(done.statusDetail).toMatch(/rejected the API key/);
    expect(done.statusDetail).not.toContain(KEY);
    sim.configure({ apiKey: KEY });
  });
});
