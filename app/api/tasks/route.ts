import { NextResponse, type NextRequest } from 'next/server';
import { listTasks } from '@/lib/tasks/repository';

// Browsers poll this (never the provider): it reads our database only.
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const query = (params.get('q') ?? '').slice(0, 200);
  const limit = Math.min(Math.max(Number(params.get('limit')) || 48, 1), 200);
  const page = await listTasks({ query, cursor: params.get('cursor'), limit });
  return NextResponse.json(page, { headers: { 'cache-control': 'no-store' } });
}
