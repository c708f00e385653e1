import { NextResponse } from 'next/server';
import { listBoards } from '@/lib/boards/boards';
import type { BoardList } from '@/lib/boards/view';

export const dynamic = 'force-dynamic';

/**
 * GET /api/boards — every board, by name, with how many pictures it lists (not in the Trash) and its
 * cover (lib/boards/view.ts). A read the browser polls (lib/client/boards-query.ts); changes go through
 * the server actions in app/boards/actions.ts. Behind proxy.ts like every /api route.
 */
export async function GET() {
  const body: BoardList = { boards: await listBoards() };
  return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
}
