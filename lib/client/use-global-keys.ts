'use client';

import { useEffect, useRef } from 'react';

/** True when the key belongs to what the person is typing in. */
function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element?.closest?.('input, textarea, select, [contenteditable="true"], [role="combobox"], [role="listbox"]');
}

/**
 * Page-wide keys: `/` search, `?` the shortcuts sheet, `N` the Prompt box.
 * Never while typing, never with Ctrl/Alt/⌘ (browser shortcuts stay the
 * browser's), never under a dialog (`enabled`).
 */
export function useGlobalKeys(handlers: { enabled: boolean; onSearch: () => void; onShortcuts: () => void; onPrompt: () => void }) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const h = latest.current;
      if (!h.enabled || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const run = (fn: () => void) => {
        event.preventDefault();
        fn();
      };
      if (event.key === '/') run(h.onSearch);
      else if (event.key === '?') run(h.onShortcuts);
      else if (event.key === 'n' || event.key === 'N') run(h.onPrompt);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
