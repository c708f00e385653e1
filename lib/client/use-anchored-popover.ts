'use client';

import { useLayoutEffect, useRef, type RefObject } from 'react';
import { placePopup } from '../generation/ratio-groups';

type Options = {
  open: boolean;
  /** The button the popup belongs to: placed against it, and a press on it is not "outside". */
  triggerRef: RefObject<HTMLElement | null>;
  popupRef: RefObject<HTMLElement | null>;
  /** A press outside the trigger, the popup and `alsoInside` closes it. */
  onClose: () => void;
  /** Other elements a press on does not close the popup (e.g. the trigger's visible label). */
  alsoInside?: () => Array<Node | null>;
  /** The popup is at least as wide as its trigger (a listbox under a select-like button). */
  matchTriggerWidth?: boolean;
};

/**
 * A popup anchored to its trigger, for the studio's hand-written widgets (ADR 0015): shown in the top layer
 * (`popover`) when the browser has it, placed by placePopup below the trigger or, without room, above it
 * (`data-side`), kept placed while the page scrolls, the window resizes or the popup's own content changes
 * size, and closed by a press anywhere else. Everything is undone when it closes.
 */
export function useAnchoredPopover({ open, triggerRef, popupRef, onClose, alsoInside, matchTriggerWidth = false }: Options) {
  // The latest callbacks, read when an event comes: changing them does not re-place or re-show the popup.
  const latest = useRef({ onClose, alsoInside });
  useLayoutEffect(() => {
    latest.current = { onClose, alsoInside };
  });

  useLayoutEffect(() => {
    const popup = popupRef.current;
    const trigger = triggerRef.current;
    if (!open || !popup || !trigger) return;
    const canPopover = typeof popup.showPopover === 'function';
    if (canPopover && !popup.matches(':popover-open')) popup.showPopover();

    const place = () => {
      const root = document.documentElement;
      const viewport = { width: root.clientWidth, height: root.clientHeight };
      const anchor = trigger.getBoundingClientRect();
      if (matchTriggerWidth) popup.style.minWidth = `${Math.max(0, Math.min(anchor.width, viewport.width - 16))}px`;
      // scrollHeight is the full content height even while max-height clips it.
      const size = { width: popup.offsetWidth, height: popup.scrollHeight + popup.offsetHeight - popup.clientHeight };
      const where = placePopup({ trigger: anchor, popup: size, viewport });
      popup.style.left = `${where.left}px`;
      popup.style.top = where.top === undefined ? '' : `${where.top}px`;
      popup.style.bottom = where.bottom === undefined ? '' : `${where.bottom}px`;
      popup.style.maxHeight = `${where.maxHeight}px`;
      popup.dataset.side = where.side;
    };
    place();

    let frame = 0;
    const replace = (event?: Event) => {
      if (event?.target instanceof Node && popup.contains(event.target)) return; // the popup scrolling itself
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(place);
    };
    const observer = new ResizeObserver(() => replace());
    observer.observe(popup);
    const pressOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      const inside = [popup, trigger, ...(latest.current.alsoInside?.() ?? [])];
      if (inside.some((node) => node?.contains(target))) return;
      latest.current.onClose();
    };
    window.addEventListener('resize', replace);
    window.addEventListener('scroll', replace, true);
    document.addEventListener('pointerdown', pressOutside, true);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', replace);
      window.removeEventListener('scroll', replace, true);
      document.removeEventListener('pointerdown', pressOutside, true);
      if (canPopover && popup.matches(':popover-open')) popup.hidePopover();
    };
  }, [open, triggerRef, popupRef, matchTriggerWidth]);
}
