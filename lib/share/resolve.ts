import 'server-only';
import { db } from '../db/client';
import { isShareTaskId, isShareToken, hashShareToken } from './token';

/**
 * What a token opens, for the public share page and routes (no session). Every
 * token that does not work — malformed, unknown, revoked, expired, its picture
 * in the Trash, unfinished or lost, its board deleted — resolves to the same
 * null, and the page and the routes answer the same 404 for all of them.
 *
 * The token is looked up by its SHA-256 through the unique index, not compared
 * with anything: the database never holds the token, and what a lookup's
 * timing could reveal is whether some stored hash starts like the hash of the
 * attacker's own guess — which tells nothing about any token, since SHA-256
 * cannot be run backwards. A constant-time comparison would protect nothing.
 */

/** How often a link's "last viewed" is written at most: a busy link costs one write a minute, not one per view. */
const VIEW_WRITE_INTERVAL_MS = 60_000;

export const isExpired = (expiresAt: Date | null, now: Date) => expiresAt !== null && expiresAt.getTime() <= now.getTime();

/** What a working picture link shows. Only what the page may show: the prompt is absent unless the person chose it. */
export type SharedPicture = {
  kind: 'picture';
  linkId: string;
  taskId: string;
  /** Present only when the link shows the prompt. */
  prompt: string | null;
  ratio: string;
  width: number;
  height: number;
  mimeType: string;
  publicCache: boolean;
};

/** A working board link: which board, and how its pictures are shown. The pictures are read per page (lib/share/board.ts). */
export type SharedBoard = {
  kind: 'board';
  linkId: string;
  boardId: string;
  name: string;
  showPrompt: boolean;
  publicCache: boolean;
};

export type SharedTarget = SharedPicture | SharedBoard;

/** The picture or board a token opens, or null (see above). */
export async function resolveShareLink(token: string, now: Date = new Date()): Promise<SharedTarget | null> {
  if (!isShareToken(token)) return null;
  const link = await db().shareLink.findUnique({
    where: { tokenHash: hashShareToken(token) },
    include: {
      task: {
        select: {
          id: true,
          prompt: true,
          ratio: true,
          status: true,
          deletedAt: true,
          image: { select: { width: true, height: true, mimeType: true, lostAt: true } },
        },
      },
      board: { select: { id: true, name: true } },
    },
  });
  if (!link || link.revokedAt || isExpired(link.expiresAt, now)) return null;
  if (link.targetType === 'board') {
    // A deleted board took its links with it (the foreign key cascades); the check is for the type's sake.
    if (!link.board) return null;
    const { id: boardId, name } = link.board;
    return { kind: 'board', linkId: link.id, boardId, name, showPrompt: link.showPrompt, publicCache: link.publicCache };
  }
  const task = link.task;
  if (link.targetType !== 'picture' || !task) return null;
  if (task.deletedAt || task.status !== 'COMPLETED' || !task.image || task.image.lostAt) return null;
  return {
    kind: 'picture',
    linkId: link.id,
    taskId: task.id,
    prompt: link.showPrompt ? task.prompt : null,
    ratio: task.ratio,
    width: task.image.width,
    height: task.image.height,
    mimeType: task.image.mimeType,
    publicCache: link.publicCache,
  };
}

/** The picture a picture link opens, or null — for a board link too (`/s/<board token>/image` is no picture). */
export async function resolveSharedPicture(token: string, now: Date = new Date()): Promise<SharedPicture | null> {
  const shared = await resolveShareLink(token, now);
  return shared?.kind === 'picture' ? shared : null;
}

/** One picture of a shared board, as its route serves it. */
export type SharedBoardPicture = {
  linkId: string;
  taskId: string;
  /** Present only when the link shows the prompt (it names the file). */
  prompt: string | null;
  publicCache: boolean;
};

/**
 * A picture through a board link, or null: the link must work and the picture
 * be on that board right now, finished, not in the Trash and not lost. Taking
 * it off the board or trashing it makes its URL answer 404 at once; no board
 * token reads a picture that is not on its board.
 */
export async function resolveBoardPicture(token: string, taskId: string, now: Date = new Date()): Promise<SharedBoardPicture | null> {
  if (!isShareTaskId(taskId)) return null;
  const shared = await resolveShareLink(token, now);
  if (shared?.kind !== 'board') return null;
  const onBoard = await db().boardTask.findUnique({
    where: { boardId_taskId: { boardId: shared.boardId, taskId } },
    select: { task: { select: { prompt: true, status: true, deletedAt: true, image: { select: { lostAt: true } } } } },
  });
  const task = onBoard?.task;
  if (!task || task.deletedAt || task.status !== 'COMPLETED' || !task.image || task.image.lostAt) return null;
  return { linkId: shared.linkId, taskId, prompt: shared.showPrompt ? task.prompt : null, publicCache: shared.publicCache };
}

/** Notes a view for the list's "Last viewed": one write a minute at most per link, whatever the traffic. */
export async function noteShareView(linkId: string, now: Date = new Date()): Promise<void> {
  const before = new Date(now.getTime() - VIEW_WRITE_INTERVAL_MS);
  await db().shareLink.updateMany({
    where: { id: linkId, OR: [{ lastViewedAt: null }, { lastViewedAt: { lt: before } }] },
    data: { lastViewedAt: now },
  });
}
