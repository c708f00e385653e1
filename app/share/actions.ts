'use server';

import { cookies, headers } from 'next/headers';
import { z } from 'zod';
import { hasValidSession } from '@/lib/auth/keys';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { BOARD_GONE } from '@/lib/boards/boards';
import { fail, ok, type Failure, type Result } from '@/lib/result';
import { createBoardShareLink, createShareLink, revokeShareLink, SHARE_LINK_GONE, SHARE_PICTURE_GONE } from '@/lib/share/links';
import { shareBaseUrl, shareUrl } from '@/lib/share/origin';
import { shareOptionsSchema, type ShareLinkView, type ShareOptions } from '@/lib/share/view';

/**
 * Share links (README "Share links"): make one — to a picture or to a board —
 * revoke one. The list is a GET route (app/api/share-links). Everything
 * arriving here is untrusted, so it is validated again. proxy.ts already
 * refuses these without a session (only GETs of the share paths skip it);
 * making a public link is worth the second check Next recommends inside actions.
 */

const idSchema = z.uuid();
const SIGN_IN_FIRST = 'Sign in to Darkroom first.';

type Created = Result<{ url: string; link: ShareLinkView }, keyof ShareOptions>;

async function signedIn(): Promise<boolean> {
  return hasValidSession((await cookies()).get(SESSION_COOKIE)?.value);
}

/**
 * A read-only link to one finished picture that is not in the Trash. `url` is
 * the only time the link can be seen: only its token's hash is stored.
 */
export async function createShareLinkAction(taskId: string, options: ShareOptions): Promise<Created> {
  if (!(await signedIn())) return fail(SIGN_IN_FIRST);
  const id = idSchema.safeParse(taskId);
  if (!id.success) return fail(SHARE_PICTURE_GONE);
  const parsed = parseOptions(options);
  if (!parsed.ok) return parsed;
  return withUrl(await createShareLink(id.data, parsed.options));
}

/**
 * A read-only link to a board — its finished pictures not in the Trash, as
 * they are at each visit (an empty board too). Shown once, like a picture's.
 */
export async function createBoardShareLinkAction(boardId: string, options: ShareOptions): Promise<Created> {
  if (!(await signedIn())) return fail(SIGN_IN_FIRST);
  const id = idSchema.safeParse(boardId);
  if (!id.success) return fail(BOARD_GONE);
  const parsed = parseOptions(options);
  if (!parsed.ok) return parsed;
  return withUrl(await createBoardShareLink(id.data, parsed.options));
}

/** Revoke: the link answers 404 from now on, like one that never existed. */
export async function revokeShareLinkAction(linkId: string): Promise<Result<{ id: string }>> {
  if (!(await signedIn())) return fail(SIGN_IN_FIRST);
  const id = idSchema.safeParse(linkId);
  if (!id.success) return fail(SHARE_LINK_GONE);
  return revokeShareLink(id.data);
}

/** The options, strictly: each problem as a field error, the first one as the message. */
function parseOptions(options: unknown): { ok: true; options: ShareOptions } | Failure<keyof ShareOptions> {
  const parsed = shareOptionsSchema.safeParse(options);
  if (parsed.success) return { ok: true, options: parsed.data };
  const fieldErrors: Partial<Record<keyof ShareOptions, string>> = {};
  for (const [field, messages] of Object.entries(z.flattenError(parsed.error).fieldErrors)) {
    if (field in shareOptionsSchema.shape && messages?.[0]) fieldErrors[field as keyof ShareOptions] = messages[0];
  }
  return fail(Object.values(fieldErrors)[0] ?? 'These link options are not valid.', fieldErrors);
}

/** The link made, as the URL to show once: PUBLIC_BASE_URL, else this request's own origin. */
async function withUrl(created: Awaited<ReturnType<typeof createShareLink>>): Promise<Created> {
  if (!created.ok) return created;
  return ok({ url: shareUrl(shareBaseUrl(await headers()), created.token), link: created.link });
}
