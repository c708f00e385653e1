import type { SpendingView } from '@/lib/spending/view';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Dec" for `2026-12-03` (a UTC day, as counted). */
export function shortDay(day: string): string {
  const [, month, date] = day.split('-').map(Number);
  return `${date} ${MONTHS[month - 1]}`;
}

export const CHART_CAPTION = 'Pictures sent per day, last 30 days (UTC)';

/**
 * The last 30 UTC days as bars (oldest left, today right), with a daily limit line when one is set.
 * The bars are drawn for the eye only; the numbers are in a visually hidden table that screen readers
 * read instead (caption {@link CHART_CAPTION}). Renders on the server: no script needed.
 */
export function SpendingChart({ last30, dailyLimit }: { last30: SpendingView['last30']; dailyLimit: number | null }) {
  const top = Math.max(1, dailyLimit ?? 0, ...last30.map((d) => d.count));
  const width = 300;
  const height = 80;
  const slot = width / last30.length;
  const total = last30.reduce((sum, d) => sum + d.count, 0);
  return (
    <div className="flex flex-col gap-2">
      <h3 className="text-sm font-medium text-neutral-200">Last 30 days (UTC)</h3>
      <div aria-hidden="true" className="flex gap-2">
        <div className="flex flex-col justify-between py-0.5 text-right text-[10px] tabular-nums text-neutral-500">
          <span>{top}</span>
          <span>0</span>
        </div>
        <div className="flex-1">
          <svg
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            className="h-24 w-full rounded border border-neutral-800 bg-neutral-950"
          >
            {last30.map((d, i) => {
              const h = (d.count / top) * (height - 2);
              return (
                <rect
                  key={d.day}
                  x={i * slot + slot * 0.15}
                  y={height - h}
                  width={slot * 0.7}
                  height={h}
                  className={i === last30.length - 1 ? 'fill-amber-400' : 'fill-neutral-500'}
                >
                  <title>{`${shortDay(d.day)}: ${d.count}`}</title>
                </rect>
              );
            })}
            {dailyLimit !== null && (
              <line
                x1={0}
                x2={width}
                y1={height - (dailyLimit / top) * (height - 2)}
                y2={height - (dailyLimit / top) * (height - 2)}
                className="stroke-red-400/70"
                strokeDasharray="4 3"
                vectorEffect="non-scaling-stroke"
              />
            )}
          </svg>
          <div className="mt-1 flex justify-between text-[10px] text-neutral-500">
            <span>{shortDay(last30[0].day)}</span>
            <span>Today</span>
          </div>
        </div>
      </div>
      <p className="text-xs text-neutral-400">
        {total.toLocaleString('en-US')} {total === 1 ? 'picture' : 'pictures'} in 30 days
        {dailyLimit !== null ? ' · dashed line: the daily limit' : ''}
      </p>
      <table className="sr-only">
        <caption>{CHART_CAPTION}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Pictures</th>
          </tr>
        </thead>
        <tbody>
          {last30.map((d) => (
            <tr key={d.day}>
              <th scope="row">
                <time dateTime={d.day}>{shortDay(d.day)}</time>
              </th>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
