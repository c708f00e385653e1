/**
 * A small ring for an unfinished tile: indeterminate (a turning arc) until an
 * estimate exists, then the share of the estimate that has passed. Decorative:
 * the tile's text says the same in words.
 */
export function ProgressRing({ fraction }: { fraction: number | null }) {
  const radius = 9;
  const circumference = 2 * Math.PI * radius;
  const shown = fraction === null ? 0.25 : Math.min(Math.max(fraction, 0.02), 1);
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className={`size-6 shrink-0 -rotate-90 ${fraction === null ? 'motion-safe:animate-spin' : ''}`}
      data-progress={fraction === null ? 'indeterminate' : shown.toFixed(2)}
    >
      <circle cx="12" cy="12" r={radius} fill="none" strokeWidth="3" className="stroke-neutral-700" />
      <circle
        cx="12"
        cy="12"
        r={radius}
        fill="none"
        strokeWidth="3"
        strokeLinecap="round"
        strokeDasharray={`${shown * circumference} ${circumference}`}
        className="stroke-amber-500 transition-[stroke-dasharray] duration-1000 ease-linear motion-reduce:transition-none"
      />
    </svg>
  );
}
