'use client';

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { searchHistory } from '@/lib/client/prompt-history';

type Props = {
  /** Prompts newest first, e.g. usePromptHistory().history. */
  history: readonly string[];
  /** Called with the chosen prompt. Focus the Prompt box here (synchronously) to send focus there; otherwise it returns to the button. */
  onPick: (prompt: string) => void;
};

/** Distance from the button, and from the edges of the visible viewport, in px. */
const GAP = 6;
const MARGIN = 8;
const MAX_WIDTH = 448;
const MAX_HEIGHT = 400;
const MIN_HEIGHT = 140;
/** Opens below the button unless there is less room than this below and more above. */
const COMFORT_HEIGHT = 320;

/**
 * "Recent prompts": a button opening a searchable list of prompts generated
 * before; choosing one hands it to `onPick`. The list is an ARIA combobox
 * (the search field keeps focus, aria-activedescendant marks the option).
 * The popover sits in the top layer (Popover API), so an overflowing or
 * blurred pinned composer neither clips nor traps it, and it opens upward
 * when there is no room below (the composer is pinned to the bottom on phones).
 */
export function RecentPrompts({ history, onPick }: Props) {
  const baseId = useId();
  const popoverId = `${baseId}-popover`;
  const searchId = `${baseId}-search`;
  const listId = `${baseId}-list`;
  const statusId = `${baseId}-status`;
  const optionId = (index: number) => `${listId}-${index}`;

  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => searchHistory(history, query), [history, query]);
  // The history can shrink under an open list (another tab): an index past the end means none.
  const activeIndex = active < matches.length ? active : -1;

  function show() {
    setQuery('');
    setActive(-1);
    setOpen(true);
  }

  function hide(returnFocus: boolean) {
    if (returnFocus) buttonRef.current?.focus();
    setOpen(false);
  }

  function pick(prompt: string) {
    onPick(prompt);
    // Unless onPick moved focus (to the Prompt box, say), do not lose it with the closing popover.
    const focused = document.activeElement;
    hide(!focused || focused === document.body || !!popoverRef.current?.contains(focused));
  }

  function onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    const last = matches.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (last >= 0) setActive(activeIndex < 0 ? 0 : Math.min(activeIndex + 1, last));
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (last >= 0) setActive(activeIndex < 0 ? last : Math.max(activeIndex - 1, 0));
        break;
      case 'Home':
      case 'End':
        // Shift+Home/End still selects text in the field.
        if (last < 0 || event.shiftKey) return;
        event.preventDefault();
        setActive(event.key === 'Home' ? 0 : last);
        break;
      case 'Enter':
        // Never let Enter submit the surrounding form.
        event.preventDefault();
        if (activeIndex >= 0) pick(matches[activeIndex]);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        hide(true);
        break;
    }
  }

  useLayoutEffect(() => {
    const popover = popoverRef.current;
    const button = buttonRef.current;
    if (!open || !popover || !button) return;
    showInTopLayer(popover);
    const update = () => placePopover(popover, button);
    update();
    searchRef.current?.focus({ preventScroll: true });

    const onScroll = (event: Event) => {
      // The list scrolling inside the popover moves nothing.
      if (event.target instanceof Node && popover.contains(event.target)) return;
      update();
    };
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Node && (popover.contains(target) || button.contains(target))) return;
      setOpen(false);
    };
    const viewport = window.visualViewport;
    window.addEventListener('resize', update);
    window.addEventListener('scroll', onScroll, true);
    viewport?.addEventListener('resize', update);
    viewport?.addEventListener('scroll', update);
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('resize', update);
      window.removeEventListener('scroll', onScroll, true);
      viewport?.removeEventListener('resize', update);
      viewport?.removeEventListener('scroll', update);
      document.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, [open]);

  useEffect(() => {
    if (!open || activeIndex < 0) return;
    document.getElementById(`${listId}-${activeIndex}`)?.scrollIntoView({ block: 'nearest' });
  }, [open, activeIndex, listId]);

  const needle = query.trim();
  const count = matches.length;
  const status =
    history.length === 0
      ? 'No prompts yet — the prompts you generate appear here.'
      : count === 0
        ? `No recent prompt matches “${needle}”.`
        : needle
          ? `${count} ${count === 1 ? 'prompt matches' : 'prompts match'}.`
          : `${count} recent ${count === 1 ? 'prompt' : 'prompts'}.`;

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={popoverId}
        onClick={() => (open ? hide(true) : show())}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            event.preventDefault();
            event.stopPropagation();
            hide(false);
          }
        }}
        className="btn-ghost inline-flex h-9 items-center gap-1.5 text-sm aria-expanded:bg-neutral-800"
      >
        <svg aria-hidden viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" className="size-4 shrink-0">
          <circle cx="10" cy="10" r="7.25" />
          <path d="M10 6v4.25l2.75 1.75" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {/* Icon only on phones, where the settings row is narrow; the name stays "Recent prompts". */}
        <span className="max-sm:sr-only">Recent prompts</span>
      </button>

      {open && (
        <div
          ref={popoverRef}
          id={popoverId}
          popover="manual"
          onBlur={(event) => {
            // Tabbing away closes; a click elsewhere is handled by the pointerdown listener.
            const next = event.relatedTarget;
            if (!(next instanceof Node)) return;
            if (event.currentTarget.contains(next) || buttonRef.current?.contains(next)) return;
            setOpen(false);
          }}
          className="fixed z-50 m-0 flex flex-col gap-2 overflow-hidden rounded-lg border border-neutral-700 bg-neutral-900 p-2 text-neutral-100 shadow-xl shadow-black/30"
        >
          <label htmlFor={searchId} className="sr-only">
            Search recent prompts
          </label>
          <input
            ref={searchRef}
            id={searchId}
            type="text"
            role="combobox"
            aria-expanded={count > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            aria-describedby={statusId}
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(-1);
            }}
            onKeyDown={onSearchKeyDown}
            placeholder="Search recent prompts"
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            enterKeyHint="go"
            // 16px on phones: smaller text makes iOS zoom in on focus.
            className="field shrink-0 py-1.5 text-base sm:text-sm"
          />
          {count > 0 && (
            <ul
              id={listId}
              role="listbox"
              aria-label="Recent prompts"
              // Keep focus in the search field while clicking an option.
              onMouseDown={(event) => event.preventDefault()}
              className="-mx-1 min-h-0 flex-1 overflow-y-auto overscroll-contain px-1"
            >
              {matches.map((prompt, index) => (
                <li
                  key={index}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === activeIndex}
                  onClick={() => pick(prompt)}
                  className="cursor-pointer rounded-md px-2.5 py-2 text-sm text-neutral-200 hover:bg-neutral-800/70 aria-selected:bg-neutral-800 aria-selected:text-neutral-50 aria-selected:ring-2 aria-selected:ring-amber-400 aria-selected:ring-inset"
                >
                  <span className="line-clamp-2 wrap-anywhere">{prompt}</span>
                </li>
              ))}
            </ul>
          )}
          <p id={statusId} role="status" className={count > 0 ? 'sr-only' : 'px-2 py-3 text-sm text-neutral-400'}>
            {status}
          </p>
          {count > 0 && (
            <p aria-hidden className="hidden shrink-0 border-t border-neutral-800 px-2 pt-1.5 text-xs text-neutral-400 sm:block">
              ↑ ↓ to choose · Enter to use · Esc to close
            </p>
          )}
        </div>
      )}
    </>
  );
}

