import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ratioSize, type Ratio } from '../../lib/generation/schema';
import { paintImage } from '../../lib/simulator/paint';
import { signWebhook, startSimulator, type RunningSimulator } from '../../lib/simulator/server';

/**
 * The simulator stands in for Freepik in demo mode and in every other test,
 * so it is itself tested over real HTTP against the upstream contract.
 */

const KEY = 'test-key';
const PATH = '/v1/ai/text-to-image/runway';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY, inProgressAfterMs: 50, completeAfterMs: 150 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({
    inProgressAfterMs: 50,
    completeAfterMs: 150,
    imageUrlTtlMs: 10 * 60 * 1000,
    faults: { rate429: 0, rate500: 0, rate503: 0, failRate: 0, lostResponseRate: 0 },
    webhookSecret: undefined,
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked structurally by expect()
type Reply = { status: number; json: any; headers: Headers };

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'x-freepik-api-key': KEY },
): Promise<Reply> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll a task until it reaches a final status, recording every status seen. */
async function waitFinal(taskId: string): Promise<{ seen: string[]; last: Reply }> {
  const seen: string[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await api('GET', `${PATH}/${taskId}`);
    expect(r.status).toBe(200);
    if (seen.at(-1) !== r.json.data.status) seen.push(r.json.data.status);
    if (r.json.data.status === 'COMPLETED' || r.json.data.status === 'FAILED') return { seen, last: r };
    await sleep(20);
  }
  throw new Error('task never finished');
}

