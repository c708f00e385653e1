'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, useTransition } from 'react';
import { revokeShareLinkAction } from '@/app/share/actions';
import { invalidateShareLinks, useShareLinks } from '@/lib/client/share-links-query';
import type { ShareLinkView } from '@/lib/share/view';

/**
 * **Shared links**: every link not revoked, newest first — the picture, or the
 * board ("Board · <name>", its cover and count), when it was made, when it
 * expires, whether it shows the prompt, when it was last opened — each with
 * **Revoke** (confirmed inline). A link itself cannot be shown again (only its
 * hash is stored). Fetched from GET /api/share-links. `taskId` narrows the
 * list to one picture's links.
 */
export function SharedLinks({ taskId }: { taskId?: string }) {
  const titleId = useId();
  const links = useShareLinks(taskId);
  return (
    <section aria-labelledby={titleId} className="flex flex-col gap-3">
      <h2 id={titleId} className="text-lg font-semibold">
        Shared links
      </h2>
      {links.isPending ? (
        <p className="text-sm text-neutral-400">Loading…</p>
      ) : links.isError ? (
        <p role="alert" className="text-sm text-red-300">
          {links.error.message}
        </p>
      ) : links.data.links.length === 0 ? (
        <p className="text-sm text-neutral-400">
          No shared links. Open a picture, or a board under <strong className="font-medium text-neutral-200">Boards</strong>, and choose{' '}
          <strong className="font-medium text-neutral-200">Share</strong> to make one.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-neutral-400">
              <tr>
                <th scope="col" className="pr-3 pb-2 font-medium">
                  Shared
                </th>
                <th scope="col" className="pr-3 pb-2 font-medium">
                  Created
                </th>
                <th scope="col" className="pr-3 pb-2 font-medium">
                  Expires
                </th>
                <th scope="col" className="pr-3 pb-2 font-medium">
                  Prompt shown
                </th>
                <th scope="col" className="pr-3 pb-2 font-medium">
                  Last viewed
                </th>
                <th scope="col" className="pb-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.data.links.map((link) => (
                <SharedLinkRow key={link.id} link={link} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const dateTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function SharedLinkRow({ link }: { link: ShareLinkView }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const revoke = () => {
    setError(null);
    startTransition(async () => {
      try {
        const result = await revokeShareLinkAction(link.id);
        if (!result.ok) {
          setError(result.error);
          return;
        }
        await invalidateShareLinks(queryClient);
      } catch {
        setError('Could not revoke the link. Check the connection and try again.');
      }
    });
  };

  return (
    <tr className="border-t border-neutral-800 align-middle">
      <td className="py-2 pr-3">
        <SharedThing link={link} />
      </td>
      <td className="py-2 pr-3 whitespace-nowrap">
        <time dateTime={link.createdAt}>{dateTime(link.createdAt)}</time>
      </td>
      <td className="py-2 pr-3 whitespace-nowrap">
        {link.expiresAt ? <time dateTime={link.expiresAt}>{dateTime(link.expiresAt)}</time> : 'Never'}
        {link.state === 'expired' && <span className="status-pill ml-2 bg-neutral-800 text-neutral-300">Expired</span>}
        {link.state === 'paused' && (
          <span
            className="status-pill ml-2 bg-amber-400/15 text-amber-200"
            title="Restore the picture from the Trash and the link works again."
          >
            Picture in the Trash
          </span>
        )}
      </td>
      <td className="py-2 pr-3">{link.showPrompt ? 'Yes' : 'No'}</td>
      <td className="py-2 pr-3 whitespace-nowrap">
        {link.lastViewedAt ? <time dateTime={link.lastViewedAt}>{dateTime(link.lastViewedAt)}</time> : 'Not yet'}
      </td>
      <td className="py-2 text-right whitespace-nowrap">
        {confirming ? (
          <span className="inline-flex items-center gap-2">
            <span className="text-xs text-neutral-300">Revoke this link?</span>
            <button type="button" className="btn-danger px-3 py-1" onClick={revoke} disabled={pending} autoFocus>
              {pending ? 'Revoking…' : 'Revoke link'}
            </button>
            <button type="button" className="btn-ghost" onClick={() => setConfirming(false)} disabled={pending}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="btn-danger-outline px-3 py-1" onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs whitespace-normal text-red-300">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

/** What a link shows: the picture's thumbnail, or the board's cover with "Board · <name>" and its count. */
function SharedThing({ link }: { link: ShareLinkView }) {
  if (link.targetType === 'picture') {
    const { picture } = link;
    return (
      // eslint-disable-next-line @next/next/no-img-element -- our own thumbnail URL
      <img
        src={picture.thumbnailUrl}
        alt={picture.prompt}
        width={picture.width}
        height={picture.height}
        loading="lazy"
        className="h-12 w-auto max-w-24 rounded object-cover"
      />
    );
  }
  const { board } = link;
  return (
    <span className="flex items-center gap-2">
      {board.cover ? (
        // eslint-disable-next-line @next/next/no-img-element -- our own thumbnail URL
        <img
          src={board.cover.url}
          srcSet={board.cover.srcSet}
          sizes="48px"
          alt=""
          width={board.cover.width}
          height={board.cover.height}
          loading="lazy"
          className="size-12 shrink-0 rounded object-cover"
        />
      ) : (
        <span aria-hidden className="size-12 shrink-0 rounded border border-dashed border-neutral-700 bg-neutral-900" />
      )}
      <span className="flex min-w-0 flex-col">
        <span className="max-w-48 truncate font-medium">Board · {board.name}</span>
        <span className="text-xs text-neutral-400 tabular-nums">
          {board.count === 1 ? '1 picture' : `${board.count.toLocaleString('en')} pictures`}
        </span>
      </span>
    </span>
  );
}
