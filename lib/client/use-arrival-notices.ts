'use client';

import { useCallback, useEffect, useReducer, useSyncExternalStore } from 'react';

const KEY = 'darkroom:notify:v1';

export type NoticeState = 'unsupported' | 'off' | 'on' | 'blocked';

function readState(): NoticeState {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  try {
    return Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on' ? 'on' : 'off';
  } catch {
    return 'off';
  }
}

const subscribeNever = () => () => undefined;

/**
 * Optional browser notifications for pictures that arrive while the tab is
 * hidden. Permission is asked only when the person presses the button (never
 * on load, as browsers and people both dislike); the choice is remembered.
 */
export function useArrivalNotices() {
  // 'off' on the server and while hydrating (no mismatch), then read from the browser on every render;
  // `changed` re-renders after the person's choice (permission and storage have no change events worth following).
  const [, changed] = useReducer((n: number) => n + 1, 0);
  const state = useSyncExternalStore(subscribeNever, readState, () => 'off' as const);

  const toggle = useCallback(async () => {
    if (!('Notification' in window)) return;
    const remember = (value: 'on' | 'off') => {
      try {
        localStorage.setItem(KEY, value);
      } catch {
        // private mode: the choice lasts until the tab closes
      }
    };
    if (state === 'on') remember('off');
    else if ((Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission()) === 'granted') remember('on');
    changed();
  }, [state]);

  /** Shows one notice if they are on and nobody is looking at the tab; clicking it brings the tab back and runs `onClick`. */
  const notify = useCallback(
    (title: string, options: { body: string; tag: string; icon?: string; onClick?: () => void }) => {
      if (state !== 'on' || document.visibilityState === 'visible') return;
      try {
        const notice = new Notification(title, { body: options.body, tag: options.tag, icon: options.icon });
        notice.onclick = () => {
          window.focus();
          options.onClick?.();
          notice.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: then there is none.
      }
    },
    [state],
  );

  return { state, toggle, notify };
}

/** "(2) Darkroom" while pictures are on their way, so a glance at the tab says it. */
export function useRunningTitle(running: number, base = 'Darkroom') {
  useEffect(() => {
    document.title = running > 0 ? `(${running}) ${base}` : base;
  }, [running, base]);
}
