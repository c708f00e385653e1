import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { familiarName, isRatio } from '@/lib/generation/ratio-groups';
import { noteShareView, resolveSharedPicture } from '@/lib/share/links';
import { shareBaseUrl, shareImageUrl, shareUrl } from '@/lib/share/origin';
import { shareImagePath } from '@/lib/share/token';
import { recountShareView } from '@/lib/share/view-limit';

/**
 * A shared picture, for anyone holding the link (no session: proxy.ts lets
 * exactly `/s/<token>` and `/s/<token>/image` through, rate-limited per
 * address). It shows the picture (from the share image route, never
 * /api/images, which stays behind the password), the prompt only when the
 * person chose so, its shape and size, and "Made with Darkroom" — nothing else
 * of the studio. Open Graph tags with absolute URLs make it preview in chats;
 * search engines are asked to stay away. Every link that does not work gets
 * the same plain 404 (./not-found.tsx).
 */
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ token: string }> };

const UNTITLED = 'A picture made with Darkroom';

/** Once per request for the metadata and the page together: one count against the limit, one lookup. */
const lookUp = cache(async (token: string) => {
  const requestHeaders = await headers();
  // Over the limit under its real address (it forged X-Forwarded-For past proxy.ts): a page cannot answer 429.
  if (await recountShareView(requestHeaders)) return null;
  const shared = await resolveSharedPicture(token);
  if (!shared) return null;
  await noteShareView(shared.linkId);
  return { shared, base: shareBaseUrl(requestHeaders) };
});

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

function shapeOf(ratio: string, width: number, height: number): string {
  const size = `${width} × ${height}`;
  return isRatio(ratio) ? `${familiarName(ratio)} · ${size}` : size;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const found = await lookUp(token);
  // The page answers 404; its metadata says no more than any other 404.
  if (!found) return { robots: { index: false, follow: false } };
  const { shared, base } = found;
  const title = shared.prompt === null ? UNTITLED : clip(shared.prompt, 70);
  const description =
    shared.prompt === null ? `${shapeOf(shared.ratio, shared.width, shared.height)}, made with Darkroom.` : clip(shared.prompt, 200);
  const image = shareImageUrl(base, token);
  return {
    title,
    description,
    robots: { index: false, follow: false },
    openGraph: {
      type: 'website',
      siteName: 'Darkroom',
      url: shareUrl(base, token),
      title,
      description,
      images: [{ url: image, width: shared.width, height: shared.height, type: shared.mimeType, alt: shared.prompt ?? UNTITLED }],
    },
    twitter: { card: 'summary_large_image', title, description, images: [image] },
  };
}

export default async function SharedPicturePage({ params }: Props) {
  const { token } = await params;
  const found = await lookUp(token);
  if (!found) notFound();
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
