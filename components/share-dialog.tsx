'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, useTransition } from 'react';
import { createBoardShareLinkAction, createShareLinkAction } from '@/app/share/actions';
import { invalidateShareLinks } from '@/lib/client/share-links-query';
import { SHARE_EXPIRIES, SHARE_EXPIRY_LABELS, type ShareExpiry, type ShareOptions, type ShareTarget } from '@/lib/share/view';

/** What "Share" was pressed on: `target`, or `taskId` alone for a picture (the viewer's form). */
type Props = { onClose: () => void } & ({ target: ShareTarget; taskId?: never } | { taskId: string; target?: never });

/** The words that differ between a picture and a board. */
function wordsFor(target: ShareTarget) {
  return target.type === 'board'
    ? {
        title: 'Share board',
        intro: `Anyone with the link can see ${target.name} and its pictures — those you add later too — without the password, and nothing else of your studio.`,
        cached: 'the pictures',
        them: 'them',
      }
    : {
        title: 'Share picture',
        intro: 'Anyone with the link can see this picture, without the password — and nothing else of your studio.',
        cached: 'the picture',
        them: 'it',
      };
}

function createLink(target: ShareTarget, options: ShareOptions) {
  return target.type === 'board' ? createBoardShareLinkAction(target.boardId, options) : createShareLinkAction(target.taskId, options);
}

/**
 * "Share picture" / "Share board": makes a read-only link to one picture, or to
 * a board, that works without the password (README "Share links"). The person
 * picks when it expires, whether the page shows the prompt(s) and whether
 * shared caches may keep the picture(s); **Create link** makes it and shows it
 * once (only its hash is stored), in a read-only **Share link** field with
 * **Copy link**. A native modal dialog: Escape closes it, focus returns to
 * where it was.
 */
export function ShareDialog(props: Props) {
  const { onClose } = props;
  const target: ShareTarget = props.target ?? { type: 'picture', taskId: props.taskId };
  const words = wordsFor(target);
  const ref = useRef<HTMLDialogElement>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const ids = useId();
  const [expiry, setExpiry] = useState<ShareExpiry>('7d');
  const [showPrompt, setShowPrompt] = useState(false);
  const [publicCache, setPublicCache] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    if (url) linkRef.current?.select();
  }, [url]);

  const create = () => {
    setError(null);
    startTransition(async () => {
      try {
        const result = await createLink(target, { expiry, showPrompt, publicCache });
        if (!result.ok) {
          setError(result.error);
          return;
        }
        setUrl(result.url);
        void invalidateShareLinks(queryClient);
      } catch {
        setError('Could not create the link. Check the connection and try again.');
      }
    });
  };

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied.');
    } catch {
      // No clipboard permission (or not a secure context): leave it selected for Ctrl+C.
      linkRef.current?.select();
      setCopied('Press Ctrl+C (⌘C) to copy the selected link.');
    }
  };

  const titleId = `${ids}-title`;
  const cacheHelpId = `${ids}-cache-help`;
  return (
    <dialog
      ref={ref}
      // Opened from inside the viewer's (or the Boards) <dialog>: React bubbles close/cancel through the
      // component tree, so without this, closing this dialog would close that one too.
      onClose={(e) => {
        e.stopPropagation();
        onClose();
      }}
      onCancel={(e) => e.stopPropagation()}
      onClick={(e) => {
        if (e.target === ref.current) ref.current?.close();
      }}
      // The viewer acts on keys at the window (F favorites, Delete trashes): keys pressed here stay here.
      // Escape still closes this dialog (the browser's own default action, not a listener).
      onKeyDown={(e) => e.stopPropagation()}
      aria-labelledby={titleId}
      className="m-auto max-h-[90dvh] w-[min(30rem,94vw)] overflow-auto rounded-xl border border-neutral-700 bg-neutral-950 p-0 text-neutral-100 shadow-2xl backdrop:bg-black/70"
    >
      <div className="flex flex-col gap-4 p-5">
        <div className="flex items-start justify-between gap-2">
          <h2 id={titleId} className="text-lg font-semibold">
            {words.title}
          </h2>
          <button type="button" className="btn-ghost" aria-label="Close" onClick={() => ref.current?.close()}>
            ✕
          </button>
        </div>
        <p className="text-sm text-neutral-400">{words.intro}</p>

        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!url && !pending) create();
          }}
        >
          <fieldset className="flex flex-col gap-2" disabled={!!url || pending}>
            <legend className="mb-1 text-sm font-medium">Expires</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {SHARE_EXPIRIES.map((value) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name={`${ids}-expiry`}
                    value={value}
                    checked={expiry === value}
                    onChange={() => setExpiry(value)}
                    className="accent-amber-400"
                  />
                  {SHARE_EXPIRY_LABELS[value]}
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="flex flex-col gap-3" disabled={!!url || pending}>
            <legend className="sr-only">What the link shows</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={showPrompt} onChange={(e) => setShowPrompt(e.target.checked)} className="accent-amber-400" />
              Show the prompt
            </label>
            <div className="flex flex-col gap-1">
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={publicCache}
                  onChange={(e) => setPublicCache(e.target.checked)}
                  aria-describedby={cacheHelpId}
                  className="accent-amber-400"
                />
                Allow public caching
              </label>
              <p id={cacheHelpId} className="pl-6 text-xs text-neutral-400">
                Lets shared caches (a company proxy, a CDN) keep a copy of {words.cached} for up to 5 minutes, so a revoked link may still
                show {words.them} that long there. Off: only the viewer’s own browser keeps {words.them}.
              </p>
            </div>
          </fieldset>

          {error && (
            <p role="alert" className="text-sm text-red-300">
              {error}
            </p>
          )}

          {!url && (
            <div className="flex justify-end">
              <button type="submit" className="btn-primary" disabled={pending}>
                {pending ? 'Creating…' : 'Create link'}
              </button>
            </div>
          )}
        </form>

        {url && (
          <div className="flex flex-col gap-2">
            <label htmlFor={`${ids}-link`} className="text-sm font-medium">
              Share link
            </label>
            <div className="flex gap-2">
              <input
                ref={linkRef}
                id={`${ids}-link`}
                type="text"
                readOnly
                value={url}
                onFocus={(e) => e.currentTarget.select()}
                className="field font-mono text-xs"
              />
              <button type="button" className="btn-primary shrink-0" onClick={copy}>
                Copy link
              </button>
            </div>
            <p className="text-xs text-neutral-400">
              Copy it now: it is shown only this once. You can revoke it any time under Shared links.
            </p>
            <p role="status" aria-live="polite" className="text-xs text-emerald-300">
              {copied}
            </p>
            <div className="flex justify-end">
              <button type="button" className="btn-secondary" onClick={() => ref.current?.close()}>
                Done
              </button>
            </div>
          </div>
        )}
      </div>
    </dialog>
  );
}
