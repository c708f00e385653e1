/**
 * One instance per process, kept on globalThis under `__darkroom<Name>`: Next
 * bundles instrumentation, the proxy, route handlers and server actions
 * separately (each with its own module state), and dev reloads modules, but
 * things like the database client, the follower and the event bus must be
 * shared by all of them. `make` runs once, on first use.
 */
export function singleton<T>(name: string, make: () => T): T {
  const store = globalThis as unknown as Record<string, T | undefined>;
  const key = `__darkroom${name}`;
  if (store[key] === undefined) store[key] = make();
  return store[key] as T;
}
