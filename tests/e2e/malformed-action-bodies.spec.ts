import { readFileSync } from 'node:fs';
import { createsFor, expect, test, tasksWithPrompt } from './support/fixtures';
import { E2E } from './support/env';
import { problemType } from '../../lib/http/problem';
import { actionId, rawRequest } from './support/raw-http';

/**
 * A server action called with an empty or non-JSON body, or broken form data,
 * used to crash inside Next (500, a stack in the log). Now: 400 with a short
 * reason, nothing stored, nothing sent upstream.
 */
test('malformed action bodies get 400, not 500, and run nothing', async ({ tag }) => {
  const generate = actionId('app/actions.ts', 'generateAction');
  const logBefore = readFileSync(E2E.logFile, 'utf8').length;
  const base = { host: `127.0.0.1:${E2E.appPort}`, origin: E2E.appUrl, 'next-action': generate };
  const cases: Array<{ type: string; body: string }> = [
    { type: 'text/plain;charset=UTF-8', body: '' },
    { type: 'text/plain;charset=UTF-8', body: `not json ${tag}` },
    { type: 'text/plain;charset=UTF-8', body: `{"prompt":"${tag}"` },
    { type: 'text/plain;charset=UTF-8', body: `{"prompt":"${tag}"}` },
    { type: 'application/json', body: `garbage ${tag}` },
    { type: 'multipart/form-data', body: `garbage ${tag}` },
    { type: 'multipart/form-data; boundary=xyz', body: `--xyz\r\ncontent-disposition: form-data; name="1"\r\n\r\n${tag}` },
  ];
  for (const { type, body } of cases) {
    const answer = await rawRequest(E2E.appPort, { method: 'POST', path: '/', headers: { ...base, 'content-type': type }, body });
    expect(answer.status, `${type}: ${body.slice(0, 30)}`).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.text)).toMatchObject({
      type: problemType('invalid-request'),
      status: 400,
      detail: expect.stringMatching(/body|form data|JSON|arguments/i),
    });
  }
  expect(tasksWithPrompt(tag)).toBe(0);
  expect(await createsFor(tag)).toHaveLength(0);
  const logged = readFileSync(E2E.logFile, 'utf8').slice(logBefore);
  expect(logged).not.toMatch(/SyntaxError|Unexpected end of form|Boundary not found/);
});
