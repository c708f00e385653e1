import type { BoardPagePicture } from '@/lib/share/board';

type Props = {
  name: string;
  /** The board's finished pictures not in the Trash, in all (not only this page's). */
  total: number;
  pictures: BoardPagePicture[];
  /** The first (newest) page, when this is a later one. */
  newestHref: string | null;
  /** The next, older page, when there is one. */
  olderHref: string | null;
};

const plural = (n: number) => (n === 1 ? '1 picture' : `${n.toLocaleString('en')} pictures`);

/** Tiles fit a column at every width: four from `lg`, three from `sm`, else two (the page is at most 80 rem wide). */
const SIZES = '(min-width: 1024px) 320px, (min-width: 640px) 33vw, 50vw';

/**
 * A shared board's page (app/s/[token]/page.tsx; data from lib/share/board.ts): the board's name, how
 * many pictures it has, a read-only grid of them — each a thumbnail that opens the original, with its
 * prompt under it only when the person chose so — links to older and newer pages, and "Made with
 * Darkroom". Nothing else of the studio. A server component: no script of its own.
 */
export function SharedBoard({ name, total, pictures, newestHref, olderHref }: Props) {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-7xl flex-col gap-5 px-3 py-6 sm:px-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold break-words">{name}</h1>
        <p className="text-sm text-neutral-400">{total === 0 ? 'No pictures on this board yet.' : `${plural(total)}, newest first`}</p>
      </header>

      {pictures.length > 0 && (
        <ul aria-label="Pictures" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          {pictures.map((picture, index) => (
            <li key={picture.taskId}>
              <figure className="flex flex-col gap-1.5">
                <a
                  href={picture.href}
                  className="block aspect-square overflow-hidden rounded-lg bg-neutral-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-400"
                >
                  {/* eslint-disable-next-line @next/next/no-img-element -- the share route's own URLs, served with its own cache rules */}
                  <img
                    src={picture.src}
                    srcSet={picture.srcSet}
                    sizes={SIZES}
                    width={picture.width}
                    height={picture.height}
                    alt={picture.prompt ?? `Picture ${index + 1}`}
                    loading={index < 8 ? 'eager' : 'lazy'}
                    decoding="async"
                    className="h-full w-full object-contain"
                  />
                </a>
                {picture.prompt !== null && (
                  <figcaption className="text-xs break-words whitespace-pre-wrap text-neutral-300">{picture.prompt}</figcaption>
                )}
              </figure>
            </li>
          ))}
        </ul>
      )}

      {(newestHref || olderHref) && (
        <nav aria-label="Pages" className="flex flex-wrap justify-center gap-3 text-sm">
          {newestHref && (
            <a className="btn-secondary px-3 py-1.5" href={newestHref}>
              Newest pictures
            </a>
          )}
          {olderHref && (
            <a className="btn-secondary px-3 py-1.5" href={olderHref}>
              Older pictures
            </a>
          )}
        </nav>
      )}
      <p className="text-center text-xs text-neutral-400">Made with Darkroom</p>
    </main>
  );
}