async function create(body: Record<string, unknown>): Promise<string> {
  const r = await api('POST', PATH, body);
  expect(r.status).toBe(200);
  return r.json.data.task_id;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('paintImage', () => {
  it('is deterministic, and a different seed gives a visibly different picture', async () => {
    const input = { prompt: 'misty teal forest at sunset', ratio: '720:720' as Ratio, seed: 7 };
    const a = await paintImage(input);
    expect((await paintImage(input)).equals(a)).toBe(true);

    const b = await paintImage({ ...input, seed: 8 });
    expect(b.equals(a)).toBe(false);
    const [ra, rb] = await Promise.all([a, b].map((buf) => sharp(buf).raw().toBuffer({ resolveWithObject: true })));
    expect(ra.info.channels).toBe(3);
    let sum = 0;
    for (let i = 0; i < ra.data.length; i++) sum += Math.abs(ra.data[i] - rb.data[i]);
    const meanAbsDiff = sum / ra.data.length;
    expect(meanAbsDiff).toBeGreaterThan(10); // not noise: layout and colours moved

    // Not a flat fill: plenty of distinct colours.
    const colours = new Set<number>();
    for (let i = 0; i < ra.data.length; i += 3) colours.add((ra.data[i] << 16) | (ra.data[i + 1] << 8) | ra.data[i + 2]);
    expect(colours.size).toBeGreaterThan(500);
  });

  it('encodes byte-for-byte the same PNG every time (sharp, no metadata), also in concurrent sharp calls', async () => {
    const input = { prompt: 'misty teal forest at sunset', ratio: '720:720' as Ratio, seed: 7 };
    const first = sha256(await paintImage(input));
    // Two more renders at once: separate sharp pipelines running on sharp's threads side by side.
    const [second, third] = await Promise.all([paintImage(input), paintImage(input)]);
    expect(sha256(second)).toBe(first);
    expect(sha256(third)).toBe(first);
    // Pinned: the same on every run and in every process with this sharp/libvips build (sharp 0.35.5,
    // libvips 8.18.7, zlib-ng 2.3.3). A sharp upgrade may change the bytes: check the pictures, then update.
    expect(first).toBe('003966bf4f5ee7b2d7163bb339f85021df0cda193293fa90087667e820e0a3f4');
    const png = sharp(second);
    expect(await png.metadata()).toMatchObject({ format: 'png', width: 720, height: 720, channels: 3, hasAlpha: false });
  });

  it('paints at exactly the pixel size of the ratio', async () => {
    for (const ratio of ['2112:912', '720:1280', '1024:1024'] as Ratio[]) {
      const meta = await sharp(await paintImage({ prompt: 'a lighthouse', ratio, seed: 1 })).metadata();
      expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({ ...ratioSize(ratio), format: 'png' });
    }
  });
});

describe('simulator: auth and validation', () => {
  it('rejects a missing or wrong API key with 401', async () => {
    const missing = await api('POST', PATH, { prompt: 'x', ratio: '720:720' }, {});
    expect(missing).toMatchObject({ status: 401, json: { message: 'Missing API key' } });
    const wrong = await api('GET', `${PATH}/abc`, undefined, { 'X-Freepik-Api-Key': 'nope' });
    expect(wrong).toMatchObject({ status: 401, json: { message: 'Invalid API key' } });
    const list = await api('GET', PATH, undefined, {});
    expect(list.status).toBe(401);
  });

  it('answers 400 with invalid_params for bad fields and unknown fields', async () => {
    const cases: Array<[unknown, string]> = [
      [{ prompt: '   ', ratio: '720:720' }, 'prompt'],
      [{ prompt: 'x'.repeat(1001), ratio: '720:720' }, 'prompt'],
      [{ ratio: '720:720' }, 'prompt'],
      [{ prompt: 'x', ratio: '4:3' }, 'ratio'],
      [{ prompt: 'x', ratio: '720:720', seed: 1.5 }, 'seed'],
      [{ prompt: 'x', ratio: '720:720', seed: 4294967296 }, 'seed'],
      [{ prompt: 'x', ratio: '720:720', seed: '5' }, 'seed'],
      [{ prompt: 'x', ratio: '720:720', webhook_url: 'not a url' }, 'webhook_url'],
      [{ prompt: 'x', ratio: '720:720', num_images: 1 }, 'num_images'],
    ];
    for (const [body, field] of cases) {
      const r = await api('POST', PATH, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.message).toBe('Invalid request');
      expect(r.json.invalid_params.map((p: { name: string }) => p.name)).toContain(field);
    }
    const notJson = await api('POST', PATH, '{oops');
    expect(notJson.status).toBe(400);
    // Boundary values are accepted.
    await create({ prompt: 'x'.repeat(1000), ratio: '720:720', seed: 4294967295 });
    await create({ prompt: 'x', ratio: '720:720', seed: 0 });
    expect(sim.log.creates.filter((c) => c.status === 400)).toHaveLength(cases.length + 1);
  });

  it('answers 404 for an unknown task', async () => {
    const r = await api('GET', `${PATH}/046b6c7f-0b8a-43b9-b35d-6489e6daee91`);
    expect(r).toMatchObject({ status: 404, json: { message: 'AI resource not found' } });
  });
});

describe('simulator: task lifecycle', () => {
  it('goes CREATED → IN_PROGRESS → COMPLETED and serves the painted image', async () => {
    const r = await api('POST', PATH, { prompt: 'misty lake', ratio: '720:720', seed: 42 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ data: { task_id: expect.any(String), status: 'CREATED', generated: [] } });
    const id = r.json.data.task_id;

    const { seen, last } = await waitFinal(id);
    const order = ['CREATED', 'IN_PROGRESS', 'COMPLETED'];
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort()); // monotonic
    expect(seen.at(-1)).toBe('COMPLETED');
    const [url] = last.json.data.generated;
    expect(url).toMatch(new RegExp(`^${sim.url}/content/runway/${id}\\.png\\?token=exp=\\d+~hmac=[0-9a-f]{64}$`));

    const img = await fetch(url); // no API key needed, like the CDN
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await img.arrayBuffer());
    expect(bytes.equals(await paintImage({ prompt: 'misty lake', ratio: '720:720', seed: 42 }))).toBe(true);

    // Tampered signature → 403.
    const tampered = url.replace(/hmac=([0-9a-f])/, (_m: string, c: string) => `hmac=${c === 'a' ? 'b' : 'a'}`);
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(url.split('?')[0])).status).toBe(403);
  });

  it('reports IN_PROGRESS between the two thresholds and lists tasks newest first', async () => {
    sim.configure({ inProgressAfterMs: 0, completeAfterMs: 60_000 });
    const first = await create({ prompt: 'one', ratio: '720:720' });
    const second = await create({ prompt: 'two', ratio: '720:720' });
    expect((await api('GET', `${PATH}/${first}`)).json.data).toEqual({ task_id: first, status: 'IN_PROGRESS', generated: [] });
    const list = await api('GET', PATH);
    expect(list.json).toEqual({
      data: [
        { task_id: second, status: 'IN_PROGRESS' },
        { task_id: first, status: 'IN_PROGRESS' },
      ],
    });
  });

  it('expires image URLs', async () => {
    sim.configure({ imageUrlTtlMs: 1 });
    const id = await create({ prompt: 'short-lived', ratio: '720:720' });
    const { last } = await waitFinal(id);
    await sleep(5);
    const res = await fetch(last.json.data.generated[0]);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Expired' });
  });

  it('fails tasks whose prompt carries [sim:fail]', async () => {
    const id = await create({ prompt: 'doomed [sim:fail]', ratio: '720:720' });
    const { last } = await waitFinal(id);
    expect(last.json.data).toEqual({ task_id: id, status: 'FAILED', generated: [] });
  });

  it('injects 429 without creating a task', async () => {
    sim.configure({ faults: { rate429: 1 } });
    const r = await api('POST', PATH, { prompt: 'x', ratio: '720:720' });
    expect(r).toMatchObject({ status: 429, json: { message: 'Too many requests' } });
    expect((await api('GET', `${PATH}/anything`)).status).toBe(429);
    sim.configure({ faults: { rate429: 0 } });
    expect((await api('GET', PATH)).json).toEqual({ data: [] });
    expect(sim.log.creates.map((c) => [c.status, c.taskId])).toEqual([[429, undefined]]);
  });

  it('can lose a create response while still creating the task (for reconciliation tests)', async () => {
    sim.configure({ faults: { lostResponseRate: 1 } });
    await expect(api('POST', PATH, { prompt: 'lost', ratio: '720:720' })).rejects.toThrow();
    sim.configure({ faults: { lostResponseRate: 0 } });
    const list = await api('GET', PATH);
    expect(list.json.data).toHaveLength(1);
  });
});

