'use client';

import { useEffect, useState } from 'react';

/** Faster than this (px per ms, ≈ 2.5 screens a second) a person is travelling, not looking. */
const FAST_PX_PER_MS = 2.5;
/** Scrolling counts as slowed once no fast movement happened for this long. */
const SETTLE_MS = 150;

/**
 * True while the window scrolls fast (a fling, a scrollbar drag, End). Tiles
 * that appear meanwhile hold back their thumbnails, so racing through 20,000
 * pictures fetches only the ones where scrolling stops.
 */
export function useFastScroll(): boolean {
  const [fast, setFast] = useState(false);
  useEffect(() => {
    let lastY = window.scrollY;
    let lastT = performance.now();
    let settle: ReturnType<typeof setTimeout> | undefined;
    let current = false;
    const set = (value: boolean) => {
      if (value !== current) {
        current = value;
        setFast(value);
      }
    };
    const onScroll = () => {
      const now = performance.now();
      const speed = Math.abs(window.scrollY - lastY) / Math.max(now - lastT, 1);
      lastY = window.scrollY;
      lastT = now;
      if (speed > FAST_PX_PER_MS) {
        set(true);
        clearTimeout(settle);
        settle = setTimeout(() => set(false), SETTLE_MS);
      }
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      window.removeEventListener('scroll', onScroll);
      clearTimeout(settle);
    };
  }, []);
  return fast;
}
