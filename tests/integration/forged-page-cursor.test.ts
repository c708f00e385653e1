import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '@/lib/http/problem';
import { setupDatabase } from '../support/test-db';

/**
 * A forged page cursor (`offset: 1e20` made SQLite answer SQLITE_MISMATCH, a
 * 500) is the caller's mistake: 400 problem details naming the cursor, and the database is never
 * asked. Valid cursors keep working.
 */
let route: typeof import('@/app/api/tasks/route');
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const get = (query: string) => route.GET(new NextRequest(`http://127.0.0.1:3000/api/tasks?${query}`));

beforeAll(async () => {
  await setupDatabase('cursor', { FREEPIK_API_KEY: 'cursor-test-key-123' });
  route = await import('@/app/api/tasks/route');
});

describe('GET /api/tasks with a forged cursor', () => {
  it('answers 400, not 500, for out-of-range, non-integer or malformed cursors', async () => {
    for (const forged of [
      cursor({ kind: 'offset', offset: 1e20 }),
      cursor({ kind: 'offset', offset: -1 }),
      cursor({ kind: 'offset', offset: 1.5 }),
      cursor({ kind: 'offset', offset: '10' }),
      cursor({ kind: 'time', createdAt: "x' OR 1=1 --", id: 'a' }),
      cursor({ kind: 'time', createdAt: 5, id: 'a' }),
      cursor({ kind: 'nope' }),
      cursor([1, 2]),
      'not-base64-json',
    ]) {
      const response = await get(`q=lighthouse&sort=relevance&cursor=${forged}`);
      expect(response.status, forged).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const body = await response.json();
      expect(body).toMatchObject({ type: problemType('invalid-request'), status: 400, detail: expect.stringMatching(/cursor/) });
      expect(body.errors).toEqual({ cursor: [body.detail] });
    }
  });

  it('still serves the first page and real cursors', async () => {
    expect((await get('q=lighthouse&sort=relevance')).status).toBe(200);
    expect((await get(`q=lighthouse&sort=relevance&cursor=${cursor({ kind: 'offset', offset: 48 })}`)).status).toBe(200);
    const time = cursor({ kind: 'time', createdAt: '2026-01-01T00:00:00.000+00:00', id: 'x' });
    expect((await get(`cursor=${time}`)).status).toBe(200);
  });
});
