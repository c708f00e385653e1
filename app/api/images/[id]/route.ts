import { serveImage } from '@/lib/images/serve';

/** Our stored copy of a picture and its thumbnails; see lib/images/serve.ts. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return serveImage(request, id);
}
