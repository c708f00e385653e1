import 'server-only';
import { gateEnabled } from '../auth/settings';
import { problem } from '../http/problem';
import type { Thumbnail } from '../db/generated/client';
import { downloadFileName } from './file-name';
import { ensureOriginal, ensureThumbnail, loadPicture, type PictureRecord } from './integrity';
import { PngChunkError } from './png-chunks';
import { withRecipe } from './recipe';
import { storedBody } from '../generation/task-body';

/**
 * GET /api/images/:taskId — our stored copy of a picture (the provider's URL
 * expires and is never shown).
 *   (no query)   the original, byte-for-byte
 *   ?download=1  the original as an attachment named after the prompt and seed; a PNG
 *                carries its recipe in text chunks (lib/images/recipe.ts), added on
 *                the way out — the stored file is never changed
 *   ?w=<px>      the smallest WebP thumbnail at least that wide, else the original
 * Each variant's bytes never change, so responses are immutable and validated
 * by the variant's own sha256 (checked against the file on every serve); the
 * PNG download with its recipe is a representation of its own, tagged
 * `"<sha256>-recipe1"` (bump the suffix when the recipe's format changes). Behind
 * the password they are `private`: no shared cache may hand them to others.
 */
export async function serveImage(request: Request, taskId: string): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const download = params.has('download');
  const wanted = parseWidth(params.get('w'));
  if (wanted === 'invalid') return plain(400, 'w must be a width in pixels, e.g. ?w=640.');

  const picture = await loadPicture(taskId);
  if (!picture) return plain(404, 'Not found');

  const thumb = download || wanted === null ? null : pickThumbnail(picture.thumbnails, wanted);
  if (thumb) {
    const ifNoneMatch = request.headers.get('if-none-match');
    if (etagMatches(ifNoneMatch, thumb.sha256)) return notModified(thumb.sha256, 'image/webp');
    const served = await ensureThumbnail(picture, thumb);
    if (!served) return lost();
    return ok(served.bytes, served.sha256, 'image/webp');
  }

  const disposition = download
    ? `attachment; filename="${downloadFileName(picture.task.prompt, picture.task.seed === null ? null : Number(picture.task.seed), picture.mimeType)}"`
    : null;
  // Only PNGs carry a recipe; other types download exactly as stored, under the original's tag.
  const carriesRecipe = download && picture.mimeType === 'image/png';
  const tag = carriesRecipe ? recipeTag(picture.sha256) : picture.sha256;
  if (etagMatches(request.headers.get('if-none-match'), tag)) return notModified(tag, picture.mimeType);
  // The stored file is hashed against its sha256 first (ensureOriginal); the recipe is added to a copy.
  const bytes = await ensureOriginal(picture);
  if (!bytes) return lost();
  if (carriesRecipe) {
    const withChunks = pngWithRecipe(bytes, picture);
    // A stored PNG whose chunks cannot be walked (never one Darkroom verified) goes out as it is, under its own tag.
    if (withChunks) return ok(withChunks, tag, picture.mimeType, disposition);
  }
  return ok(bytes, picture.sha256, picture.mimeType, disposition);
}

const RECIPE_TAG_SUFFIX = 'recipe1';
/** The PNG download's ETag value: the same picture with a recipe added is another representation. */
export const recipeTag = (sha256: string) => `${sha256}-${RECIPE_TAG_SUFFIX}`;

function pngWithRecipe(bytes: Uint8Array, picture: PictureRecord): Uint8Array | null {
  const { spec, body } = storedBody(picture.task);
  try {
    return withRecipe(bytes, {
      id: picture.taskId,
      prompt: picture.task.prompt,
      ratio: picture.task.ratio,
      seed: picture.task.seed === null ? null : Number(picture.task.seed),
      model: spec.id,
      params: body,
      createdAt: picture.task.createdAt.toISOString(),
      image: { width: picture.width, height: picture.height },
    });
  } catch (error) {
    if (error instanceof PngChunkError) return null;
    throw error;
  }
}

