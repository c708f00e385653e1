import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { galleryFilterSchema } from '@/lib/gallery/filters';
import { tasksKey, upsertTask } from '@/lib/client/tasks-query';
import type { TaskPage, TaskView } from '@/lib/tasks/view';
import { insertTask, setupDatabase } from '../support/test-db';

/**
 * The client's placement of pushed tasks under a search, answered by the real
 * GET /api/tasks over a real search index (FTS5 or PostgreSQL's tsvector): where the old client matcher and the
 * server disagreed, the gallery now shows what the server's search shows.
 */
let route: typeof import('@/app/api/tasks/route');
let clock = Date.parse('2026-04-01T00:00:00Z');

function insert(prompt: string): Promise<string> {
  const at = new Date((clock += 1000));
  return insertTask({ prompt, status: 'QUEUED', createdAt: at, updatedAt: at });
}

async function viewOf(id: string): Promise<TaskView> {
  const page = (await (await route.GET(new NextRequest('http://127.0.0.1:3000/api/tasks?limit=200'))).json()) as TaskPage;
  return page.tasks.find((t) => t.id === id)!;
}

beforeAll(async () => {
  await setupDatabase('search-deferral', { FREEPIK_API_KEY: 'search-deferral-key-123' });
  route = await import('@/app/api/tasks/route');
  // The browser's fetch of /api/tasks, served by the route handler itself.
  vi.stubGlobal('fetch', (input: string) => route.GET(new NextRequest(new URL(input, 'http://127.0.0.1:3000'))));
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('pushed tasks under a search, placed by the server’s answer', () => {
  it('agrees with the database search where a substring test did not: word prefixes, accents, every word', async () => {
    const cases: Array<{ q: string; prompt: string; shown: boolean }> = [
      { q: 'cat', prompt: 'concatenated shapes, bauhaus poster', shown: false }, // substring, not a word prefix
      { q: 'cat', prompt: 'a bobcat in the snow', shown: false },
      { q: 'cat', prompt: 'Catalina island at dawn', shown: true }, // a word prefix
      { q: 'cafe terr', prompt: 'Café Terrace at Night', shown: true }, // accents and prefixes
      { q: 'harbour night', prompt: 'harbour lights at dusk', shown: false }, // every word must match
    ];
    for (const { q, prompt, shown } of cases) {
      const client = new QueryClient();
      const search = galleryFilterSchema.parse({ q });
      client.setQueryData<InfiniteData<TaskPage, string | null>>(tasksKey(search), {
        pages: [{ tasks: [], nextCursor: null }],
        pageParams: [null],
      });
      const pushed = await viewOf(await insert(prompt));

      await upsertTask(client, pushed);

      const listed = client.getQueryData<InfiniteData<TaskPage, string | null>>(tasksKey(search))!.pages[0].tasks.map((t) => t.prompt);
      expect(listed, `"${q}" → "${prompt}"`).toEqual(shown ? [prompt] : []);
    }
  });
});
