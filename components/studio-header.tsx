'use client';

import type { ReactNode } from 'react';
import type { NoticeState } from '@/lib/client/use-arrival-notices';

/** The title row: what is running, arrival notices, the shortcuts sheet, and the account (Sign out). */
export function StudioHeader(props: {
  running: number;
  notices: NoticeState;
  onToggleNotices: () => void;
  onShortcuts: () => void;
  onBoards: () => void;
  onSharedLinks: () => void;
  account: ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-center gap-x-3 gap-y-1 pt-3 sm:pt-4">
      <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">Darkroom</h1>
      <p className="hidden text-sm text-neutral-400 md:block">Text to image with RunWay and Freepik’s other models</p>
      <p className="text-sm text-amber-200 tabular-nums" aria-live="polite">
        {props.running > 0 ? `${props.running} running` : ''}
      </p>
      <div className="ml-auto flex flex-wrap items-center justify-end gap-x-1">
        {props.notices !== 'unsupported' && (
          <button
            type="button"
            className="btn-ghost text-sm"
            aria-pressed={props.notices === 'on'}
            aria-label="Notify me when a picture is ready"
            title={
              props.notices === 'blocked'
                ? 'The browser blocks notifications for this site: allow them in its site settings.'
                : 'A browser notification when a picture is ready while this tab is hidden'
            }
            disabled={props.notices === 'blocked'}
            onClick={props.onToggleNotices}
          >
            <BellIcon on={props.notices === 'on'} />
            <span className="ml-1 hidden sm:inline">Notify me</span>
          </button>
        )}
        <button type="button" className="btn-ghost text-sm" onClick={props.onBoards}>
          Boards
        </button>
        <button type="button" className="btn-ghost text-sm" onClick={props.onSharedLinks}>
          Shared links
        </button>
        <a href="/settings" className="btn-ghost text-sm">
          Settings
        </a>
        <button
          type="button"
          className="btn-ghost text-sm"
          aria-label="Keyboard shortcuts"
          aria-keyshortcuts="?"
          onClick={props.onShortcuts}
        >
          <span aria-hidden className="font-mono">
            ?
          </span>
          <span className="ml-1 hidden sm:inline">Shortcuts</span>
        </button>
        {props.account}
      </div>
    </header>
  );
}

/** Drawn, not an emoji: many Linux browsers have no emoji font. */
function BellIcon({ on }: { on: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" className="inline size-4 align-[-3px]">
      <path d="M5 8.5a5 5 0 0 1 10 0c0 4 1.5 5.5 1.5 5.5h-13S5 12.5 5 8.5Z" strokeLinejoin="round" />
      <path d="M8.25 16.5a1.9 1.9 0 0 0 3.5 0" strokeLinecap="round" />
      {!on && <path d="M3 3l14 14" strokeLinecap="round" />}
    </svg>
  );
}