/** `?w=`: a width in pixels, null when absent, 'invalid' for anything else. Shared with the share routes (lib/share/serve.ts). */
export function parseWidth(raw: string | null): number | null | 'invalid' {
  if (raw === null) return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) === 0) return 'invalid';
  return Number(raw);
}

/** The smallest stored rendition at least as wide as asked; null means the original is the best fit. */
export function pickThumbnail<T extends Pick<Thumbnail, 'width'>>(thumbnails: T[], wanted: number): T | null {
  return [...thumbnails].sort((a, b) => a.width - b.width).find((t) => t.width >= wanted) ?? null;
}

const etagOf = (hash: string) => `"${hash}"`;

function etagMatches(header: string | null, hash: string): boolean {
  if (!header) return false;
  // A list of tags, possibly weak (W/"…"); for a byte-identical variant weak and strong agree.
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === '*' || value === etagOf(hash);
  });
}

function cacheHeaders(hash: string, contentType: string): Headers {
  return new Headers({
    'content-type': contentType,
    'cache-control': `${gateEnabled() ? 'private' : 'public'}, max-age=31536000, immutable`,
    etag: etagOf(hash),
    'x-content-type-options': 'nosniff',
  });
}

function ok(bytes: Uint8Array, hash: string, contentType: string, disposition: string | null = null): Response {
  const headers = cacheHeaders(hash, contentType);
  headers.set('content-length', String(bytes.length));
  if (disposition) headers.set('content-disposition', disposition);
  return new Response(new Uint8Array(bytes), { headers });
}

function notModified(hash: string, contentType: string): Response {
  return new Response(null, { status: 304, headers: cacheHeaders(hash, contentType) });
}

function lost(): Response {
  return problem(410, { type: 'picture-lost', detail: 'This picture’s file is lost and could not be recovered from the provider.' });
}

// Problem details (lib/http/problem.ts), never cached: a repaired or restored picture should show up on the next try.
function plain(status: number, text: string): Response {
  return problem(status, { type: status === 400 ? 'invalid-request' : undefined, detail: text });
}

export type ServePolicy = { cacheControl: string; headers?: Record<string, string> };

/**
 * The original, byte-for-byte, by the very path GET /api/images takes — hashed
 * against its sha256 (the ETag) on every serve, repaired or reported lost (410)
 * — but under the caller's caching policy instead of the studio's year-long
 * `immutable` one. For pictures served elsewhere than /api/images: share links
 * (lib/share/serve.ts). `policy.headers` go on the 200 and the 304 alike.
 */
export function serveVerifiedOriginal(request: Request, picture: PictureRecord, policy: ServePolicy): Promise<Response> {
  return serveVerifiedVariant(request, picture, null, policy);
}

/**
 * serveVerifiedOriginal, or with `width` the smallest stored WebP rendition at
 * least that wide (the original when none is) — picked, verified against its
 * own sha256 and re-rendered when damaged exactly as `/api/images?w=` does.
 * For the pictures of a shared board (lib/share/serve.ts).
 */
export async function serveVerifiedVariant(
  request: Request,
  picture: PictureRecord,
  width: number | null,
  policy: ServePolicy,
): Promise<Response> {
  const withPolicy = (response: Response) => {
    response.headers.set('cache-control', policy.cacheControl);
    for (const [name, value] of Object.entries(policy.headers ?? {})) response.headers.set(name, value);
    return response;
  };
  const thumb = width === null ? null : pickThumbnail(picture.thumbnails, width);
  if (thumb) {
    if (etagMatches(request.headers.get('if-none-match'), thumb.sha256)) return withPolicy(notModified(thumb.sha256, 'image/webp'));
    const served = await ensureThumbnail(picture, thumb);
    if (!served) return lost();
    return withPolicy(ok(served.bytes, served.sha256, 'image/webp'));
  }
  if (etagMatches(request.headers.get('if-none-match'), picture.sha256)) return withPolicy(notModified(picture.sha256, picture.mimeType));
  const bytes = await ensureOriginal(picture);
  if (!bytes) return lost();
  return withPolicy(ok(bytes, picture.sha256, picture.mimeType));
}
