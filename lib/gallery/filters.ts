import { z } from 'zod';
import { MODEL_IDS } from '../freepik/models/types';
import { RATIOS } from '../generation/schema';
import { TASK_STATUSES } from '../tasks/status';

/**
 * What part of the collection a person is looking at. Lives in the URL
 * (shareable, Back works, survives reload) and is the one schema for the page,
 * the GET route, export and bulk actions — a board's export is `/api/export?board=<id>`.
 */
export const SORTS = ['newest', 'oldest', 'relevance'] as const;
export const VIEWS = ['gallery', 'trash'] as const;

/**
 * A calendar month, `YYYY-MM` (years 1000–2999, so every bound below is an ordinary timestamp on
 * both databases). Months are UTC months: "October 2026" is [2026-10-01T00:00Z, 2026-11-01T00:00Z),
 * whatever the person's or the server's time zone. Kept simple on purpose: a picture made on
 * 31 October at 23:30 in New York (UTC-4) is a November picture.
 */
export const MONTH_PATTERN = /^[12][0-9]{3}-(0[1-9]|1[0-2])$/;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(values).optional().catch(undefined));

export const galleryFilterSchema = z.object({
  q: z.preprocess((v) => (typeof v === 'string' ? v.slice(0, 200) : ''), z.string()).default(''),
  ratio: optionalEnum(RATIOS),
  /** One text-to-image model's pictures (lib/freepik/models). */
  model: optionalEnum(MODEL_IDS),
  status: optionalEnum(TASK_STATUSES),
  favorites: z.preprocess((v) => v === true || v === '1' || v === 'true', z.boolean()).default(false),
  sort: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(SORTS).catch('newest').default('newest')),
  view: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(VIEWS).catch('gallery').default('gallery')),
  /**
   * "Jump to date": the gallery starts at this month (UTC, `YYYY-MM`). Newest first (and Best match):
   * tasks created before the start of the following month — the newest of that month first, then
   * older ones. Oldest first: tasks created from the start of that month on. A position rather than a
   * filter: the summary (total, month counts) and export ignore it. Anything else is ignored, like
   * other bad values.
   */
  from: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().regex(MONTH_PATTERN).optional().catch(undefined)),
  /**
   * A board's id (lib/boards): only the pictures on that board, on top of the rest of the filter (the
   * board view hides pictures in the Trash as the gallery does). Not a uuid → ignored, like other bad
   * values; a uuid no board has lists nothing.
   */
  board: z.preprocess((v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined), z.uuid().optional().catch(undefined)),
});

export type GalleryFilter = z.infer<typeof galleryFilterSchema>;
export const DEFAULT_FILTER: GalleryFilter = galleryFilterSchema.parse({});

/** Relevance only means something with a query; without one it falls back to newest. */
export function effectiveSort(filter: GalleryFilter): GalleryFilter['sort'] {
  return filter.sort === 'relevance' && !filter.q.trim() ? 'newest' : filter.sort;
}

/** The first instant (UTC) of a `YYYY-MM` month; `offset` months later with `offset`. */
export function monthStart(month: string, offset = 0): Date {
  const [year, mon] = month.split('-').map(Number);
  return new Date(Date.UTC(year, mon - 1 + offset, 1));
}

/** The `YYYY-MM` (UTC) month of an instant. */
export function monthOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 7);
}

/**
 * Where `from` cuts the time line, for the SQL (lib/gallery/query.ts) and the client cache
 * (lib/client/tasks-query.ts) alike: `createdAt < at` (newest first, Best match) or
 * `createdAt >= at` (oldest first). Null without `from`.
 */
export function fromBound(filter: GalleryFilter): { op: '<' | '>='; at: Date } | null {
  if (!filter.from) return null;
  return effectiveSort(filter) === 'oldest' ? { op: '>=', at: monthStart(filter.from) } : { op: '<', at: monthStart(filter.from, 1) };
}

/** Whether an instant is on the listed side of the filter's `from` bound (always, without `from`). */
export function withinFrom(filter: GalleryFilter, createdAt: Date | string): boolean {
  const bound = fromBound(filter);
  if (!bound) return true;
  const t = new Date(createdAt).getTime();
  return bound.op === '<' ? t < bound.at.getTime() : t >= bound.at.getTime();
}

export function filterFromSearchParams(params: URLSearchParams | Record<string, string | string[] | undefined>): GalleryFilter {
  const get = (key: string) => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return galleryFilterSchema.parse({
    q: get('q'),
    ratio: get('ratio'),
    model: get('model'),
    status: get('status'),
    favorites: get('favorites'),
    sort: get('sort'),
    view: get('view'),
    from: get('from'),
    board: get('board'),
  });
}

/** Only non-default values go into the URL, so a plain gallery stays at "/". */
export function filterToSearchParams(filter: GalleryFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.ratio) params.set('ratio', filter.ratio);
  if (filter.model) params.set('model', filter.model);
  if (filter.status) params.set('status', filter.status);
  if (filter.favorites) params.set('favorites', '1');
  if (filter.sort !== 'newest') params.set('sort', filter.sort);
  if (filter.view !== 'gallery') params.set('view', filter.view);
  if (filter.board) params.set('board', filter.board);
  if (filter.from) params.set('from', filter.from);
  return params;
}

/** A stable string for a filter: its URL form (cache keys, comparisons). */
export function filterKey(filter: GalleryFilter): string {
  return filterToSearchParams(filter).toString();
}
