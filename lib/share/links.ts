import 'server-only';
import { randomUUID } from 'node:crypto';
import { BOARD_GONE, listBoards } from '../boards/boards';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { originalUrl, thumbnailUrl } from '../images/urls';
import { fail, ok, type Result } from '../result';
import { isExpired } from './resolve';
import { hashShareToken, newShareToken } from './token';
import { expiryDate, SHARE_TARGET_TYPES, type ShareLinkState, type ShareLinkView, type ShareOptions } from './view';

/**
 * Share links (issue #12, README "Share links"): a read-only link to one
 * picture, or to one board, that works without the password. The link's token
 * is made here, returned once, and only its SHA-256 is stored, so neither the
 * database nor the list can give a link back; a lost link is revoked and made
 * again. What a token opens is resolved in ./resolve.ts.
 *
 * A picture link works while it is not revoked, not expired and its picture is
 * not in the Trash (restoring the picture brings the link back; emptying the
 * Trash deletes the link with the task, by the foreign key's cascade). A board
 * link works while it is not revoked and not expired; deleting the board
 * deletes its links the same way. A board link shows the board as it is at
 * each visit: pictures added later appear, pictures taken off or trashed go.
 */

export const PICTURE_TARGET = 'picture';
export const BOARD_TARGET = 'board';

export const SHARE_PICTURE_GONE = 'That picture no longer exists.';
export const SHARE_PICTURE_TRASHED = 'This picture is in the Trash. Restore it to share it.';
export const SHARE_PICTURE_UNFINISHED = 'Only finished pictures can be shared.';
export const SHARE_LINK_GONE = 'That link no longer exists.';

/** The Shared links list is small by nature; this only bounds a pathological one. */
const MAX_LISTED = 1000;
/** The width of the list's thumbnails (the smallest stored rendition at least this wide). */
const LIST_THUMB_WIDTH = 320;

type Created = Result<{ token: string; link: ShareLinkView }>;
type Target = { targetType: typeof PICTURE_TARGET; taskId: string } | { targetType: typeof BOARD_TARGET; boardId: string };

/**
 * Makes a link to a finished picture that is not in the Trash. Returns the
 * token (to put in the URL shown once) and the link as the list shows it.
 */
export async function createShareLink(taskId: string, options: ShareOptions, now: Date = new Date()): Promise<Created> {
  const task = await db().task.findUnique({
    where: { id: taskId },
    select: { status: true, deletedAt: true, image: { select: { id: true } } },
  });
  if (!task) return fail(SHARE_PICTURE_GONE);
  if (task.deletedAt) return fail(SHARE_PICTURE_TRASHED);
  if (task.status !== 'COMPLETED' || !task.image) return fail(SHARE_PICTURE_UNFINISHED);
  // The picture was deleted for good (Empty trash) between the check and the insert.
  return insertLink({ targetType: PICTURE_TARGET, taskId }, options, now, SHARE_PICTURE_GONE);
}

/**
 * Makes a link to a board — an empty one too: its page then says it has no
 * pictures yet, and shows those added later. Same options, same token rules.
 */
export async function createBoardShareLink(boardId: string, options: ShareOptions, now: Date = new Date()): Promise<Created> {
  const board = await db().board.findUnique({ where: { id: boardId }, select: { id: true } });
  if (!board) return fail(BOARD_GONE);
  // The board was deleted between the check and the insert.
  return insertLink({ targetType: BOARD_TARGET, boardId }, options, now, BOARD_GONE);
}

/** Stores a new link (its token's hash only) and returns the token once. `gone`: the target vanished meanwhile. */
async function insertLink(target: Target, options: ShareOptions, now: Date, gone: string): Promise<Created> {
  const token = newShareToken();
  try {
    const row = await db().shareLink.create({
      data: {
        id: randomUUID(),
        tokenHash: hashShareToken(token),
        ...target,
        showPrompt: options.showPrompt,
        publicCache: options.publicCache,
        expiresAt: expiryDate(options.expiry, now),
        createdAt: now,
      },
      include: listInclude,
    });
    const [link] = await toViews([row], now);
    if (!link) throw new Error('A share link was stored without what it shares');
    return ok({ token, link });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') return fail(gone);
    throw error;
  }
}

/** Revokes a link: from now on it answers 404 like any unknown one. Revoking twice is fine. */
export async function revokeShareLink(id: string, now: Date = new Date()): Promise<Result<{ id: string }>> {
  const { count } = await db().shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  if (count > 0) return ok({ id });
  const exists = await db().shareLink.count({ where: { id } });
  return exists ? ok({ id }) : fail(SHARE_LINK_GONE);
}

const listInclude = {
  task: {
    select: {
      id: true,
      prompt: true,
      ratio: true,
      deletedAt: true,
      image: { select: { sha256: true, width: true, height: true, thumbnails: { select: { width: true, sha256: true } } } },
    },
  },
  board: { select: { id: true } },
} as const;
type ListRow = Prisma.ShareLinkGetPayload<{ include: typeof listInclude }>;

/**
 * The links not revoked — pictures and boards — newest first; only those of one picture when `taskId`
 * is given.
 */
export async function listShareLinks({ taskId, now = new Date() }: { taskId?: string; now?: Date } = {}): Promise<ShareLinkView[]> {
  const rows = await db().shareLink.findMany({
    where: { revokedAt: null, ...(taskId ? { targetType: PICTURE_TARGET, taskId } : { targetType: { in: [...SHARE_TARGET_TYPES] } }) },
    include: listInclude,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MAX_LISTED,
  });
  return toViews(rows, now);
}

/** Rows as the list shows them, in their order; board names, counts and covers come from lib/boards in one go. */
async function toViews(rows: ListRow[], now: Date): Promise<ShareLinkView[]> {
  const boardIds = [...new Set(rows.flatMap((row) => (row.targetType === BOARD_TARGET && row.board ? [row.board.id] : [])))];
  const boards = new Map((boardIds.length ? await listBoards({ ids: boardIds }) : []).map((board) => [board.id, board]));
  return rows.flatMap((row) => {
    if (row.targetType !== BOARD_TARGET) return pictureView(row, now) ?? [];
    const board = row.board && boards.get(row.board.id);
    if (!board) return [];
    const view: ShareLinkView = {
      ...linkFields(row, isExpired(row.expiresAt, now) ? 'expired' : 'active'),
      targetType: BOARD_TARGET,
      board: { id: board.id, name: board.name, count: board.count, cover: board.cover },
    };
    return [view];
  });
}

function linkFields(row: ListRow, state: ShareLinkState) {
  return {
    id: row.id,
    state,
    showPrompt: row.showPrompt,
    publicCache: row.publicCache,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastViewedAt: row.lastViewedAt?.toISOString() ?? null,
  };
}

function pictureView(row: ListRow, now: Date): ShareLinkView | null {
  const task = row.task;
  if (!task?.image) return null;
  const image = task.image;
  const thumb = [...image.thumbnails].sort((a, b) => a.width - b.width).find((t) => t.width >= LIST_THUMB_WIDTH);
  // Expired wins: restoring the picture brings a paused link back, nothing brings an expired one back.
  const state: ShareLinkState = isExpired(row.expiresAt, now) ? 'expired' : task.deletedAt ? 'paused' : 'active';
  return {
    ...linkFields(row, state),
    targetType: PICTURE_TARGET,
    picture: {
      taskId: task.id,
      prompt: task.prompt,
      ratio: task.ratio,
      width: image.width,
      height: image.height,
      thumbnailUrl: thumb ? thumbnailUrl(task.id, thumb) : originalUrl(task.id, image),
    },
  };
}
