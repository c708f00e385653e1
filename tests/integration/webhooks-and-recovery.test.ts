import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, signWebhook, type RunningSimulator } from '@/lib/simulator/server';
import { simulatorControl } from '@/lib/simulator/control';
import { setupDatabase } from '../support/test-db';

// Webhooks travel over real HTTP: simulator → a loopback server → our route handler.
const KEY = 'webhook-key-0123456789';
const SECRET = `whsec_${Buffer.from('integration-webhook-secret-bytes').toString('base64')}`;
let sim: RunningSimulator;
let receiver: http.Server;
let receiverUrl: string;
let repo: typeof import('@/lib/tasks/repository');
let service: typeof import('@/lib/tasks/service');
let route: typeof import('@/app/api/webhooks/freepik/route');
let database: typeof import('@/lib/db/client');

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, inProgressAfterMs: 50, completeAfterMs: 300, webhookSecret: SECRET });
  receiver = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await route.POST(new Request(`${receiverUrl}${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  await setupDatabase('webhooks', {
    FREEPIK_API_KEY: KEY,
    FREEPIK_API_BASE_URL: sim.url,
    FREEPIK_WEBHOOK_SECRET: SECRET,
    PUBLIC_BASE_URL: receiverUrl,
  });
  repo = await import('@/lib/tasks/repository');
  service = await import('@/lib/tasks/service');
  route = await import('@/app/api/webhooks/freepik/route');
  database = await import('@/lib/db/client');
});

afterAll(async () => {
  (await import('@/lib/tasks/follower-instance')).follower().stop();
  await sim.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function generate(prompt: string) {
  const result = await service.requestGeneration({ prompt, ratio: '720:720', seed: '' });
  if (!result.ok) throw new Error(result.error);
  return result.task.id;
}

async function finished(id: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await repo.findTask(id);
    if (task?.status === 'COMPLETED' || task?.status === 'FAILED') return { task, ms: timeoutMs - (deadline - Date.now()) };
    if (Date.now() > deadline) throw new Error(`still ${task?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const okCreates = (prompt: string) => sim.log.creates.filter((c) => c.status === 200 && JSON.stringify(c.body).includes(prompt));

async function simTasks(prompt: string): Promise<Array<{ task_id: string; prompt: string }>> {
  const log = await simulatorControl<{ tasks: Array<{ task_id: string; prompt: string }> }>({ url: sim.url, apiKey: KEY }, '/__sim/log');
  return log.tasks.filter((t) => t.prompt === prompt);
}

function post(body: string, headers: Record<string, string>) {
  return route.POST(new Request('http://127.0.0.1/api/webhooks/freepik', { method: 'POST', body, headers }));
}

describe('webhooks', () => {
  it('sends webhook_url and completes from the webhook, without a single status read', async () => {
    const id = await generate('webhook swift');
    const { task } = await finished(id, 15_000);
    expect(task.status).toBe('COMPLETED');
    // With webhooks on, the first poll comes 5 s after submit: no status call for this task proves the push path
    // (independent of how long storing the picture took on a busy machine).
    const providerTaskId = (await repo.findTaskRow(id))!.providerTaskId;
    expect(sim.log.statusCalls.filter((c) => c.taskId === providerTaskId)).toEqual([]);
    expect(okCreates('webhook swift')[0].body).toMatchObject({ webhook_url: `${receiverUrl}/api/webhooks/freepik` });
  });

  it('rejects a bad signature with 401 and changes nothing; dedupes a replayed webhook-id', async () => {
    const id = await generate('webhook guarded');
    await expect.poll(async () => (await repo.findTaskRow(id))?.providerTaskId).toBeTruthy();
    const providerTaskId = (await repo.findTaskRow(id))!.providerTaskId!;
    const body = JSON.stringify({ task_id: providerTaskId, status: 'FAILED', generated: [] });
    const ts = Math.floor(Date.now() / 1000);
    const forged = await post(body, { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(ts), 'webhook-signature': 'v1,Zm9yZ2Vk' });
    expect(forged.status).toBe(401);
    const stale = await post(body, {
      'webhook-id': 'msg_stale',
      'webhook-timestamp': String(ts - 600),
      'webhook-signature': signWebhook(SECRET, 'msg_stale', ts - 600, body),
    });
    expect(stale.status).toBe(401);
    expect((await repo.findTask(id))?.status).not.toBe('FAILED');

    const { task } = await finished(id, 4_000);
    expect(task.status).toBe('COMPLETED');
    // A genuine but late FAILED delivery can't reopen a finished task; a replay is recognised.
    const headers = {
      'webhook-id': 'msg_late',
      'webhook-timestamp': String(ts),
      'webhook-signature': signWebhook(SECRET, 'msg_late', ts, body),
    };
    expect(await (await post(body, headers)).json()).toMatchObject({ duplicate: false });
    expect(await (await post(body, headers)).json()).toMatchObject({ duplicate: true });
    await new Promise((r) => setTimeout(r, 200));
    expect((await repo.findTask(id))?.status).toBe('COMPLETED');
  });

  it('survives duplicated and out-of-order deliveries: one picture, still Completed', async () => {
    sim.configure({ webhookFaults: { duplicateRate: 1, reorder: true } });
    const id = await generate('webhook chaos');
    const { task } = await finished(id, 8_000);
    sim.configure({ webhookFaults: { duplicateRate: 0, reorder: false } });
    expect(task.status).toBe('COMPLETED');
    await new Promise((r) => setTimeout(r, 500));
    expect((await repo.findTask(id))?.status).toBe('COMPLETED');
    expect(await database.db().image.count({ where: { taskId: id } })).toBe(1);
  });

  it('a delivery reaching an instance that does not hold the task is handed to the holder, once', async () => {
    sim.configure({ webhookFaults: { dropRate: 1 } }); // we deliver by hand below
    const id = await generate('webhook handoff');
    await expect.poll(async () => (await repo.findTaskRow(id))?.providerTaskId, { timeout: 5_000 }).toBeTruthy();
    const row = (await repo.findTaskRow(id))!;
    const leases = await import('@/lib/tasks/leases');
    // Another instance follows this task right now.
    await expect.poll(async () => !!(await leases.claimTask(id, 'another-instance', new Date(), 60_000)), { timeout: 5_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 400)); // the provider finishes meanwhile
    const body = JSON.stringify({ task_id: row.providerTaskId, status: 'COMPLETED', generated: [] });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_handoff',
      'webhook-timestamp': String(ts),
      'webhook-signature': signWebhook(SECRET, 'msg_handoff', ts, body),
    };
    expect(await (await post(body, headers)).json()).toMatchObject({ received: true, duplicate: false });
    await new Promise((r) => setTimeout(r, 300));
    // This instance did not touch the task (no lease) but made it due at once for its holder …
    const after = (await repo.findTaskRow(id))!;
    expect(['QUEUED', 'GENERATING']).toContain(after.status);
    expect(after.leaseOwner).toBe('another-instance');
    expect(after.nextCheckAt!.getTime()).toBeLessThanOrEqual(Date.now());
    // … and the same delivery arriving at any instance again is recognised (the database remembers it).
    expect(await (await post(body, headers)).json()).toMatchObject({ duplicate: true });
    // When the holder lets go, the task is followed to the end.
    await leases.releaseLease(id, 'another-instance');
    const { task } = await finished(id, 6_000);
    sim.configure({ webhookFaults: { dropRate: 0 } });
    expect(task.status).toBe('COMPLETED');
  });

  it('falls back to polling when deliveries never arrive', async () => {
    sim.configure({ webhookFaults: { dropRate: 1 } });
    const id = await generate('webhook lost');
    const { task } = await finished(id, 15_000);
    sim.configure({ webhookFaults: { dropRate: 0 } });
    expect(task.status).toBe('COMPLETED');
  });
});

describe('creates with an unknown outcome', () => {
  it('adopts the provider task when the answer to our create was lost (no second paid task)', async () => {
    sim.configure({ faults: { lostResponseRate: 1 } });
    const id = await generate('lost answer heron');
    await expect.poll(async () => (await simTasks('lost answer heron')).length).toBe(1);
    sim.configure({ faults: { lostResponseRate: 0 } });
    const { task } = await finished(id, 15_000);
    expect(task.status).toBe('COMPLETED');
    expect(await simTasks('lost answer heron')).toHaveLength(1);
    expect((await repo.findTaskRow(id))?.providerTaskId).toBe((await simTasks('lost answer heron'))[0].task_id);
  });

  it('sends again when the provider never received it (500 on create, nothing in its list)', async () => {
    sim.configure({ faults: { rate500: 1 } });
    const id = await generate('never arrived wren');
    await expect.poll(() => sim.log.creates.filter((c) => JSON.stringify(c.body).includes('never arrived wren')).length).toBeGreaterThan(0);
    sim.configure({ faults: { rate500: 0 } });
    const { task } = await finished(id, 15_000);
    expect(task.status).toBe('COMPLETED');
    expect(okCreates('never arrived wren')).toHaveLength(1);
    expect(await simTasks('never arrived wren')).toHaveLength(1);
  });
});
