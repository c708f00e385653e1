/** An in-memory Web Storage for unit tests (the unit project runs in Node, without localStorage). */
export function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  const storage = {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key: string) => items.get(key) ?? null,
    key: (index: number) => [...items.keys()][index] ?? null,
    removeItem: (key: string) => void items.delete(key),
    setItem: (key: string, value: string) => void items.set(key, String(value)),
  };
  return storage as Storage;
}

/** A storage whose every method (or only the writes) throws, like a blocked or full localStorage. */
export function throwingStorage(only: 'all' | 'writes' = 'all', initial: Record<string, string> = {}): Storage {
  const inner = memoryStorage(initial);
  const fail = (name: string) => () => {
    throw new DOMException(`${name} refused`, only === 'all' ? 'SecurityError' : 'QuotaExceededError');
  };
  return {
    get length() {
      return inner.length;
    },
    clear: fail('clear'),
    getItem: only === 'all' ? fail('getItem') : (key: string) => inner.getItem(key),
    key: only === 'all' ? fail('key') : (index: number) => inner.key(index),
    removeItem: fail('removeItem'),
    setItem: fail('setItem'),
  } as Storage;
}
