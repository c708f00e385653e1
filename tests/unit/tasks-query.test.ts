import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { galleryFilterSchema, type GalleryFilter } from '@/lib/gallery/filters';
import { problem } from '@/lib/http/problem';
import { removeTaskFromCache, tasksKey, upsertTask } from '@/lib/client/tasks-query';
import type { TaskPage, TaskView } from '@/lib/tasks/view';
import { taskView } from '../support/task-view';

/**
 * Pushed tasks (SSE) under an active search: the client no longer guesses
 * whether the prompt matches — it asks GET /api/tasks (mocked here; the real
 * query answers in tests/integration/search-deferral.test.ts).
 */
type Pages = InfiniteData<TaskPage, string | null>;

const task = taskView;

const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
let client: QueryClient;
const fetchMock = vi.fn<typeof fetch>();
/** What the server's search returns for a probe: the test decides, as FTS5 would. */
let serverFinds: (url: URL) => TaskView[];

function seed(filter: GalleryFilter, tasks: TaskView[]) {
  client.setQueryData<Pages>(tasksKey(filter), { pages: [{ tasks, nextCursor: null }], pageParams: [null] });
}
const shown = (filter: GalleryFilter) => client.getQueryData<Pages>(tasksKey(filter))!.pages.flatMap((p) => p.tasks.map((t) => t.prompt));
const probes = () => fetchMock.mock.calls.map(([url]) => new URL(String(url), 'http://darkroom.test'));

beforeEach(() => {
  client = new QueryClient();
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(String(input), 'http://darkroom.test');
    return Response.json({ tasks: serverFinds(url), nextCursor: null } satisfies TaskPage);
  });
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a pushed task under an active search', () => {
  it('is not shown when the server’s search does not find it, though the prompt contains the text ("cat" in "concatenated")', async () => {
    // The old client matcher tested substrings, so it put this task on top; FTS5 matches word prefixes only.
    const search = f({ q: 'cat' });
    seed(search, [task('a cat on a mat', { status: 'COMPLETED' })]);
    const pushed = task('concatenated shapes, bauhaus poster');
    serverFinds = () => [];

    await upsertTask(client, pushed);

    expect(shown(search)).toEqual(['a cat on a mat']);
    expect(probes()).toHaveLength(1);
    const [probe] = probes();
    expect(probe.pathname).toBe('/api/tasks');
    expect(Object.fromEntries(probe.searchParams)).toEqual({ q: 'cat', ratio: '1024:1024', model: 'runway', limit: '20' });
  });

  it('goes on top when the server finds it (a prefix and an accent the client never has to know about)', async () => {
    const search = f({ q: 'cafe harb' });
    seed(search, [task('café by the harbour, old', { status: 'COMPLETED' })]);
    const pushed = task('Café Harbourside at dusk');
    serverFinds = () => [pushed];

    await upsertTask(client, pushed);
    expect(shown(search)).toEqual(['Café Harbourside at dusk', 'café by the harbour, old']);

    // Its later changes replace it in place, without asking again: a prompt never changes.
    await upsertTask(client, { ...pushed, status: 'COMPLETED' });
    expect(client.getQueryData<Pages>(tasksKey(search))!.pages[0].tasks[0].status).toBe('COMPLETED');
    expect(probes()).toHaveLength(1);
  });

  it('asks once per task and search, however many events arrive, and shares the answer between views', async () => {
    const all = f({ q: 'lighthouse' });
    const completed = f({ q: 'lighthouse', status: 'COMPLETED' });
    seed(all, []);
    seed(completed, []);
    const pushed = task('lighthouse-keeper portrait');
    serverFinds = () => [];

    await Promise.all([upsertTask(client, pushed), upsertTask(client, { ...pushed, status: 'GENERATING' })]);
    await upsertTask(client, { ...pushed, status: 'COMPLETED' });

    expect(probes()).toHaveLength(1);
    expect(shown(all)).toEqual([]);
    expect(shown(completed)).toEqual([]);
  });

  it('decides the exact fields itself: no request for a task another field already rules out', async () => {
    const favorites = f({ q: 'owl', favorites: true });
    seed(favorites, []);
    serverFinds = () => [];
    await upsertTask(client, task('owl at night'));
    expect(probes()).toHaveLength(0);
  });

  it('leaves the task out while the server cannot be asked, and asks again on the next event', async () => {
    const search = f({ q: 'fox' });
    seed(search, []);
    const pushed = task('fox in the snow');
    fetchMock.mockResolvedValueOnce(problem(503, { detail: 'Busy' }));
    await upsertTask(client, pushed);
    expect(shown(search)).toEqual([]);

    serverFinds = () => [pushed];
    await upsertTask(client, { ...pushed, status: 'GENERATING' });
    expect(shown(search)).toEqual(['fox in the snow']);
    expect(probes()).toHaveLength(2);
  });

  it('does not take "not on the first page" for "no match" when the page is full of newer matches', async () => {
    const search = f({ q: 'storm' });
    seed(search, []);
    const pushed = task('storm over the bay');
    const newer = Array.from({ length: 20 }, (_, i) => task(`storm ${i}`));
    fetchMock.mockResolvedValueOnce(Response.json({ tasks: newer, nextCursor: 'more' } satisfies TaskPage));
    await upsertTask(client, pushed);
    expect(shown(search)).toEqual([]);
    // Inconclusive, so not remembered: the next event asks again.
    serverFinds = () => [pushed];
    await upsertTask(client, pushed);
    expect(shown(search)).toEqual(['storm over the bay']);
  });
});

