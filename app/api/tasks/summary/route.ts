import { NextResponse, type NextRequest } from 'next/server';
import { filterFromSearchParams } from '@/lib/gallery/filters';
import { gallerySummary } from '@/lib/gallery/summary';
import type { GallerySummary } from '@/lib/gallery/summary-view';

/**
 * The gallery's total and per-month counts (lib/gallery/summary-view.ts) for the filter in the query
 * string — the same parameters as GET /api/tasks; `from`, `sort`, `cursor` and `limit` change nothing.
 * Bad filter values are ignored as there, so there is no 400 to give; anything unexpected propagates
 * as in the other routes. Behind proxy.ts like every /api route (Host allow-list, session).
 */
export async function GET(request: NextRequest) {
  const summary: GallerySummary = await gallerySummary(filterFromSearchParams(request.nextUrl.searchParams));
  return NextResponse.json(summary, { headers: { 'cache-control': 'no-store' } });
}
