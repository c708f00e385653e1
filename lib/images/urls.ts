/**
 * Browser-facing URLs of a stored picture. `v=` carries the variant's hash, so
 * a URL names exactly one set of bytes and may be cached forever.
 */
type Variant = { width: number; sha256: string };

export function originalUrl(taskId: string, image: Variant): string {
  return `/api/images/${taskId}?v=${image.sha256.slice(0, 16)}`;
}

export function thumbnailUrl(taskId: string, thumb: Variant): string {
  return `/api/images/${taskId}?w=${thumb.width}&v=${thumb.sha256.slice(0, 16)}`;
}

/** `srcset` candidates, narrowest first, ending with the original at its real width. */
export function imageSrcSet(taskId: string, image: Variant, thumbnails: Variant[]): string {
  const narrower = thumbnails.filter((t) => t.width < image.width).sort((a, b) => a.width - b.width);
  return [...narrower.map((t) => `${thumbnailUrl(taskId, t)} ${t.width}w`), `${originalUrl(taskId, image)} ${image.width}w`].join(', ');
}
