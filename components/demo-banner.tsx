/** Shown while no FREEPIK_API_KEY is set: pictures come from the built-in simulator. */
export function DemoBanner() {
  return (
    <div
      role="note"
      aria-label="Demo mode"
      className="border-b border-amber-400/30 bg-amber-400/10 px-4 py-2 text-center text-sm text-amber-100"
    >
      <strong className="font-semibold">Demo mode</strong> — pictures come from Darkroom’s built-in simulator of the Freepik API. Set{' '}
      <code className="rounded bg-black/30 px-1">FREEPIK_API_KEY</code> and restart to generate real pictures.
    </div>
  );
}
