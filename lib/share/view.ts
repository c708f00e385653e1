import { z } from 'zod';
import { boardCoverSchema } from '../boards/view';

/**
 * Share links as the studio sees them: the options a person picks when making
 * one, and what GET /api/share-links answers (parsed by the browser with the
 * same schema, lib/client/share-links-query.ts). Client-safe. The token is
 * never part of a view: it exists only in the URL returned once, at creation.
 */

export const SHARE_EXPIRIES = ['1d', '7d', 'never'] as const;
export type ShareExpiry = (typeof SHARE_EXPIRIES)[number];

export const SHARE_EXPIRY_LABELS: Record<ShareExpiry, string> = { '1d': '1 day', '7d': '7 days', never: 'Never' };

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY_MS: Record<ShareExpiry, number | null> = { '1d': DAY_MS, '7d': 7 * DAY_MS, never: null };

/** When a link made at `now` stops working; null for never. */
export function expiryDate(expiry: ShareExpiry, now: Date): Date | null {
  const ms = EXPIRY_MS[expiry];
  return ms === null ? null : new Date(now.getTime() + ms);
}

/** What "Share" sends. Strict: an unknown key is a malformed request, not something to ignore. */
export const shareOptionsSchema = z.strictObject({
  expiry: z.enum(SHARE_EXPIRIES, { error: 'Choose when the link expires: 1 day, 7 days or never.' }),
  showPrompt: z.boolean({ error: 'Say whether the page shows the prompt.' }),
  publicCache: z.boolean({ error: 'Say whether shared caches may keep the picture.' }),
});
export type ShareOptions = z.infer<typeof shareOptionsSchema>;

/** What a link shows: one picture, or a board (its pictures as they are when the page is opened). */
export const SHARE_TARGET_TYPES = ['picture', 'board'] as const;
export type ShareTargetType = (typeof SHARE_TARGET_TYPES)[number];

/** What "Share" is pressed on, as the share dialog (components/share-dialog.tsx) is told. */
export type ShareTarget = { type: 'picture'; taskId: string } | { type: 'board'; boardId: string; name: string };

/**
 * active: works. expired: past its expiry. paused: its picture is in the Trash (the link answers 404
 * until the picture is restored; picture links only). Revoked links are not listed.
 */
export const SHARE_LINK_STATES = ['active', 'expired', 'paused'] as const;
export type ShareLinkState = (typeof SHARE_LINK_STATES)[number];

/** What every link has, whatever it shows. */
const shareLinkFields = {
  id: z.string(),
  state: z.enum(SHARE_LINK_STATES),
  showPrompt: z.boolean(),
  publicCache: z.boolean(),
  createdAt: z.string(),
  /** Null: never expires. */
  expiresAt: z.string().nullable(),
  /** Null: nobody has opened it yet. Refreshed at most once a minute. */
  lastViewedAt: z.string().nullable(),
};

/** A link in the Shared links list; `targetType` says which of `picture` or `board` it carries. */
export const shareLinkViewSchema = z.discriminatedUnion('targetType', [
  z.object({
    ...shareLinkFields,
    targetType: z.literal('picture'),
    /** The shared picture, as the studio shows it (this list is behind the password like the gallery). */
    picture: z.object({
      taskId: z.string(),
      prompt: z.string(),
      ratio: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      /** A small thumbnail from /api/images (session-gated), for the list. */
      thumbnailUrl: z.string(),
    }),
  }),
  z.object({
    ...shareLinkFields,
    targetType: z.literal('board'),
    /** The shared board as the Boards dialog shows it: name, pictures not in the Trash, cover (session-gated URLs). */
    board: z.object({
      id: z.string(),
      name: z.string(),
      count: z.number().int().min(0),
      cover: boardCoverSchema.nullable(),
    }),
  }),
]);
export type ShareLinkView = z.infer<typeof shareLinkViewSchema>;

/** GET /api/share-links[?taskId=…]: the links not revoked (pictures and boards), newest first. */
export const shareLinkListSchema = z.object({ links: z.array(shareLinkViewSchema) });
export type ShareLinkList = z.infer<typeof shareLinkListSchema>;
