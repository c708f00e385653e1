import { NextResponse } from 'next/server';
import { boardsOfTask } from '@/lib/boards/boards';
import { problem } from '@/lib/http/problem';

/** GET /api/tasks/<id>/boards — the boards one picture is on, by name (lib/boards/view.ts, taskBoardsSchema). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const boards = await boardsOfTask(id);
  if (!boards) return problem(404, { detail: 'Not found' });
  return NextResponse.json(boards, { headers: { 'cache-control': 'no-store' } });
}
