'use client';

import { useCallback, useRef, useState } from 'react';

/**
 * Multi-select over the gallery's current order: click toggles one,
 * shift-click selects the range from the last clicked tile.
 */
export function useSelection(order: string[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);

  const toggle = useCallback(
    (id: string, range: boolean) => {
      // Read the anchor now: React may run the updater later, after the anchor has moved to `id`.
      const from = anchor.current ? order.indexOf(anchor.current) : -1;
      const to = order.indexOf(id);
      setSelected((current) => {
        const next = new Set(current);
        if (range && from >= 0 && to >= 0) {
          const [a, b] = from < to ? [from, to] : [to, from];
          for (const other of order.slice(a, b + 1)) next.add(other);
        } else if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
      anchor.current = id;
    },
    [order],
  );

  const clear = useCallback(() => {
    setSelected(new Set());
    anchor.current = null;
  }, []);

  return { selected, toggle, clear };
}
