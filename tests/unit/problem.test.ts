import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchJson, HttpError, httpErrorFromText, httpErrorOf } from '@/lib/client/http-error';
import { problem, problemSchema, problemType } from '@/lib/http/problem';
import { fail, ok } from '@/lib/result';
import { z } from 'zod';

describe('problem() — every error answer of ours', () => {
  it('is application/problem+json, never cached, and carries the status in the body too', async () => {
    const response = problem(400, {
      type: 'invalid-request',
      detail: 'cursor is not a page cursor this server issued; start again without it.',
      errors: { cursor: ['cursor is not a page cursor this server issued; start again without it.'] },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      type: 'urn:darkroom:problem:invalid-request',
      title: 'Invalid request',
      status: 400,
      detail: 'cursor is not a page cursor this server issued; start again without it.',
      errors: { cursor: ['cursor is not a page cursor this server issued; start again without it.'] },
    });
    expect(problemSchema.parse(body)).toEqual(body);
  });

  it('defaults to about:blank titled with the reason phrase, and keeps extra headers', async () => {
    const response = problem(413, { detail: 'Body too large', headers: { connection: 'close', 'cache-control': 'max-age=60' } });
    expect(response.headers.get('connection')).toBe('close');
    expect(response.headers.get('cache-control')).toBe('no-store'); // errors are never cached, whatever the caller says
    expect(await response.json()).toEqual({ type: 'about:blank', title: 'Content Too Large', status: 413, detail: 'Body too large' });
  });

  it('has stable type URIs for the kinds code branches on', () => {
    expect(problemType('wrong-host')).toBe('urn:darkroom:problem:wrong-host');
    expect(problemType('sign-in-required')).toBe('urn:darkroom:problem:sign-in-required');
  });
});

describe('the client helper — one reading of every non-2xx answer', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads our problem details into an HttpError whose message is the detail', async () => {
    const error = await httpErrorOf(problem(410, { type: 'picture-lost', detail: 'This picture’s file is lost.' }), 'fallback');
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      status: 410,
      type: problemType('picture-lost'),
      title: 'Picture lost',
      message: 'This picture’s file is lost.',
      errors: {},
    });
    expect(error.detail).toBe('This picture’s file is lost.');
    expect(error.is('picture-lost')).toBe(true);
    expect(error.is('wrong-host')).toBe(false);
  });

  it('keeps the field errors', () => {
    const text = JSON.stringify({
      type: problemType('invalid-request'),
      title: 'Invalid request',
      status: 400,
      detail: 'Bad ids.',
      errors: { ids: ['Bad ids.'] },
    });
    expect(httpErrorFromText(400, 'application/problem+json; charset=utf-8', text, 'fallback').errors).toEqual({ ids: ['Bad ids.'] });
  });

  it('falls back to the caller’s text for anything else: HTML, plain text, other JSON, broken JSON', () => {
    for (const [type, text] of [
      ['text/html', '<html>Internal Server Error</html>'],
      ['text/plain', 'Not found'],
      ['application/json', '{"message":"old shape"}'],
      ['application/problem+json', '{"title":'],
      ['application/problem+json', '{"detail":"no title, no status"}'],
      [null, ''],
    ] as const) {
      const error = httpErrorFromText(502, type, text, 'The import failed (HTTP 502). Please try again.');
      expect(error, `${type}: ${text}`).toMatchObject({
        status: 502,
        type: 'about:blank',
        message: 'The import failed (HTTP 502). Please try again.',
      });
    }
  });

  it('fetchJson: the parsed body on 2xx, an HttpError on a problem', async () => {
    const fetchMock = vi.fn<typeof fetch>();
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockResolvedValueOnce(Response.json({ demo: true }));
    expect(await fetchJson('/api/status', z.object({ demo: z.boolean() }))).toEqual({ demo: true });
    expect(fetchMock).toHaveBeenLastCalledWith('/api/status', { cache: 'no-store' });

    fetchMock.mockResolvedValueOnce(problem(404, { detail: 'Not found' }));
    await expect(fetchJson('/api/tasks/x/lineage', z.object({}))).rejects.toMatchObject({
      name: 'HttpError',
      status: 404,
      message: 'Not found',
    });

    fetchMock.mockResolvedValueOnce(new Response('<html>', { status: 500, headers: { 'content-type': 'text/html' } }));
    await expect(fetchJson('/api/status', z.object({}), { fallback: (s) => `Status unavailable (HTTP ${s}).` })).rejects.toMatchObject({
      status: 500,
      message: 'Status unavailable (HTTP 500).',
    });
  });
});

describe('Result helpers for server actions', () => {
  it('ok() spreads the value under ok: true; fail() carries the sentence and field errors only when given', () => {
    expect(ok({ count: 3 })).toEqual({ ok: true, count: 3 });
    expect(fail('Nothing to delete.')).toEqual({ ok: false, error: 'Nothing to delete.' });
    expect(fail<'prompt'>('Please fix the highlighted fields.', { prompt: 'Write a prompt.' })).toEqual({
      ok: false,
      error: 'Please fix the highlighted fields.',
      fieldErrors: { prompt: 'Write a prompt.' },
    });
  });
});
