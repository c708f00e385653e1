'use client';

import { useEffect, useRef, useState } from 'react';

/** Faster than this (px per ms, ≈ 2.5 screens a second) a person is travelling, not looking. */
const FAST_PX_PER_MS = 2.5;
/** Scrolling counts as slowed once no fast movement happened for this long. */
const SETTLE_MS = 150;
/** At most this long may a fling count as still going while the next page loads at the end of the list. */
const MAX_WAIT_MS = 3_000;

/**
 * True while the window scrolls fast (a fling, a scrollbar drag, End). Tiles
 * that appear meanwhile hold back their thumbnails, so racing through 20,000
 * pictures fetches only the ones where scrolling stops.
 */
export function useFastScroll(nextPageLoading = false): boolean {
  const [fast, setFast] = useState(false);
  // A fling that hits the end of what is loaded goes on once the next page arrives: the tiles at the end are
  // passed, not looked at, so they keep holding their thumbnails while that page loads.
  const waiting = useRef(nextPageLoading);
  useEffect(() => {
    waiting.current = nextPageLoading;
  }, [nextPageLoading]);
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
        const fastAt = now;
        const slowDown = () => {
          if (waiting.current && performance.now() - fastAt < MAX_WAIT_MS) settle = setTimeout(slowDown, SETTLE_MS);
          else set(false);
        };
        settle = setTimeout(slowDown, SETTLE_MS);
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
