import { createsFor, expect, test, tasksWithPrompt } from './support/fixtures';
import { E2E } from './support/env';
import { problemType } from '../../lib/http/problem';
import { actionId, rawRequest } from './support/raw-http';

/**
 * DNS rebinding against the real server (no password set, the default): a
 * page on rebind.evil.example rebinds its name to 127.0.0.1, so its requests
 * carry that Host and a matching Origin. Every kind of request is refused
 * with 421 and problem details naming the setting; nothing is stored, nothing is
 * sent upstream. The same requests with an allowed Host work.
 */
const EVIL = `rebind.evil.example:${E2E.appPort}`;

const generateBody = (prompt: string) => JSON.stringify([{ prompt, ratio: '1024:1024', seed: '' }, crypto.randomUUID()]);

test('a rebound host name is refused on every path; nothing is stored or sent upstream', async ({ tag }) => {
  const generate = actionId('app/actions.ts', 'generateAction');
  const asRebound = (extra: Record<string, string> = {}) => ({ host: EVIL, origin: `http://${EVIL}`, ...extra });

  const attempts = [
    {
      method: 'POST',
      path: '/',
      headers: asRebound({ 'next-action': generate, 'content-type': 'text/plain;charset=UTF-8' }),
      body: generateBody(`${tag} rebound`),
    },
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/api/tasks' },
    { method: 'GET', path: '/api/tasks/summary' },
    { method: 'GET', path: '/api/boards' },
    { method: 'GET', path: '/api/tasks/0b7c8a4e-1111-4222-8333-944455556666/boards' },
    { method: 'GET', path: '/api/spending' },
    { method: 'GET', path: '/settings' },
    { method: 'GET', path: '/api/export' },
    { method: 'GET', path: '/api/events' },
    { method: 'GET', path: '/api/status' },
    { method: 'GET', path: '/api/images/0b7c8a4e-1111-4222-8333-944455556666?w=320' },
    { method: 'POST', path: '/api/import', headers: asRebound({ 'content-type': 'application/zip' }), body: 'PK\u0005\u0006' },
    { method: 'POST', path: '/api/webhooks/freepik', headers: asRebound({ 'content-type': 'application/json' }), body: '{}' },
  ];
  for (const attempt of attempts) {
    const answer = await rawRequest(E2E.appPort, { headers: asRebound(), ...attempt });
    expect(answer.status, `${attempt.method} ${attempt.path}`).toBe(421);
    expect(answer.headers['content-type'], attempt.path).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.text), attempt.path).toMatchObject({
      type: problemType('wrong-host'),
      status: 421,
      detail: expect.stringContaining('ALLOWED_HOSTS'),
    });
    expect(answer.text).not.toContain(tag);
  }

  // Control: the very same action call with the real host does create the task.
  const control = await rawRequest(E2E.appPort, {
    method: 'POST',
    path: '/',
    headers: { host: `127.0.0.1:${E2E.appPort}`, origin: E2E.appUrl, 'next-action': generate, 'content-type': 'text/plain;charset=UTF-8' },
    body: generateBody(`${tag} allowed`),
  });
  expect(control.status).toBe(200);
  await expect.poll(() => tasksWithPrompt(`${tag} allowed`)).toBe(1);
  await expect.poll(async () => (await createsFor(`${tag} allowed`)).length).toBe(1);

  expect(tasksWithPrompt(`${tag} rebound`)).toBe(0);
  expect(await createsFor(`${tag} rebound`)).toHaveLength(0);
  for (const host of [`localhost:${E2E.appPort}`, `[::1]:${E2E.appPort}`]) {
    expect((await rawRequest(E2E.appPort, { path: '/api/tasks', headers: { host } })).status, host).toBe(200);
  }
});
