'use server';

import { cookies, headers } from 'next/headers';
import { z } from 'zod';
import { hasValidSession } from '@/lib/auth/keys';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { fail, ok, type Result } from '@/lib/result';
import { createShareLink, revokeShareLink, SHARE_LINK_GONE, SHARE_PICTURE_GONE } from '@/lib/share/links';
import { shareBaseUrl, shareUrl } from '@/lib/share/origin';
import { shareOptionsSchema, type ShareLinkView, type ShareOptions } from '@/lib/share/view';

/**
 * Share links (README "Share links"): make one, revoke one. The list is a GET
 * route (app/api/share-links). Everything arriving here is untrusted, so it is
 * validated again. proxy.ts already refuses these without a session (only
 * GETs of the share paths skip it); making a public link is worth the second
 * check Next recommends inside actions.
 */

const idSchema = z.uuid();
const SIGN_IN_FIRST = 'Sign in to Darkroom first.';

async function signedIn(): Promise<boolean> {
  return hasValidSession((await cookies()).get(SESSION_COOKIE)?.value);
}

/**
 * A read-only link to one finished picture that is not in the Trash. `url` is
 * the only time the link can be seen: only its token's hash is stored.
 */
export async function createShareLinkAction(
  taskId: string,
  options: ShareOptions,
): Promise<Result<{ url: string; link: ShareLinkView }, keyof ShareOptions>> {
  if (!(await signedIn())) return fail(SIGN_IN_FIRST);
  const id = idSchema.safeParse(taskId);
  if (!id.success) return fail(SHARE_PICTURE_GONE);
  const parsed = shareOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<keyof ShareOptions, string>> = {};
    for (const [field, messages] of Object.entries(z.flattenError(parsed.error).fieldErrors)) {
      if (field in shareOptionsSchema.shape && messages?.[0]) fieldErrors[field as keyof ShareOptions] = messages[0];
    }
    return fail(Object.values(fieldErrors)[0] ?? 'These link options are not valid.', fieldErrors);
  }
  const created = await createShareLink(id.data, parsed.data);
  if (!created.ok) return created;
  return ok({ url: shareUrl(shareBaseUrl(await headers()), created.token), link: created.link });
}

/** Revoke: the link answers 404 from now on, like one that never existed. */
export async function revokeShareLinkAction(linkId: string): Promise<Result<{ id: string }>> {
  if (!(await signedIn())) return fail(SIGN_IN_FIRST);
  const id = idSchema.safeParse(linkId);
  if (!id.success) return fail(SHARE_LINK_GONE);
  return revokeShareLink(id.data);
}
