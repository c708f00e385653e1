import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER,
  filterFromSearchParams,
  filterKey,
  filterToSearchParams,
  fromBound,
  galleryFilterSchema,
  monthOf,
  monthStart,
  withinFrom,
  type GalleryFilter,
} from '@/lib/gallery/filters';
import { tasksKey, upsertTask } from '@/lib/client/tasks-query';
import type { TaskPage, TaskView } from '@/lib/tasks/view';

/** The gallery filter in the URL, and `from` ("jump to date", a UTC month) in particular. */
const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);

describe('filterFromSearchParams / filterToSearchParams', () => {
  it('keeps a valid from month and puts it back into the URL', () => {
    const filter = filterFromSearchParams(new URLSearchParams('from=2026-10&ratio=1920:1080&sort=oldest'));
    expect(filter).toMatchObject({ from: '2026-10', ratio: '1920:1080', sort: 'oldest' });
    expect(filterToSearchParams(filter).get('from')).toBe('2026-10');
    expect(filterFromSearchParams(filterToSearchParams(filter))).toEqual(filter);
    // The page's searchParams object form, repeated keys included.
    expect(filterFromSearchParams({ from: ['2025-01', '2026-02'] }).from).toBe('2025-01');
    expect(filterKey(f({ from: '2026-10' }))).toBe('from=2026-10');
  });

  it('ignores an invalid from like any other bad filter value', () => {
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', '2026/10', 'october', '0999-01', '3000-01', ' 2026-10', '']) {
      const filter = filterFromSearchParams(new URLSearchParams({ from: bad, q: 'fox' }));
      expect(filter.from, bad).toBeUndefined();
      expect(filter.q, bad).toBe('fox'); // the rest of the filter still counts
      expect(filterToSearchParams(filter).has('from'), bad).toBe(false);
    }
    expect(filterFromSearchParams({ from: undefined }).from).toBeUndefined();
  });

  it('leaves from out of the default filter, so a plain gallery stays at "/"', () => {
    expect(DEFAULT_FILTER.from).toBeUndefined();
    expect(filterKey(DEFAULT_FILTER)).toBe('');
  });
});

describe('the from bound (UTC months)', () => {
  it('starts a newest-first view before the next month and an oldest-first one at the month', () => {
    expect(fromBound(f())).toBeNull();
    expect(fromBound(f({ from: '2026-10' }))).toEqual({ op: '<', at: new Date('2026-11-01T00:00:00.000Z') });
    expect(fromBound(f({ from: '2026-12' }))).toEqual({ op: '<', at: new Date('2027-01-01T00:00:00.000Z') });
    expect(fromBound(f({ from: '2026-10', sort: 'oldest' }))).toEqual({ op: '>=', at: new Date('2026-10-01T00:00:00.000Z') });
    // Best match keeps the newest-first bound; without a query it is newest first anyway.
    expect(fromBound(f({ from: '2026-10', sort: 'relevance', q: 'fox' }))?.op).toBe('<');
    expect(fromBound(f({ from: '2026-10', sort: 'relevance' }))?.op).toBe('<');
  });

  it('puts the last millisecond of a month and the first of the next on their own sides', () => {
    const october = f({ from: '2026-10' });
    expect(withinFrom(october, '2026-10-31T23:59:59.999Z')).toBe(true);
    expect(withinFrom(october, '2026-11-01T00:00:00.000Z')).toBe(false);
    const fromNovember = f({ from: '2026-11', sort: 'oldest' });
    expect(withinFrom(fromNovember, '2026-10-31T23:59:59.999Z')).toBe(false);
    expect(withinFrom(fromNovember, '2026-11-01T00:00:00.000Z')).toBe(true);
    expect(withinFrom(f(), '2099-01-01T00:00:00.000Z')).toBe(true);
  });

  it('steps months across years, in UTC', () => {
    expect(monthStart('2026-01', -1).toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(monthStart('2026-12', 1).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthOf('2026-10-31T23:59:59.999Z')).toBe('2026-10');
    expect(monthOf(new Date('2026-11-01T00:00:00.000Z'))).toBe('2026-11');
  });
});

describe('a pushed task and a view that starts at a month', () => {
  type Pages = InfiniteData<TaskPage, string | null>;
  // Built from the fields placement reads; a cast keeps this test independent of unrelated TaskView fields.
  const task = (id: string, createdAt: string, patch: Partial<TaskView> = {}) =>
    ({
      id,
      prompt: id,
      ratio: '1024:1024',
      seed: 1,
      status: 'QUEUED',
      statusDetail: null,
      origin: 'new',
      needsDecision: false,
      parentId: null,
      favorite: false,
      deletedAt: null,
      createdAt,
      finishedAt: null,
      image: null,
      ...patch,
    }) as TaskView;

  function cached(client: QueryClient, filter: GalleryFilter, tasks: TaskView[]) {
    client.setQueryData<Pages>(tasksKey(filter), { pages: [{ tasks, nextCursor: null }], pageParams: [null] });
    return () => client.getQueryData<Pages>(tasksKey(filter))!.pages.flatMap((p) => p.tasks.map((t) => t.id));
  }

  it('never puts a brand-new task on top of a "from October" view, but does on the plain gallery', async () => {
    const client = new QueryClient();
    const october = cached(client, f({ from: '2026-10' }), [task('oct', '2026-10-20T10:00:00.000Z')]);
    const plain = cached(client, f(), [task('oct', '2026-10-20T10:00:00.000Z')]);
    await upsertTask(client, task('new', '2026-12-03T09:00:00.000Z'));
    expect(october()).toEqual(['oct']);
    expect(plain()).toEqual(['new', 'oct']);
    // A change to a task it lists still shows.
    await upsertTask(client, task('oct', '2026-10-20T10:00:00.000Z', { favorite: true }));
    expect(client.getQueryData<Pages>(tasksKey(f({ from: '2026-10' })))!.pages[0].tasks[0].favorite).toBe(true);
  });

  it('keeps an oldest-first view from a month free of older tasks', async () => {
    const client = new QueryClient();
    const fromNovember = f({ from: '2026-11', sort: 'oldest' });
    const shown = cached(client, fromNovember, [task('nov', '2026-11-01T00:00:00.000Z'), task('old', '2026-10-31T23:59:59.999Z')]);
    await upsertTask(client, task('old', '2026-10-31T23:59:59.999Z', { status: 'COMPLETED' }));
    expect(shown()).toEqual(['nov']);
  });
});
