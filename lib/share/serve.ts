import 'server-only';
import { problem } from '../http/problem';
import { fileExtension, promptSlug } from '../images/file-name';
import { loadPicture } from '../images/integrity';
import { serveVerifiedOriginal } from '../images/serve';
import { noteShareView, resolveSharedPicture, type SharedPicture } from './links';
import { recountShareView } from './view-limit';

/**
 * How long a browser (or, when the person allowed it, a shared cache) may reuse
 * a shared picture without asking again. Short, and never `immutable`, because
 * a link can be revoked, expire or have its picture trashed: a copy kept for a
 * year would outlive all three. After five minutes the next use revalidates
 * (If-None-Match), and a link that no longer works answers 404 instead of 304.
 * Five minutes is how late a revocation may take effect in a cache that already
 * holds the picture; the page itself is never cached.
 */
export const SHARE_MAX_AGE_SECONDS = 300;

/**
 * GET /s/<token>/image — the shared picture: the stored original,
 * byte-for-byte, hashed against its sha256 (the ETag) on every serve exactly as
 * /api/images does (lib/images/serve.ts), with:
 * - `Cache-Control: private, max-age=300`, or `public, max-age=300` only when
 *   the person who made the link allowed shared caches;
 * - `X-Robots-Tag: noindex`;
 * - an inline file name from the prompt only when the link shows the prompt,
 *   else a neutral one.
 * Unknown, revoked, expired, trashed or lost: one and the same 404.
 */
export async function serveSharedImage(request: Request, token: string, now: Date = new Date()): Promise<Response> {
  const limited = await recountShareView(request.headers);
  if (limited) return limited;
  const shared = await resolveSharedPicture(token, now);
  const picture = shared ? await loadPicture(shared.taskId) : null;
  if (!shared || !picture) return shareNotFound();
  const response = await serveVerifiedOriginal(request, picture, {
    cacheControl: `${shared.publicCache ? 'public' : 'private'}, max-age=${SHARE_MAX_AGE_SECONDS}`,
    headers: { 'x-robots-tag': 'noindex, nofollow', 'content-disposition': `inline; filename="${sharedFileName(shared)}"` },
  });
  // A picture found lost just now (410 from the serve path) says no more than any other dead link.
  if (response.status !== 200 && response.status !== 304) return shareNotFound();
  await noteShareView(shared.linkId, now);
  return response;
}

/** Named after the prompt only when the link shows it. */
function sharedFileName(shared: SharedPicture): string {
  return `${shared.prompt === null ? 'darkroom-picture' : promptSlug(shared.prompt)}.${fileExtension(shared.mimeType)}`;
}

/** The one answer for every link that does not work: nothing about what was there, if anything. */
export function shareNotFound(): Response {
  return problem(404, { detail: 'Not found' });
}
