import Database from 'better-sqlite3';
import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateSqlite } from '@/lib/db/migrate';
import { galleryFilterSchema } from '@/lib/gallery/filters';
import { tasksKey, upsertTask } from '@/lib/client/tasks-query';
import type { TaskPage, TaskView } from '@/lib/tasks/view';

/**
 * The client's placement of pushed tasks under a search, answered by the real
 * GET /api/tasks over a real FTS5 index: where the old client matcher and the
 * server disagreed, the gallery now shows what the server's search shows.
 */
let dbFile: string;
let route: typeof import('@/app/api/tasks/route');
let clock = Date.parse('2026-04-01T00:00:00Z');

function insert(prompt: string): string {
  const sqlite = new Database(dbFile);
  const at = new Date((clock += 1000)).toISOString().replace('Z', '+00:00');
  const id = randomUUID();
  sqlite
    .prepare(
      `INSERT INTO Task (id, prompt, ratio, seed, status, origin, favorite, deletedAt, createdAt, updatedAt) VALUES (?, ?, '1024:1024', 1, 'QUEUED', 'new', 0, NULL, ?, ?)`,
    )
    .run(id, prompt, at, at);
  sqlite.close();
  return id;
}

async function viewOf(id: string): Promise<TaskView> {
  const page = (await (await route.GET(new NextRequest('http://127.0.0.1:3000/api/tasks?limit=200'))).json()) as TaskPage;
  return page.tasks.find((t) => t.id === id)!;
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'darkroom-search-deferral-'));
  dbFile = `${dir}/darkroom.db`;
  process.env.DATABASE_URL = `file:${dbFile}`;
  process.env.FREEPIK_API_KEY = 'search-deferral-key-123';
  migrateSqlite(dbFile, path.resolve('prisma/migrations'));
  route = await import('@/app/api/tasks/route');
  // The browser's fetch of /api/tasks, served by the route handler itself.
  vi.stubGlobal('fetch', (input: string) => route.GET(new NextRequest(new URL(input, 'http://127.0.0.1:3000'))));
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('pushed tasks under a search, placed by the server’s answer', () => {
  it('agrees with FTS5 where a substring test did not: word prefixes, accents, every word', async () => {
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
      const pushed = await viewOf(insert(prompt));

      await upsertTask(client, pushed);

      const listed = client.getQueryData<InfiniteData<TaskPage, string | null>>(tasksKey(search))!.pages[0].tasks.map((t) => t.prompt);
      expect(listed, `"${q}" → "${prompt}"`).toEqual(shown ? [prompt] : []);
    }
  });
});
