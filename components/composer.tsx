'use client';

import { useLayoutEffect, useRef, type ReactNode } from 'react';

/**
 * The composer's frame: pinned to the top of the viewport on wider screens and
 * to the bottom on phones (where the thumb is), so the prompt stays reachable
 * however far the gallery scrolls. It publishes its height as CSS variables:
 * the page pads its bottom by it on phones, and scroll-padding keeps tiles
 * scrolled into view (focus, Back from the viewer) out from under it.
 */
export function Composer({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const root = document.documentElement;
    const update = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      const atBottom = getComputedStyle(element).position === 'fixed';
      root.style.setProperty('--composer-phone-height', atBottom ? `${height}px` : '0px');
      root.style.scrollPaddingTop = atBottom ? '' : `${height + 8}px`;
      root.style.scrollPaddingBottom = atBottom ? `${height + 8}px` : '';
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    window.addEventListener('resize', update);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', update);
    };
  }, []);

  return (
    <div
      ref={ref}
      data-composer
      className="fixed inset-x-0 bottom-0 z-30 border-t border-neutral-800 bg-neutral-950/95 px-3 pt-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] shadow-[0_-8px_24px_rgb(0_0_0/0.25)] backdrop-blur sm:sticky sm:top-0 sm:bottom-auto sm:-mx-6 sm:border-t-0 sm:border-b sm:px-6 sm:py-3 sm:shadow-none"
    >
      {children}
    </div>
  );
}
