import { NextResponse } from 'next/server';
import { findTask } from '@/lib/tasks/repository';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const task = await findTask(id);
  if (!task) return NextResponse.json({ message: 'Not found' }, { status: 404 });
  return NextResponse.json(task, { headers: { 'cache-control': 'no-store' } });
}
