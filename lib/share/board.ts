import 'server-only';
import { listBoards } from '../boards/boards';
import { db } from '../db/client';
import { galleryFilterSchema } from '../gallery/filters';
import { InvalidCursorError, listTasks } from '../gallery/query';
import { gallerySummary } from '../gallery/summary';
import { thumbnailWidthsFor } from '../images/thumbnails';
import type { SharedBoard } from './resolve';
import { shareBoardImagePath } from './token';

/**
 * What a shared board's page shows (app/s/[token]/page.tsx): the board's
 * finished pictures that are not in the Trash, newest first — exactly what the
 * studio lists for the board with Status "Completed" — read through the
 * gallery's own listing (lib/gallery/query.ts), so a board of any size costs a
 * page what the studio's board view costs, on SQLite and PostgreSQL alike.
 *
 * Pages, not everything at once: BOARD_PAGE_SIZE pictures per page, with a
 * keyset cursor (the gallery's, in `?after=`) to the next, older page. A board
 * of 5,000 pictures opens as fast as one of 50, and a page's thumbnails stay
 * within the board-picture rate limit (lib/share/view-limit.ts). The page says
 * how many pictures there are in all. Keyset rather than numbered pages: a
 * picture added or taken off while someone pages through shifts nothing.
 *
 * Every URL is under the board's token (`/s/<token>/image/<task id>`, `?w=`
 * for the grid's thumbnails): /api/images stays behind the password.
 */
export const BOARD_PAGE_SIZE = 100;

export type BoardPagePicture = {
  taskId: string;
  /** Present only when the link shows the prompt. */
  prompt: string | null;
  width: number;
  height: number;
  /** The grid's thumbnail: the smallest rendition, with the others (and the original) as `srcset` candidates. */
  src: string;
  srcSet: string;
  /** The original, opened on click. */
  href: string;
};

export type BoardPage = {
  /** The board's finished pictures not in the Trash, on every page. */
  total: number;
  pictures: BoardPagePicture[];
  /** The next (older) page's `?after=`, null on the last page. */
  nextCursor: string | null;
  /** The board's newest picture (the Boards dialog's cover), for Open Graph; null for an empty board. */
  cover: { taskId: string; width: number; height: number; mimeType: string } | null;
};

/**
 * One page of a shared board, or null when `cursor` is not one this server
 * issued (the page then answers the same 404 as any dead link).
 */
export async function sharedBoardPage(
  token: string,
  board: SharedBoard,
  cursor: string | null,
  limit: number = BOARD_PAGE_SIZE,
): Promise<BoardPage | null> {
  const filter = galleryFilterSchema.parse({ board: board.boardId, status: 'COMPLETED' });
  let listed: Awaited<ReturnType<typeof listTasks>>;
  try {
    listed = await listTasks(filter, cursor, limit);
  } catch (error) {
    if (error instanceof InvalidCursorError) return null;
    throw error;
  }
  const [{ total }, cover] = await Promise.all([gallerySummary(filter), coverOf(board.boardId)]);
  const pictures = listed.tasks.flatMap((task): BoardPagePicture[] => {
    // A lost file would only show a broken tile (its URL answers 404); the studio lists it to repair it.
    if (!task.image || task.image.lost) return [];
    const { width, height } = task.image;
    const widths = thumbnailWidthsFor(width);
    const original = shareBoardImagePath(token, task.id);
    return [
      {
        taskId: task.id,
        prompt: board.showPrompt ? task.prompt : null,
        width,
        height,
        src: widths.length ? shareBoardImagePath(token, task.id, widths[0]) : original,
        srcSet: [...widths.map((w) => `${shareBoardImagePath(token, task.id, w)} ${w}w`), `${original} ${width}w`].join(', '),
        href: original,
      },
    ];
  });
  return { total, pictures, nextCursor: listed.nextCursor, cover };
}

/** The board's cover as lib/boards finds it (newest completed picture, not trashed, not lost), with its type. */
async function coverOf(boardId: string): Promise<BoardPage['cover']> {
  const cover = (await listBoards({ ids: [boardId] }))[0]?.cover;
  if (!cover) return null;
  const image = await db().image.findUnique({ where: { taskId: cover.taskId }, select: { mimeType: true } });
  return image ? { taskId: cover.taskId, width: cover.width, height: cover.height, mimeType: image.mimeType } : null;
}
