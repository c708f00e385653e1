'use client';

import { useSyncExternalStore } from 'react';

/** Whether a media query matches now (false on the server and during hydration, then the truth). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** Tailwind's `sm` breakpoint: below it the composer sits at the bottom and filters fold away. */
export const usePhoneLayout = () => useMediaQuery('(max-width: 639.98px)');
