import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { originalUrl, thumbnailUrl } from '../images/urls';
import { fail, ok, type Result } from '../result';
import { hashShareToken, isShareToken, newShareToken } from './token';
import { expiryDate, type ShareLinkState, type ShareLinkView, type ShareOptions } from './view';

/**
 * Share links (issue #12, README "Share links"): a read-only link to one
 * picture that works without the password. The link's token is made here,
 * returned once, and only its SHA-256 is stored, so neither the database nor
 * the list can give a link back; a lost link is revoked and made again.
 *
 * A link works while it is not revoked, not expired and its picture is not in
 * the Trash (restoring the picture brings the link back; emptying the Trash
 * deletes the link with the task, by the foreign key's cascade). Any other
 * token — unknown, revoked, expired, trashed — resolves to the same null, and
 * the page and the picture route answer the same 404 for all of them.
 *
 * targetType is 'picture' for every link made today; 'board' is reserved
 * (another column will name the board).
 */

export const PICTURE_TARGET = 'picture';

export const SHARE_PICTURE_GONE = 'That picture no longer exists.';
export const SHARE_PICTURE_TRASHED = 'This picture is in the Trash. Restore it to share it.';
export const SHARE_PICTURE_UNFINISHED = 'Only finished pictures can be shared.';
export const SHARE_LINK_GONE = 'That link no longer exists.';

/** How often a link's "last viewed" is written at most: a busy link costs one write a minute, not one per view. */
const VIEW_WRITE_INTERVAL_MS = 60_000;
/** The Shared links list is small by nature; this only bounds a pathological one. */
const MAX_LISTED = 1000;
/** The width of the list's thumbnails (the smallest stored rendition at least this wide). */
const LIST_THUMB_WIDTH = 320;

/**
 * Makes a link to a finished picture that is not in the Trash. Returns the
 * token (to put in the URL shown once) and the link as the list shows it.
 */
export async function createShareLink(
  taskId: string,
  options: ShareOptions,
  now: Date = new Date(),
): Promise<Result<{ token: string; link: ShareLinkView }>> {
  const task = await db().task.findUnique({
    where: { id: taskId },
    select: { status: true, deletedAt: true, image: { select: { id: true } } },
  });
  if (!task) return fail(SHARE_PICTURE_GONE);
  if (task.deletedAt) return fail(SHARE_PICTURE_TRASHED);
  if (task.status !== 'COMPLETED' || !task.image) return fail(SHARE_PICTURE_UNFINISHED);

  const token = newShareToken();
  try {
    const row = await db().shareLink.create({
      data: {
        id: randomUUID(),
        tokenHash: hashShareToken(token),
        targetType: PICTURE_TARGET,
        taskId,
        showPrompt: options.showPrompt,
        publicCache: options.publicCache,
        expiresAt: expiryDate(options.expiry, now),
        createdAt: now,
      },
      include: listInclude,
    });
    const link = toView(row, now);
    if (!link) throw new Error('A share link was stored without its picture');
    return ok({ token, link });
  } catch (error) {
    // The picture was deleted for good (Empty trash) between the check and the insert.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') return fail(SHARE_PICTURE_GONE);
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
} as const;
type ListRow = Prisma.ShareLinkGetPayload<{ include: typeof listInclude }>;

/** The links not revoked, newest first; only those of one picture when `taskId` is given. */
export async function listShareLinks({ taskId, now = new Date() }: { taskId?: string; now?: Date } = {}): Promise<ShareLinkView[]> {
  const rows = await db().shareLink.findMany({
    where: { revokedAt: null, targetType: PICTURE_TARGET, ...(taskId ? { taskId } : {}) },
    include: listInclude,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MAX_LISTED,
  });
  return rows.flatMap((row) => toView(row, now) ?? []);
}

function toView(row: ListRow, now: Date): ShareLinkView | null {
  const task = row.task;
  if (!task?.image) return null;
  const image = task.image;
  const thumb = [...image.thumbnails].sort((a, b) => a.width - b.width).find((t) => t.width >= LIST_THUMB_WIDTH);
  // Expired wins: restoring the picture brings a paused link back, nothing brings an expired one back.
  const state: ShareLinkState = isExpired(row.expiresAt, now) ? 'expired' : task.deletedAt ? 'paused' : 'active';
  return {
    id: row.id,
    targetType: PICTURE_TARGET,
    picture: {
      taskId: task.id,
      prompt: task.prompt,
      ratio: task.ratio,
      width: image.width,
      height: image.height,
      thumbnailUrl: thumb ? thumbnailUrl(task.id, thumb) : originalUrl(task.id, image),
    },
    state,
    showPrompt: row.showPrompt,
    publicCache: row.publicCache,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastViewedAt: row.lastViewedAt?.toISOString() ?? null,
  };
}

const isExpired = (expiresAt: Date | null, now: Date) => expiresAt !== null && expiresAt.getTime() <= now.getTime();

/** What a working link shows. Only what the page may show: the prompt is absent unless the person chose it. */
export type SharedPicture = {
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

/**
 * The picture a token opens, or null — the same null whether the token is
 * malformed, unknown, revoked, expired, or its picture is in the Trash,
 * unfinished or lost.
 *
 * The token is looked up by its SHA-256 through the unique index, not compared
 * with anything: the database never holds the token, and what a lookup's
 * timing could reveal is whether some stored hash starts like the hash of the
 * attacker's own guess — which tells nothing about any token, since SHA-256
 * cannot be run backwards. A constant-time comparison would protect nothing.
 */
export async function resolveSharedPicture(token: string, now: Date = new Date()): Promise<SharedPicture | null> {
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
    },
  });
  if (!link || link.revokedAt || isExpired(link.expiresAt, now) || link.targetType !== PICTURE_TARGET) return null;
  const task = link.task;
  if (!task || task.deletedAt || task.status !== 'COMPLETED' || !task.image || task.image.lostAt) return null;
  return {
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

/** Notes a view for the list's "Last viewed": one write a minute at most per link, whatever the traffic. */
export async function noteShareView(linkId: string, now: Date = new Date()): Promise<void> {
  const before = new Date(now.getTime() - VIEW_WRITE_INTERVAL_MS);
  await db().shareLink.updateMany({
    where: { id: linkId, OR: [{ lastViewedAt: null }, { lastViewedAt: { lt: before } }] },
    data: { lastViewedAt: now },
  });
}
