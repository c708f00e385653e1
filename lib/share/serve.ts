import 'server-only';
import { problem } from '../http/problem';
import { fileExtension, promptSlug } from '../images/file-name';
import { loadPicture } from '../images/integrity';
import { parseWidth, serveVerifiedOriginal, serveVerifiedVariant } from '../images/serve';
import { noteShareView, resolveBoardPicture, resolveSharedPicture } from './resolve';
import { boardPictureLimiter, countShareMiss, recountShareView } from './view-limit';

/**
 * How long a browser (or, when the person allowed it, a shared cache) may reuse
 * a shared picture without asking again. Short, and never `immutable`, because
 * a link can be revoked, expire or have its picture trashed (or, for a board,
 * taken off it): a copy kept for a year would outlive all of these. After five
 * minutes the next use revalidates (If-None-Match), and a link that no longer
 * works answers 404 instead of 304. Five minutes is how late a revocation may
 * take effect in a cache that already holds the picture; the page itself is
 * never cached.
 */
export const SHARE_MAX_AGE_SECONDS = 300;

/** `private` unless the person who made the link allowed shared caches. */
const cacheControl = (publicCache: boolean) => `${publicCache ? 'public' : 'private'}, max-age=${SHARE_MAX_AGE_SECONDS}`;

/** Named after the prompt only when the link shows it; the extension follows what is served (a thumbnail is WebP). */
function sharedFileName(prompt: string | null, mimeType: string): string {
  return `${prompt === null ? 'darkroom-picture' : promptSlug(prompt)}.${fileExtension(mimeType)}`;
}

/**
 * GET /s/<token>/image — the shared picture of a picture link: the stored
 * original, byte-for-byte, hashed against its sha256 (the ETag) on every serve
 * exactly as /api/images does (lib/images/serve.ts), with:
 * - `Cache-Control: private, max-age=300`, or `public, max-age=300` only when
 *   the person who made the link allowed shared caches;
 * - `X-Robots-Tag: noindex`;
 * - an inline file name from the prompt only when the link shows the prompt,
 *   else a neutral one.
 * Unknown, revoked, expired, trashed or lost — or a board's token: one and the same 404.
 */
export async function serveSharedImage(request: Request, token: string, now: Date = new Date()): Promise<Response> {
  const limited = await recountShareView(request.headers);
  if (limited) return limited;
  const shared = await resolveSharedPicture(token, now);
  const picture = shared ? await loadPicture(shared.taskId) : null;
  if (!shared || !picture) return shareNotFound();
  const response = await serveVerifiedOriginal(request, picture, {
    cacheControl: cacheControl(shared.publicCache),
    headers: {
      'x-robots-tag': 'noindex, nofollow',
      'content-disposition': `inline; filename="${sharedFileName(shared.prompt, shared.mimeType)}"`,
    },
  });
  // A picture found lost just now (410 from the serve path) says no more than any other dead link.
  if (response.status !== 200 && response.status !== 304) return shareNotFound();
  await noteShareView(shared.linkId, now);
  return response;
}

/**
 * GET /s/<token>/image/<task id>[?w=<px>] — one picture of a shared board: the
 * original, or with `?w=` the smallest stored WebP rendition at least that
 * wide (the page's grid), under the same rules as a shared picture. It answers
 * only while the picture is on that board, finished, not in the Trash and not
 * lost, and the link works: a board token opens no other picture. Anything
 * else, a malformed `w` included, is the one same 404 — and costs a view in the
 * page bucket too (lib/share/view-limit.ts), so the generous board-picture
 * bucket buys no extra guesses.
 */
export async function serveSharedBoardPicture(request: Request, token: string, taskId: string, now: Date = new Date()): Promise<Response> {
  const limited = await recountShareView(request.headers, boardPictureLimiter());
  if (limited) return limited;
  const width = parseWidth(new URL(request.url).searchParams.get('w'));
  const shared = width === 'invalid' ? null : await resolveBoardPicture(token, taskId, now);
  const picture = shared ? await loadPicture(shared.taskId) : null;
  if (!shared || !picture || width === 'invalid') return boardPictureMiss(request);
  const response = await serveVerifiedVariant(request, picture, width, {
    cacheControl: cacheControl(shared.publicCache),
    headers: { 'x-robots-tag': 'noindex, nofollow' },
  });
  if (response.status !== 200 && response.status !== 304) return boardPictureMiss(request);
  const served = response.headers.get('content-type') ?? picture.mimeType;
  response.headers.set('content-disposition', `inline; filename="${sharedFileName(shared.prompt, served)}"`);
  await noteShareView(shared.linkId, now);
  return response;
}

async function boardPictureMiss(request: Request): Promise<Response> {
  return (await countShareMiss(request.headers)) ?? shareNotFound();
}

/** The one answer for every link that does not work: nothing about what was there, if anything. */
export function shareNotFound(): Response {
  return problem(404, { detail: 'Not found' });
}
