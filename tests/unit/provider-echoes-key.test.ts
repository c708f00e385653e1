import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '@/lib/freepik/errors';
import { REDACTED, redactSecrets } from '@/lib/freepik/redact';
import { createProviderClient } from '@/lib/freepik/client';
import { MODELS } from '@/lib/freepik/models';

/**
 * A provider that quotes the request back in its error text would quote the
 * key header too; that text becomes the task's reason, /api/tasks, the tile
 * and log lines. The client must redact the key from every provider text.
 */

// `/`, `+` and `"` make the URL-encoded and JSON-escaped spellings differ from the key itself.
const KEY = 'sk/echo+key"0123456789';
const HEADER = 'x-freepik-api-key';
let server: http.Server;
let baseUrl: string;

/** Answers every request 400, echoing the key it received in each spelling a provider might use. */
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const received = String(req.headers[HEADER] ?? '');
    const body = {
      message: `bad ${received}`,
      invalid_params: [
        { name: 'prompt', reason: `header ${HEADER}=${received} is not allowed` },
        { name: received, reason: `unknown field; also seen as ${received}` },
        { name: 'webhook_url', reason: `https://example.test/?key=${encodeURIComponent(received)}` },
        { name: 'body', reason: `{"${HEADER}":${JSON.stringify(received)}}` },
      ],
    };
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function spellings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

describe('a provider error that echoes the API key', () => {
  it('becomes an UpstreamError with the key redacted in every spelling', async () => {
    const client = createProviderClient({ baseUrl, apiKey: KEY, keyHeader: HEADER, timeoutMs: 2_000 });
    const error = await client.createTask(MODELS.runway, { prompt: 'a fox', ratio: '1280:720', seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    const e = error as UpstreamError;
    expect(e.kind).toBe('bad-request');
    expect(e.message).toContain(`header ${HEADER}=${REDACTED} is not allowed`);
    const everything = `${e.message} ${JSON.stringify(e)} ${JSON.stringify(e.details)}`;
    for (const form of spellings(KEY)) expect(everything).not.toContain(form);
    expect(e.details.invalidParams?.map((p) => p.name)).toEqual(['prompt', REDACTED, 'webhook_url', 'body']);
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, leaves other text alone, and is case-sensitive', () => {
    expect(redactSecrets('abc-key-1234 and abc-key-1234!', ['abc-key-1234'])).toBe(`${REDACTED} and ${REDACTED}!`);
    expect(redactSecrets('ABC-KEY-1234', ['abc-key-1234'])).toBe('ABC-KEY-1234');
    expect(redactSecrets('nothing here', ['abc-key-1234'])).toBe('nothing here');
  });

  it('catches the URL-encoded and JSON-escaped spellings', () => {
    for (const form of spellings(KEY)) expect(redactSecrets(`x=${form};`, [KEY])).toBe(`x=${REDACTED};`);
  });

  it('ignores an empty secret instead of redacting between every character', () => {
    expect(redactSecrets('plain text', ['', 'abc-key-1234'])).toBe('plain text');
    expect(redactSecrets('plain text', [])).toBe('plain text');
  });
});
