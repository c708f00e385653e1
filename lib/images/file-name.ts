/** A download name people recognise: words from the prompt plus the seed (none for a model without seeds). */
export function downloadFileName(prompt: string, seed: number | null, mimeType: string): string {
  return `${promptSlug(prompt)}${seed === null ? '' : `-seed-${seed}`}.${fileExtension(mimeType)}`;
}

/** Up to 60 characters of the prompt's words, as [a-z0-9-] (safe in a Content-Disposition filename); "picture" when none. */
export function promptSlug(prompt: string): string {
  return (
    prompt
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'picture'
  );
}

export function fileExtension(mimeType: string): string {
  return mimeType === 'image/jpeg' ? 'jpg' : mimeType === 'image/webp' ? 'webp' : 'png';
}
