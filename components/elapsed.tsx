'use client';

import { useEffect, useState } from 'react';
import { formatSeconds } from '@/lib/client/durations';
import { ProgressRing } from './progress-ring';

/** The current time, ticking once a second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * Time since `since`, and against `estimateMs` (typical recent duration) when
 * there is one: a determinate ring and "12 s of about 30 s"; past the estimate
 * it says so instead of pretending to be nearly done.
 */
export function Elapsed({ since, estimateMs }: { since: string; estimateMs?: number | null }) {
  const now = useNow();
  const elapsed = Math.max(0, now - Date.parse(since));
  const estimate = estimateMs ?? null;
  return (
    <span className="flex items-center gap-1.5" suppressHydrationWarning>
      <ProgressRing fraction={estimate ? elapsed / estimate : null} />
      <span className="tabular-nums" suppressHydrationWarning>
        {formatSeconds(elapsed)}
        {estimate !== null && (elapsed <= estimate ? ` of about ${formatSeconds(estimate)}` : ' · slower than usual')}
      </span>
    </span>
  );
}
