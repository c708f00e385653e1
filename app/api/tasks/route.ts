import { NextResponse, type NextRequest } from 'next/server';
import { filterFromSearchParams } from '@/lib/gallery/filters';
import { InvalidCursorError, listTasks } from '@/lib/gallery/query';
import { problem } from '@/lib/http/problem';

// Browsers poll this (never the provider): it reads our database only.
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const limit = Math.min(Math.max(Number(params.get('limit')) || 48, 1), 200);
  try {
    const page = await listTasks(filterFromSearchParams(params), params.get('cursor'), limit);
    return NextResponse.json(page, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    return problem(400, { type: 'invalid-request', detail: error.message, errors: { cursor: [error.message] } });
  }
}
