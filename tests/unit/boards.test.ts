import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boardNameKey, boardNameSchema } from '@/lib/boards/names';
import { boardMembershipKey } from '@/lib/client/boards-query';
import { tasksKey, upsertTask } from '@/lib/client/tasks-query';
import {
  DEFAULT_FILTER,
  filterFromSearchParams,
  filterKey,
  filterToSearchParams,
  galleryFilterSchema,
  type GalleryFilter,
} from '@/lib/gallery/filters';
import type { TaskPage, TaskView } from '@/lib/tasks/view';
import { taskView } from '../support/task-view';

/** Boards (issue #12): the `board` filter in the URL, board names, and a board view in the client cache. */
const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
const BOARD = '0b7c8a4e-1111-4222-8333-944455556666';

describe('the board filter in the URL', () => {
  it('keeps a board id, puts it back into the URL and into the cache key', () => {
    const filter = filterFromSearchParams(new URLSearchParams(`board=${BOARD}&q=fox&sort=oldest`));
    expect(filter).toMatchObject({ board: BOARD, q: 'fox', sort: 'oldest' });
    expect(filterToSearchParams(filter).get('board')).toBe(BOARD);
    expect(filterFromSearchParams(filterToSearchParams(filter))).toEqual(filter);
    expect(filterKey(f({ board: BOARD }))).toBe(`board=${BOARD}`);
    // The page's searchParams object form, repeated keys included; any case reads as the lower-case id.
    expect(filterFromSearchParams({ board: [BOARD, randomUUID()] }).board).toBe(BOARD);
    expect(filterFromSearchParams({ board: BOARD.toUpperCase() }).board).toBe(BOARD);
  });

  it('ignores anything that is not a board id, like any other bad filter value', () => {
    for (const bad of ['', 'trip', '42', `${BOARD}x`, ` ${BOARD}`, '0b7c8a4e-1111-4222-8333', "'; DROP TABLE Board; --"]) {
      const filter = filterFromSearchParams(new URLSearchParams({ board: bad, ratio: '720:720' }));
      expect(filter.board, bad).toBeUndefined();
      expect(filter.ratio, bad).toBe('720:720'); // the rest of the filter still counts
      expect(filterToSearchParams(filter).has('board'), bad).toBe(false);
    }
    expect(filterFromSearchParams({}).board).toBeUndefined();
    expect(DEFAULT_FILTER.board).toBeUndefined();
    expect(filterKey(DEFAULT_FILTER)).toBe('');
  });
});

describe('board names', () => {
  it('trims, folds inner spaces and allows 1 to 60 characters', () => {
    expect(boardNameSchema.parse('  Road   trip ')).toBe('Road trip');
    expect(boardNameSchema.safeParse('   ').success).toBe(false);
    expect(boardNameSchema.safeParse('x'.repeat(61)).success).toBe(false);
    expect(boardNameSchema.safeParse('x'.repeat(60)).success).toBe(true);
    expect(boardNameSchema.safeParse(null).success).toBe(false);
  });

  it('compares names whatever their case, spacing or width', () => {
    expect(boardNameKey('Road Trip')).toBe('road trip');
    expect(boardNameKey(' ROAD  trip ')).toBe('road trip');
    expect(boardNameKey('Ｒｏａｄ Ｔｒｉｐ')).toBe('road trip');
    expect(boardNameKey('Café')).toBe(boardNameKey('CAFÉ'));
    expect(boardNameKey('Café')).not.toBe(boardNameKey('Cafe'));
  });
});

describe('a board view in the client cache', () => {
  type Pages = InfiniteData<TaskPage, string | null>;
  const task = taskView;

  function cached(client: QueryClient, filter: GalleryFilter, tasks: TaskView[]) {
    client.setQueryData<Pages>(tasksKey(filter), { pages: [{ tasks, nextCursor: null }], pageParams: [null] });
    return () => client.getQueryData<Pages>(tasksKey(filter))!.pages.flatMap((p) => p.tasks);
  }

  it('never gets a pushed new task (a new task is on no board), but the plain gallery does', async () => {
    const client = new QueryClient();
    const listed = task('on the board', { status: 'COMPLETED' });
    const board = cached(client, f({ board: BOARD }), [listed]);
    const plain = cached(client, f(), [listed]);
    const fresh = task('just generated');
    await upsertTask(client, fresh);
    expect(board().map((t) => t.prompt)).toEqual(['on the board']);
    expect(plain().map((t) => t.prompt)).toEqual(['just generated', 'on the board']);
  });

  it('keeps updating the tasks it lists, and lets one go when it leaves the view (to the Trash)', async () => {
    const client = new QueryClient();
    const listed = task('listed on the board');
    const board = cached(client, f({ board: BOARD }), [listed]);
    await upsertTask(client, { ...listed, status: 'COMPLETED', favorite: true });
    expect(board()).toMatchObject([{ id: listed.id, status: 'COMPLETED', favorite: true }]);
    await upsertTask(client, { ...listed, deletedAt: new Date().toISOString() });
    expect(board()).toEqual([]);
    // Restored: it is on the board again, but the client cannot know that; the next refetch places it.
    await upsertTask(client, listed);
    expect(board()).toEqual([]);
  });
});

describe('a selection’s membership key', () => {
  it('is the same for the same ids in any order (and duplicates), short for 10,000 ids', () => {
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    expect(boardMembershipKey(ids)).toEqual(boardMembershipKey([...ids].reverse().concat(ids[0])));
    expect(boardMembershipKey(ids)).not.toEqual(boardMembershipKey(ids.slice(1)));
    expect(boardMembershipKey(ids.slice(0, 2))).not.toEqual(boardMembershipKey([ids[0], ids[2]]));
    expect(JSON.stringify(boardMembershipKey(ids)).length).toBeLessThan(60);
    expect(boardMembershipKey(ids)[0]).toBe('boards');
  });
});
