import { NextResponse } from 'next/server';
import { lineageOf } from '@/lib/gallery/collection';
import { problem } from '@/lib/http/problem';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const lineage = await lineageOf(id);
  if (!lineage) return problem(404, { detail: 'Not found' });
  return NextResponse.json(lineage, { headers: { 'cache-control': 'no-store' } });
}
