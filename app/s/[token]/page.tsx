import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { SharedBoard } from '@/components/shared-board';
import { familiarName, isRatio } from '@/lib/generation/ratio-groups';
import { sharedBoardPage, type BoardPage } from '@/lib/share/board';
import { shareBaseUrl, shareBoardImageUrl, shareImageUrl, shareUrl } from '@/lib/share/origin';
import { noteShareView, resolveShareLink, type SharedBoard as SharedBoardLink, type SharedPicture } from '@/lib/share/resolve';
import { shareImagePath, sharePath } from '@/lib/share/token';
import { recountShareView } from '@/lib/share/view-limit';

/**
 * A shared picture or board, for anyone holding the link (no session: proxy.ts
 * lets exactly the share paths through, rate-limited per address). A picture
 * link shows the picture (from the share image route, never /api/images,
 * which stays behind the password), the prompt only when the person chose so,
 * its shape and size, and "Made with Darkroom"; a board link shows the board's
 * name and a grid of its pictures, a page at a time (`?after=`; see
 * lib/share/board.ts) — nothing else of the studio. Open Graph tags with
 * absolute URLs make it preview in chats; search engines are asked to stay
 * away. Every link that does not work gets the same plain 404 (./not-found.tsx).
 */
export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ token: string }>;
  /** Optional: only a board's later pages have one (`after`). */
  searchParams?: Promise<Record<string, string | string[] | undefined>>;
};

const UNTITLED = 'A picture made with Darkroom';
/** Far longer than any cursor this server issues; anything longer is not one. */
const MAX_CURSOR_LENGTH = 500;

type Found =
  { kind: 'picture'; shared: SharedPicture; base: string } | { kind: 'board'; shared: SharedBoardLink; page: BoardPage; base: string };

/** Once per request for the metadata and the page together: one count against the limit, one lookup. */
const lookUp = cache(async (token: string, after: string | null): Promise<Found | null> => {
  const requestHeaders = await headers();
  // Over the limit under its real address (it forged X-Forwarded-For past proxy.ts): a page cannot answer 429.
  if (await recountShareView(requestHeaders)) return null;
  const shared = await resolveShareLink(token);
  if (!shared) return null;
  const base = shareBaseUrl(requestHeaders);
  if (shared.kind === 'picture') {
    await noteShareView(shared.linkId);
    return { kind: 'picture', shared, base };
  }
  const page = await sharedBoardPage(token, shared, after);
  if (!page) return null; // a cursor this server never issued
  await noteShareView(shared.linkId);
  return { kind: 'board', shared, page, base };
});

/** The `after` cursor of a board's later page, if the URL has a plausible one. */
async function cursorOf(searchParams: Props['searchParams']): Promise<string | null> {
  const raw = (await searchParams)?.after;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.length <= MAX_CURSOR_LENGTH ? value : null;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
const plural = (n: number) => (n === 1 ? '1 picture' : `${n.toLocaleString('en')} pictures`);

function shapeOf(ratio: string, width: number, height: number): string {
  const size = `${width} × ${height}`;
  return isRatio(ratio) ? `${familiarName(ratio)} · ${size}` : size;
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { token } = await params;
  const found = await lookUp(token, await cursorOf(searchParams));
  // The page answers 404; its metadata says no more than any other 404.
  if (!found) return { robots: { index: false, follow: false } };
  return found.kind === 'picture' ? pictureMetadata(found.shared, found.base, token) : boardMetadata(found, token);
}

function pictureMetadata(shared: SharedPicture, base: string, token: string): Metadata {
  const title = shared.prompt === null ? UNTITLED : clip(shared.prompt, 70);
  const description =
    shared.prompt === null ? `${shapeOf(shared.ratio, shared.width, shared.height)}, made with Darkroom.` : clip(shared.prompt, 200);
  const image = {
    url: shareImageUrl(base, token),
    width: shared.width,
    height: shared.height,
    type: shared.mimeType,
    alt: shared.prompt ?? UNTITLED,
  };
  return shareMetadata({ title, description, url: shareUrl(base, token), image });
}

/** A board previews as its name and its cover (its newest picture); an empty board has no image. */
function boardMetadata({ shared, page, base }: Extract<Found, { kind: 'board' }>, token: string): Metadata {
  const title = clip(shared.name, 70);
  const description = page.total === 0 ? 'A board made with Darkroom, no pictures yet.' : `${plural(page.total)}, made with Darkroom.`;
  const cover = page.cover;
  const image = cover
    ? { url: shareBoardImageUrl(base, token, cover.taskId), width: cover.width, height: cover.height, type: cover.mimeType, alt: title }
    : null;
  return shareMetadata({ title, description, url: shareUrl(base, token), image });
}

/** What every share page tells crawlers and link previews: not to index it, and its Open Graph card. */
function shareMetadata({
  title,
  description,
  url,
  image,
}: {
  title: string;
  description: string;
  url: string;
  image: { url: string; width: number; height: number; type: string; alt: string } | null;
}): Metadata {
  return {
    title,
    description,
    robots: { index: false, follow: false },
    openGraph: { type: 'website', siteName: 'Darkroom', url, title, description, ...(image ? { images: [image] } : {}) },
    twitter: { card: image ? 'summary_large_image' : 'summary', title, description, ...(image ? { images: [image.url] } : {}) },
  };
}

export default async function SharedPage({ params, searchParams }: Props) {
  const { token } = await params;
  const after = await cursorOf(searchParams);
  const found = await lookUp(token, after);
  if (!found) notFound();
  if (found.kind === 'board') {
    const { shared, page } = found;
    return (
      <SharedBoard
        name={shared.name}
        total={page.total}
        pictures={page.pictures}
        newestHref={after ? sharePath(token) : null}
        olderHref={page.nextCursor ? `${sharePath(token)}?after=${encodeURIComponent(page.nextCursor)}` : null}
      />
    );
  }
  const { shared } = found;
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-7xl flex-col items-center justify-center gap-4 px-3 py-6 sm:px-6">
      <figure className="flex w-full flex-col items-center gap-3">
        {/* eslint-disable-next-line @next/next/no-img-element -- the share route's own URL, served with its own cache rules */}
        <img
          src={shareImagePath(token)}
          width={shared.width}
          height={shared.height}
          alt={shared.prompt ?? UNTITLED}
          className="h-auto max-h-[85dvh] w-auto max-w-full rounded-lg object-contain"
        />
        {shared.prompt !== null && (
          <figcaption className="max-w-prose text-center text-sm whitespace-pre-wrap text-neutral-200">{shared.prompt}</figcaption>
        )}
      </figure>
      <p className="text-xs text-neutral-400">{shapeOf(shared.ratio, shared.width, shared.height)}</p>
      <p className="text-xs text-neutral-500">Made with Darkroom</p>
    </main>
  );
}
