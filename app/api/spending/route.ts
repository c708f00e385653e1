import { NextResponse } from 'next/server';
import { problem } from '@/lib/http/problem';
import { spendingView } from '@/lib/spending/budget';
import type { SpendingView } from '@/lib/spending/view';

// Counted from the database on every request (never prerendered at build time).
export const dynamic = 'force-dynamic';

/**
 * The spending guard's numbers (lib/spending/view.ts): pictures sent upstream today and this month (UTC)
 * against their limits, when each resets, and the last 30 days — for the composer's meter and the
 * Settings page. Never cached: it changes with every picture sent. Behind proxy.ts like every /api route
 * (Host allow-list, session); a failure is problem details like every route's errors.
 */
export async function GET() {
  let view: SpendingView;
  try {
    view = await spendingView();
  } catch (error) {
    console.error('[spending] could not count the pictures sent:', error instanceof Error ? error.message : error);
    return problem(500, { detail: 'Darkroom could not count the pictures sent. Please try again.' });
  }
  return NextResponse.json(view, { headers: { 'cache-control': 'no-store' } });
}
