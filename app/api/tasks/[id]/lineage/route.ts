import { NextResponse } from 'next/server';
import { lineageOf } from '@/lib/gallery/collection';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const lineage = await lineageOf(id);
  if (!lineage) return NextResponse.json({ message: 'Not found' }, { status: 404 });
  return NextResponse.json(lineage, { headers: { 'cache-control': 'no-store' } });
}
