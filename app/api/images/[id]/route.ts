import { readStoredImage } from '@/lib/images/store';
import { downloadFileName } from '@/lib/images/file-name';
import { findTaskRow } from '@/lib/tasks/repository';

/**
 * Serves our stored copy of a picture (the provider's URL expires and is never
 * shown). The bytes under a task never change, so responses are immutable and
 * validated by their sha256.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const row = await findTaskRow(id);
  if (!row?.image) return new Response('Not found', { status: 404 });

  const etag = `"${row.image.sha256}"`;
  const headers = new Headers({
    'content-type': row.image.mimeType,
    'cache-control': 'public, max-age=31536000, immutable',
    etag,
    'x-content-type-options': 'nosniff',
  });
  if (new URL(request.url).searchParams.has('download')) {
    const name = downloadFileName(row.prompt, Number(row.seed), row.image.mimeType);
    headers.set('content-disposition', `attachment; filename="${name}"`);
  }
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });

  let bytes: Buffer;
  try {
    bytes = await readStoredImage(row.image.path);
  } catch {
    return new Response('The stored picture file is missing.', { status: 410 });
  }
  headers.set('content-length', String(bytes.length));
  return new Response(new Uint8Array(bytes), { headers });
}