/** Puts the popover in the top layer where the Popover API exists; elsewhere it stays a fixed box. */
function showInTopLayer(popover: HTMLElement) {
  if (typeof popover.showPopover !== 'function') return;
  try {
    if (!popover.matches(':popover-open')) popover.showPopover();
  } catch {
    // Not in the top layer: still positioned (fixed), only an ancestor may clip it.
  }
}

/**
 * Places the popover next to the button within the visible viewport (the
 * visual viewport shrinks under a phone's on-screen keyboard): below it when
 * there is room, else above, anchored by its bottom edge so it grows upward as
 * matches come and go; as wide as fits, up to MAX_WIDTH, aligned with the
 * button's left edge or, if that overflows, its right edge.
 */
function placePopover(popover: HTMLElement, anchor: HTMLElement) {
  const rect = anchor.getBoundingClientRect();
  const root = document.documentElement;
  const viewport = window.visualViewport;
  const viewLeft = viewport?.offsetLeft ?? 0;
  const viewTop = viewport?.offsetTop ?? 0;
  const viewRight = viewLeft + (viewport?.width ?? root.clientWidth);
  const viewBottom = viewTop + (viewport?.height ?? root.clientHeight);

  const width = Math.max(0, Math.min(MAX_WIDTH, viewRight - viewLeft - 2 * MARGIN));
  const preferred = rect.left + width > viewRight - MARGIN ? rect.right - width : rect.left;
  const left = Math.max(viewLeft + MARGIN, Math.min(preferred, viewRight - MARGIN - width));

  const topEdge = Math.max(rect.bottom + GAP, viewTop + MARGIN);
  const bottomEdge = Math.min(rect.top - GAP, viewBottom - MARGIN);
  const below = viewBottom - MARGIN - topEdge;
  const above = bottomEdge - (viewTop + MARGIN);
  const up = below < COMFORT_HEIGHT && above > below;

  const style = popover.style;
  style.left = `${left}px`;
  style.right = 'auto';
  style.width = `${width}px`;
  style.maxHeight = `${Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, up ? above : below))}px`;
  style.top = up ? 'auto' : `${topEdge}px`;
  style.bottom = up ? `${root.clientHeight - bottomEdge}px` : 'auto';
  popover.dataset.side = up ? 'top' : 'bottom';
}