describe('simulator: webhooks', () => {
  it('POSTs Standard Webhooks deliveries whose signature verifies', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const rawKey = randomBytes(24);
      const secret = `whsec_${rawKey.toString('base64')}`;
      sim.configure({ webhookSecret: secret });
      const port = (receiver.address() as AddressInfo).port;
      const id = await create({ prompt: 'hooked', ratio: '720:720', webhook_url: `http://127.0.0.1:${port}/hook` });

      for (let i = 0; i < 100 && received.length < 2; i++) await sleep(20);
      expect(received).toHaveLength(2);

      for (const { headers, body } of received) {
        const msgId = String(headers['webhook-id']);
        const ts = Number(headers['webhook-timestamp']);
        expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(300);
        const expected = createHmac('sha256', rawKey).update(`${msgId}.${ts}.${body}`).digest('base64');
        expect(String(headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);
      }
      expect(received[0].headers['webhook-id']).not.toBe(received[1].headers['webhook-id']);
      const bodies = received.map((r) => JSON.parse(r.body));
      expect(bodies[0]).toEqual({ task_id: id, status: 'IN_PROGRESS', generated: [] });
      expect(bodies[1]).toMatchObject({
        task_id: id,
        status: 'COMPLETED',
        generated: [expect.stringContaining(`/content/runway/${id}.png?token=`)],
      });
      expect(sim.log.webhookDeliveries.map((d) => d.status)).toEqual(['IN_PROGRESS', 'COMPLETED']);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('can reorder and duplicate deliveries (webhookFaults)', async () => {
    const received: Array<{ id: string; status: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ id: String(req.headers['webhook-id']), status: JSON.parse(body).status });
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      sim.configure({ webhookSecret: 'plain', webhookFaults: { reorder: true, duplicateRate: 1, dropRate: 0 } });
      const port = (receiver.address() as AddressInfo).port;
      await create({ prompt: 'messy', ratio: '720:720', webhook_url: `http://127.0.0.1:${port}/` });
      for (let i = 0; i < 100 && received.length < 4; i++) await sleep(20);
      expect(received).toHaveLength(4);
      expect(received[0].status).toBe('COMPLETED'); // final status first
      // Each delivery arrives twice under the same webhook-id.
      expect(new Set(received.map((r) => r.id)).size).toBe(2);
    } finally {
      sim.configure({ webhookFaults: { reorder: false, duplicateRate: 0, dropRate: 0 } });
      await new Promise((r) => receiver.close(r));
    }
  });

  it('signs with the raw UTF-8 secret when it has no whsec_ prefix', () => {
    const expected = createHmac('sha256', Buffer.from('plain-secret')).update('msg_1.1700000000.{}').digest('base64');
    expect(signWebhook('plain-secret', 'msg_1', 1700000000, '{}')).toBe(`v1,${expected}`);
  });
});

describe('simulator: control endpoints', () => {
  // The key rides in api()'s default headers; health alone answers without it (see simulator-control-auth.test.ts).
  it('exposes health, config, log and reset over HTTP', async () => {
    expect((await api('GET', '/__sim/health', undefined, {})).status).toBe(200);
    const cfg = await api('POST', '/__sim/config', { completeAfterMs: 1234, faults: { failRate: 0 } });
    expect(cfg.status).toBe(200);
    expect(sim.options.completeAfterMs).toBe(1234);
    expect((await api('POST', '/__sim/config', { faults: { rate429: 2 } })).status).toBe(400);

    const id = await create({ prompt: 'logged', ratio: '1280:720', seed: 3 });
    const log = await api('GET', '/__sim/log');
    expect(log.json.tasks).toEqual([
      expect.objectContaining({ task_id: id, prompt: 'logged', ratio: '1280:720', seed: 3, webhook_url: null, status: 'CREATED' }),
    ]);
    expect(log.json.creates).toHaveLength(1);

    expect((await api('POST', '/__sim/reset')).status).toBe(200);
    expect((await api('GET', '/__sim/log')).json.tasks).toEqual([]);
  });
});
