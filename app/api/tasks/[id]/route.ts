import { NextResponse } from 'next/server';
import { problem } from '@/lib/http/problem';
import { findTask } from '@/lib/tasks/repository';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const task = await findTask(id);
  if (!task) return problem(404, { detail: 'Not found' });
  return NextResponse.json(task, { headers: { 'cache-control': 'no-store' } });
}
