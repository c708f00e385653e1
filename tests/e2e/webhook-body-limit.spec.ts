import http from 'node:http';
import { expect, test } from '@playwright/test';
import { ExtraServer } from './support/extra-server';
import { groupRss } from './support/process-memory';

/**
 * Unsigned large bodies to the provider webhook (open to anyone: the provider
 * has no session) are refused without being held in memory: a declared
 * Content-Length over 64 KB before a byte is read, a chunked body as soon as
 * it passes 64 KB. Under a flood of 20 parallel 100 MB posts the server's
 * memory stays flat (it grew by ~370 MB and stayed there before the fix).
 */
const server = new ExtraServer('webhook-limit', 3107, { FREEPIK_WEBHOOK_SECRET: 'whsec_d2ViaG9vay1saW1pdC1zZWNyZXQ=' });
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const FLOOD_BYTES = 100 * 1024 * 1024;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  server.prepare();
  await server.start();
});
test.afterAll(() => server.kill());

/** Posts up to `bytes` of body; stops sending as soon as the server answers. Resolves with the status (0: connection cut). */
function flood(bytes: number, chunked: boolean): Promise<number> {
  return new Promise((resolve) => {
    let answered = false;
    const headers: Record<string, string> = { 'content-type': 'application/json', host: `127.0.0.1:${server.port}` };
    if (!chunked) headers['content-length'] = String(bytes);
    const request = http.request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/webhooks/freepik', headers },
      (response) => {
        answered = true;
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      },
    );
    request.on('error', () => resolve(answered ? 0 : -1));
    let sent = 0;
    const pump = () => {
      while (!answered && sent < bytes) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - sent));
        sent += piece.length;
        if (!request.write(piece)) return void request.once('drain', pump);
      }
      if (!answered) request.end();
    };
    pump();
    setTimeout(() => {
      if (!answered) {
        request.destroy();
        resolve(-2);
      }
    }, 60_000).unref();
  });
}

test('refuses over-long bodies before reading them, declared or chunked', async () => {
  expect(await flood(65 * 1024, false)).toBe(413);
  expect(await flood(1024 * 1024, true)).toBe(413);
  // A small unsigned body still reaches the signature check.
  expect(await flood(64, false)).toBe(401);
});

test('memory stays flat under 20 parallel 100 MB posts', async () => {
  test.setTimeout(120_000);
  const pgid = server.pid!;
  await flood(64, false); // warm the route up before measuring
  const before = groupRss(pgid);
  const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => flood(FLOOD_BYTES, i % 2 === 1)));
  for (const status of statuses) expect([413, 0]).toContain(status);
  expect(statuses.filter((s) => s === 413).length).toBeGreaterThanOrEqual(10);
  await new Promise((r) => setTimeout(r, 1_000));
  const after = groupRss(pgid);
  const grownMb = (after - before) / 1024 / 1024;
  console.log(`webhook flood: RSS ${(before / 1048576).toFixed(0)} MB → ${(after / 1048576).toFixed(0)} MB`);
  expect(grownMb).toBeLessThan(60);
  // And it still answers.
  expect(await flood(64, false)).toBe(401);
});
