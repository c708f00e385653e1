import { serveSharedBoardPicture } from '@/lib/share/serve';

export const dynamic = 'force-dynamic';

/** One picture of a shared board (`?w=` for a thumbnail), without a session; see lib/share/serve.ts. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string; taskId: string }> }) {
  const { token, taskId } = await params;
  return serveSharedBoardPicture(request, token, taskId);
}
