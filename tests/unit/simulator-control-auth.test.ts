import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, simulatorControl } from '../../lib/simulator/control';
import { startSimulator, type RunningSimulator } from '../../lib/simulator/server';

/**
 * The simulator's control endpoints list every prompt (/__sim/log), swap keys
 * and fault rates (/__sim/config) and wipe state (/__sim/reset). Another local
 * user without the key, or a web page that rebinds its DNS name to 127.0.0.1
 * (and so sends its own name as Host), must be refused — and change nothing.
 */

const KEY = 'control-key-0123456789';
const HEADER = 'x-freepik-api-key';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY, inProgressAfterMs: 50, completeAfterMs: 150 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

type Reply = { status: number; body: string };

/** node:http rather than fetch, because fetch will not let a test choose the Host header. */
function call(
  method: 'GET' | 'POST',
  path: string,
  { key, host, body }: { key?: string; host?: string; body?: unknown } = {},
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: sim.port,
        method,
        path,
        headers: {
          host: host ?? `127.0.0.1:${sim.port}`,
          ...(key === undefined ? {} : { [HEADER]: key }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A real task in the simulator, so the log has a prompt worth stealing. */
async function createTask(prompt: string): Promise<void> {
  const res = await fetch(`${sim.url}/v1/ai/text-to-image/runway`, {
    method: 'POST',
    headers: { [HEADER]: KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, ratio: '1280:720', seed: 1 }),
  });
  expect(res.status).toBe(200);
}

const CONTROL: Array<['GET' | 'POST', string, unknown]> = [
  ['GET', '/__sim/log', undefined],
  ['POST', '/__sim/config', { completeAfterMs: 1 }],
  ['POST', '/__sim/reset', undefined],
];

describe('simulator control endpoints refuse callers without the key or a loopback Host', () => {
  it.each(CONTROL)('%s %s: no key → 401, wrong key → 401, evil Host → 403, key + loopback → 200', async (method, path, body) => {
    const noKey = await call(method, path, { body });
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.body)).toEqual({ message: expect.any(String) });

    expect((await call(method, path, { key: 'wrong-key-0123456789', body })).status).toBe(401);
    expect((await call(method, path, { key: 'short', body })).status).toBe(401);

    const evil = await call(method, path, { key: KEY, host: 'evil.example', body });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({ message: expect.stringContaining('loopback') });

    expect((await call(method, path, { key: KEY, body })).status).toBe(200);
  });

  it('takes every loopback spelling with any port, and nothing that merely starts like one', async () => {
    for (const host of [
      '127.0.0.1',
      `127.0.0.1:${sim.port}`,
      `localhost:${sim.port}`,
      `LocalHost:${sim.port}`,
      `[::1]:${sim.port}`,
      '[::1]',
    ]) {
      expect((await call('GET', '/__sim/log', { key: KEY, host })).status, host).toBe(200);
    }
    for (const host of [
      `rebind.evil.example:${sim.port}`,
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      '127.1',
      '0.0.0.0',
      '[::ffff:7f00:1]',
    ]) {
      expect((await call('GET', '/__sim/log', { key: KEY, host })).status, host).toBe(403);
    }
  });

  it('does not hand the prompts to a refused caller', async () => {
    await createTask('my private prompt');
    for (const reply of [
      await call('GET', '/__sim/log'),
      await call('GET', '/__sim/log', { key: 'wrong-key-0123456789' }),
      await call('GET', '/__sim/log', { key: KEY, host: 'evil.example' }),
    ]) {
      expect(reply.status).toBeGreaterThanOrEqual(401);
      expect(reply.body).not.toContain('my private prompt');
    }
  });

  it('a refused reset forgets nothing', async () => {
    await createTask('kept task');
    await call('POST', '/__sim/reset');
    await call('POST', '/__sim/reset', { key: 'wrong-key-0123456789' });
    await call('POST', '/__sim/reset', { key: KEY, host: 'evil.example' });
    expect(sim.log.creates).toHaveLength(1);
    const log = await simulatorControl<{ tasks: Array<{ prompt: string }> }>({ url: sim.url, apiKey: KEY }, '/__sim/log');
    expect(log.tasks.map((t) => t.prompt)).toEqual(['kept task']);
  });

  it('a refused config changes no setting, least of all the key', async () => {
    const before = JSON.stringify(sim.options);
    const takeover = { apiKey: 'attacker-key-0123456789', completeAfterMs: 1, faults: { failRate: 1 } };
    expect((await call('POST', '/__sim/config', { body: takeover })).status).toBe(401);
    expect((await call('POST', '/__sim/config', { key: 'wrong-key-0123456789', body: takeover })).status).toBe(401);
    expect((await call('POST', '/__sim/config', { key: KEY, host: 'evil.example', body: takeover })).status).toBe(403);
    expect(JSON.stringify(sim.options)).toBe(before);
    expect((await call('GET', '/__sim/log', { key: 'attacker-key-0123456789' })).status).toBe(401);
  });

  it('health answers without the key, but only on a loopback Host', async () => {
    expect((await call('GET', '/__sim/health')).status).toBe(200);
    expect((await call('GET', '/__sim/health', { host: `localhost:${sim.port}` })).status).toBe(200);
    expect((await call('GET', '/__sim/health', { host: 'evil.example' })).status).toBe(403);
  });

  it('simulatorControl() sends the key, and throws on a refusal instead of returning an empty log', async () => {
    await createTask('helper task');
    const log = await simulatorControl<{ creates: unknown[] }>({ url: sim.url, apiKey: KEY }, '/__sim/log');
    expect(log.creates).toHaveLength(1);
    await expect(simulatorControl({ url: sim.url, apiKey: 'wrong-key-0123456789' }, '/__sim/log')).rejects.toThrow(/401/);
    await simulatorControl({ url: sim.url, apiKey: KEY }, '/__sim/reset');
    expect(sim.log.creates).toHaveLength(0);
  });
});

describe('isLoopbackHost', () => {
  it('reads the host name out of a Host header literally', () => {
    expect(isLoopbackHost('127.0.0.1:4010')).toBe(true);
    expect(isLoopbackHost('[::1]:4010')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost(undefined)).toBe(false);
    expect(isLoopbackHost('')).toBe(false);
    expect(isLoopbackHost('::1')).toBe(false);
    expect(isLoopbackHost('localhost:4010:1')).toBe(false);
    expect(isLoopbackHost('localhost@evil.example')).toBe(false);
  });
});