describe('a pushed task without a search', () => {
  it('is placed by its fields alone, with no request', async () => {
    const gallery = f();
    const trash = f({ view: 'trash' });
    const old = task('old picture', { status: 'COMPLETED' });
    seed(gallery, [old]);
    seed(trash, []);
    const pushed = task('new picture');

    await upsertTask(client, pushed);
    expect(shown(gallery)).toEqual(['new picture', 'old picture']);

    // Moved to the Trash (maybe in another tab): it leaves the gallery and appears in the Trash.
    await upsertTask(client, { ...pushed, deletedAt: new Date().toISOString() });
    expect(shown(gallery)).toEqual(['old picture']);
    expect(shown(trash)).toEqual(['new picture']);

    removeTaskFromCache(client, pushed.id);
    expect(shown(trash)).toEqual([]);
    expect(probes()).toHaveLength(0);
  });

  it('never puts an old task it did not list on top: below a partly loaded first page it waits for a refetch', async () => {
    const gallery = f();
    client.setQueryData<Pages>(tasksKey(gallery), { pages: [{ tasks: [task('newest')], nextCursor: 'more' }], pageParams: [null] });
    await upsertTask(client, task('older', { createdAt: '2020-01-01T00:00:00.000Z' }));
    expect(shown(gallery)).toEqual(['newest']);
  });

  it('puts a task in its sorted place when the whole list is loaded', async () => {
    const gallery = f();
    seed(gallery, [task('newest')]);
    await upsertTask(client, task('older', { createdAt: '2020-01-01T00:00:00.000Z' }));
    expect(shown(gallery)).toEqual(['newest', 'older']);
  });

  it('sorts a batch whose pictures (1 ms apart) arrive first to last', async () => {
    const gallery = f();
    client.setQueryData<Pages>(tasksKey(gallery), {
      pages: [{ tasks: [task('earlier', { createdAt: '2026-01-01T00:00:00.000Z' })], nextCursor: 'more' }],
      pageParams: [null],
    });
    const base = Date.parse('2026-02-01T00:00:00.000Z');
    for (let i = 0; i < 4; i++) await upsertTask(client, task(`variation ${i + 1}`, { createdAt: new Date(base - i).toISOString() }));
    expect(shown(gallery)).toEqual(['variation 1', 'variation 2', 'variation 3', 'variation 4', 'earlier']);
  });
});
