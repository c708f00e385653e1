'use client';

import { useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { useAnchoredPopover } from '@/lib/client/use-anchored-popover';
import type { Ratio } from '@/lib/generation/schema';
import {
  familiarName,
  GROUP_STARTS,
  isRatio,
  optionName,
  ORDERED_RATIOS,
  pageTarget,
  pixelSize,
  RATIO_GROUPS,
  shapeBox,
  typeAhead,
} from '@/lib/generation/ratio-groups';

export type RatioPickerProps = {
  /** Id of the combobox button (focus it to move to the field, e.g. on a validation error). */
  id: string;
  /** Id of the caller's visible label ("Aspect ratio"); it alone names the combobox and the listbox. */
  labelId: string;
  value: string;
  onChange: (ratio: Ratio) => void;
  invalid?: boolean;
  describedBy?: string;
};

const LAST = ORDERED_RATIOS.length - 1;
/** Keystrokes closer together than this extend the type-ahead query. */
const TYPE_AHEAD_MS = 700;

/**
 * The aspect-ratio picker: a select-only combobox (WAI-ARIA APG pattern). Focus stays on the button; the
 * active option is conveyed with aria-activedescendant. The popup is a manual popover (top layer, so no
 * ancestor's overflow, transform or stacking context can clip it), positioned with `position: fixed` below
 * the button when it fits, otherwise above. Without popover support it is an ordinary fixed element.
 */
export function RatioPicker({ id, labelId, value, onChange, invalid, describedBy }: RatioPickerProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const typed = useRef({ text: '', at: 0 });

  const supported = isRatio(value);
  const selected = supported ? ORDERED_RATIOS.indexOf(value) : -1;
  const listboxId = `${id}-listbox`;
  const noteId = `${id}-square-note`;
  const optionId = (index: number) => `${id}-option-${ORDERED_RATIOS[index].replace(':', 'x')}`;

  function openAt(index: number) {
    setActive(index);
    setOpen(true);
  }

  function choose(index: number) {
    setOpen(false);
    const ratio = ORDERED_RATIOS[index];
    if (ratio !== value) onChange(ratio);
  }

  /** Extends (or restarts) the type-ahead query with `key` and returns the matching option, or -1. */
  function typeAheadTo(key: string, from: number): number {
    const now = Date.now();
    const text = now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text + key : key;
    typed.current = { text, at: now };
    return typeAhead(ORDERED_RATIOS, text, from);
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    const { key, altKey, ctrlKey, metaKey } = event;
    const printable = key.length === 1 && key !== ' ' && !altKey && !ctrlKey && !metaKey;

    if (!open) {
      if (key === 'Enter' || key === ' ' || key === 'ArrowDown' || key === 'ArrowUp') openAt(Math.max(selected, 0));
      else if (key === 'Home') openAt(0);
      else if (key === 'End') openAt(LAST);
      else if (printable) {
        const match = typeAheadTo(key, selected);
        if (match < 0) return;
        openAt(match);
      } else return;
      // Enter or Space on a button would click it (and must never reach the surrounding form).
      event.preventDefault();
      return;
    }

    switch (key) {
      case 'ArrowDown':
        if (!altKey) setActive((a) => Math.min(a + 1, LAST));
        break;
      case 'ArrowUp':
        if (altKey) choose(active);
        else setActive((a) => Math.max(a - 1, 0));
        break;
      case 'Home':
        setActive(0);
        break;
      case 'End':
        setActive(LAST);
        break;
      case 'PageDown':
        setActive((a) => pageTarget(GROUP_STARTS, ORDERED_RATIOS.length, a, 'down'));
        break;
      case 'PageUp':
        setActive((a) => pageTarget(GROUP_STARTS, ORDERED_RATIOS.length, a, 'up'));
        break;
      case 'Enter':
      case ' ':
        choose(active);
        break;
      case 'Tab':
        // Select and let focus move on: no preventDefault.
        choose(active);
        return;
      case 'Escape':
        // Only this picker closes; a dialog or gallery listening for Escape further up is left alone.
        event.stopPropagation();
        setOpen(false);
        break;
      default: {
        if (!printable) return;
        const match = typeAheadTo(key, active);
        if (match >= 0) setActive(match);
      }
    }
    event.preventDefault();
  }

  function onBlur(event: FocusEvent<HTMLButtonElement>) {
    if (open && !listRef.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
  }

  // Open: in the top layer, placed against the button and kept there; a press outside (the label aside) closes it.
  useAnchoredPopover({
    open,
    triggerRef: buttonRef,
    popupRef: listRef,
    onClose: () => setOpen(false),
    alsoInside: () => [document.getElementById(labelId)],
    matchTriggerWidth: true,
  });

  // Keep the active option (and, for a group's first option, its heading) scrolled into view.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!open || !list) return;
    const option = list.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (!option) return;
    const heading = GROUP_STARTS.includes(active) ? option.closest('[role="group"]')?.firstElementChild : null;
    const rect = option.getBoundingClientRect();
    const top = Math.min(rect.top, heading?.getBoundingClientRect().top ?? rect.top);
    const box = list.getBoundingClientRect();
    const viewTop = box.top + list.clientTop;
    const viewBottom = viewTop + list.clientHeight;
    if (top < viewTop) list.scrollTop -= viewTop - top;
    else if (rect.bottom > viewBottom) list.scrollTop += rect.bottom - viewBottom;
  }, [open, active]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        role="combobox"
        id={id}
        aria-labelledby={labelId}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={listboxId}
        aria-activedescendant={open ? optionId(active) : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        data-value={value}
        onClick={() => (open ? setOpen(false) : openAt(Math.max(selected, 0)))}
        onKeyDown={onKeyDown}
        // Space clicks a button on key-up; the key-down already handled it.
        onKeyUp={(event) => event.key === ' ' && event.preventDefault()}
        onBlur={onBlur}
        className="field group/ratio flex h-9 cursor-pointer items-center gap-2 py-0 text-left text-sm aria-expanded:border-amber-400"
      >
        {supported ? (
          <>
            <Shape ratio={value} box={20} />
            <span className="min-w-0 flex-1 truncate tabular-nums">
              {familiarName(value)}
              <span className="max-sm:hidden"> · {pixelSize(value)}</span>
            </span>
          </>
        ) : (
          <span className="min-w-0 flex-1 truncate">
            {value ? (
              <>
                {value} <span className="text-red-300">(not supported)</span>
              </>
            ) : (
              <span className="text-neutral-400">Choose a ratio</span>
            )}
          </span>
        )}
        <span aria-hidden className="text-neutral-400 group-aria-expanded/ratio:rotate-180 motion-safe:transition-transform">
          ▾
        </span>
      </button>

      <div
        ref={listRef}
        id={listboxId}
        role="listbox"
        aria-labelledby={labelId}
        popover="manual"
        hidden={!open}
        tabIndex={-1}
        // Keep focus on the combobox while the pointer is in the list (clicks, scrollbar drags).
        onMouseDown={(event) => event.preventDefault()}
        className="fixed inset-auto z-50 m-0 grid w-[calc(100vw-1rem)] content-start gap-3 overflow-y-auto overscroll-contain rounded-lg border border-neutral-700 bg-neutral-900 p-2 text-neutral-100 shadow-xl shadow-black/40 sm:w-[min(24rem,calc(100vw-1rem))] md:w-[min(40rem,calc(100vw-1rem))] md:grid-cols-3 motion-safe:transition-opacity motion-safe:duration-100 motion-safe:starting:opacity-0"
      >
        {RATIO_GROUPS.map((group, g) => {
          const headingId = `${id}-group-${group.shape}`;
          const square = group.shape === 'square';
          return (
            <div
              key={group.shape}
              role="group"
              aria-labelledby={headingId}
              aria-describedby={square ? noteId : undefined}
              className="flex flex-col gap-1"
            >
              <div id={headingId} className="px-2 pt-1 text-xs font-semibold tracking-wide text-neutral-400 uppercase">
                {group.title}
              </div>
              <div className="grid grid-cols-2 gap-1 md:grid-cols-1">
                {group.ratios.map((ratio, r) => {
                  const index = GROUP_STARTS[g] + r;
                  const isSelected = index === selected;
                  return (
                    <div
                      key={ratio}
                      id={optionId(index)}
                      role="option"
                      aria-selected={isSelected}
                      aria-label={optionName(ratio)}
                      aria-describedby={square ? noteId : undefined}
                      data-index={index}
                      onClick={() => {
                        choose(index);
                        buttonRef.current?.focus();
                      }}
                      className={`flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm select-none hover:bg-neutral-800 ${
                        index === active ? 'bg-neutral-800 outline-2 -outline-offset-2 outline-amber-200' : ''
                      }`}
                    >
                      <Shape ratio={ratio} box={28} />
                      <span className="flex min-w-0 flex-col leading-tight">
                        <span className={isSelected ? 'font-semibold text-amber-200' : 'font-medium'}>{familiarName(ratio)}</span>
                        <span className="text-xs text-neutral-400 tabular-nums">{pixelSize(ratio)}</span>
                      </span>
                      {isSelected && (
                        <span aria-hidden className="ml-auto text-amber-200">
                          ✓
                        </span>
                      )}
                    </div>
                  );
                })}
              </div>
              {square && (
                <p id={noteId} className="px-2 pt-1 text-xs leading-snug text-neutral-400">
                  Why three? Same shape, different resolution: 720 × 720 makes the smallest file, quickest to download; 1080 × 1080 the
                  sharpest picture; 1024 × 1024 sits in between.
                </p>
              )}
            </div>
          );
        })}
      </div>
    </>
  );
}

/** An outline box with the ratio's real shape, scaled to fit `box`×`box` pixels. */
function Shape({ ratio, box }: { ratio: Ratio; box: number }) {
  const { width, height } = shapeBox(ratio, box);
  return (
    <span aria-hidden className="flex shrink-0 items-center justify-center text-neutral-400" style={{ width: box, height: box }}>
      <span className="rounded-[2px] border-[1.5px] border-current" style={{ width, height }} />
    </span>
  );
}
