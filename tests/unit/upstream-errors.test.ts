import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProviderClient } from '@/lib/freepik/client';
import { MODELS } from '@/lib/freepik/models';
import { UpstreamError } from '@/lib/freepik/errors';

const KEY = 'secret-key-never-shown-123';
let server: http.Server;
let baseUrl: string;
// The fake replies with whatever status the path asks for: /v1/ai/text-to-image/runway/<status>
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const last = req.url!.split('/').pop()!;
    if (last === 'hang') return; // never answers: exercises the timeout
    if (last === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
      return;
    }
    if (last === 'reset') {
      req.socket.destroy();
      return;
    }
    const status = Number(last);
    const bodies: Record<number, unknown> = {
      400: { message: 'Invalid request', invalid_params: [{ name: 'prompt', reason: 'is not allowed' }] },
      401: { message: 'Invalid API key' },
      404: { message: 'AI resource not found' },
      429: { message: 'Too many requests' },
      500: { message: 'Internal error' },
      503: { message: 'Service unavailable' },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 429) headers['retry-after'] = '3';
    res.writeHead(status, headers).end(JSON.stringify(bodies[status] ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(taskId: string, timeoutMs = 2_000): Promise<UpstreamError> {
  const client = createProviderClient({ baseUrl, apiKey: KEY, keyHeader: 'x-freepik-api-key', timeoutMs });
  const error = await client.getTask(MODELS.runway, taskId).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  const e = error as UpstreamError;
  expect(e.message).not.toContain(KEY);
  expect(JSON.stringify(e)).not.toContain(KEY);
  return e;
}

describe('upstream client error mapping', () => {
  it.each([
    ['400', 'bad-request', 'fatal', /rejected the request \(prompt: is not allowed\)/],
    ['401', 'unauthorized', 'refused', /rejected the API key/],
    ['404', 'not-found', 'fatal', /does not know this task/],
    ['429', 'rate-limited', 'transient', /rate limiting/],
    ['500', 'server-error', 'unknown-outcome', /internal error/],
    ['503', 'unavailable', 'transient', /temporarily unavailable/],
  ])('HTTP %s → %s', async (status, kind, failureClass, message) => {
    const e = await failure(status);
    expect(e.kind).toBe(kind);
    expect(e.failure).toBe(failureClass);
    expect(e.details.status).toBe(Number(status));
    expect(e.message).toMatch(message);
  });

  it('honours Retry-After when present', async () => {
    expect((await failure('429')).details.retryAfterMs).toBe(3_000);
  });

  it('maps a non-JSON 200 to invalid-response', async () => {
    expect((await failure('garbage')).kind).toBe('invalid-response');
  });

  it('maps a dropped connection to network and a silent server to timeout', async () => {
    expect((await failure('reset')).kind).toBe('network');
    expect((await failure('hang', 300)).kind).toBe('timeout');
  });

  it('maps an unreachable host to network', async () => {
    const client = createProviderClient({ baseUrl: 'http://127.0.0.1:1', apiKey: KEY, keyHeader: 'x-freepik-api-key' });
    const e = await client.listTasks(MODELS.runway).catch((err: unknown) => err as UpstreamError);
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).kind).toBe('network');
  });
});
