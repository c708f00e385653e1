/**
 * Web Storage that never throws. localStorage can be missing (server render),
 * refuse access outright (disabled site data, sandboxed frames: reading
 * `window.localStorage` throws a SecurityError), or refuse writes (quota, some
 * private modes). Everything the composer keeps there is a convenience, so
 * each failure just means "nothing stored".
 */

/** `window.localStorage` when this browser lets us use it, else null. */
export function browserStorage(): Storage | null {
  if (typeof window === 'undefined') return null;
  try {
    return window.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The stored string, or null when absent, unreadable or larger than `maxLength`. */
export function readItem(storage: Storage | null, key: string, maxLength: number): string | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(key);
    return typeof raw === 'string' && raw.length <= maxLength ? raw : null;
  } catch {
    return null;
  }
}

/** Parsed JSON, or undefined when absent, unreadable or not JSON. */
export function readJson(storage: Storage | null, key: string, maxLength: number): unknown {
  const raw = readItem(storage, key, maxLength);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** True when the value was written. */
export function writeItem(storage: Storage | null, key: string, value: string): boolean {
  if (!storage) return false;
  try {
    storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** True when the key is gone afterwards. */
export function removeItem(storage: Storage | null, key: string): boolean {
  if (!storage) return false;
  try {
    storage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}
