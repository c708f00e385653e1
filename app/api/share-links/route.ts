import { NextResponse } from 'next/server';
import { z } from 'zod';
import { problem } from '@/lib/http/problem';
import { listShareLinks } from '@/lib/share/links';
import type { ShareLinkList } from '@/lib/share/view';

export const dynamic = 'force-dynamic';

const TASK_ID_MESSAGE = 'taskId must be a picture id.';

/**
 * GET /api/share-links[?taskId=<id>] — the Shared links list: links not
 * revoked, to pictures and boards, newest first (only one picture's with taskId). Behind the password
 * like every API route; it never holds a link's token (only its hash is stored).
 */
export async function GET(request: Request) {
  const raw = new URL(request.url).searchParams.get('taskId');
  const taskId = raw === null ? undefined : z.uuid().safeParse(raw);
  if (taskId && !taskId.success) {
    return problem(400, { type: 'invalid-request', detail: TASK_ID_MESSAGE, errors: { taskId: [TASK_ID_MESSAGE] } });
  }
  const body: ShareLinkList = { links: await listShareLinks({ taskId: taskId?.data }) };
  return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
}
