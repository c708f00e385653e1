import { serveSharedImage } from '@/lib/share/serve';

export const dynamic = 'force-dynamic';

/** The picture behind a share link, without a session; see lib/share/serve.ts. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return serveSharedImage(request, token);
}
