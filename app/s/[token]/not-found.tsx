/**
 * What every share link that does not work shows — unknown, revoked, expired,
 * its picture in the Trash or its board deleted alike (tests compare the
 * bodies): nothing about what was there, if anything.
 */
export default function ShareNotFound() {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col items-center justify-center gap-2 px-4 py-12 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-neutral-400">There is nothing at this address.</p>
    </main>
  );
}
