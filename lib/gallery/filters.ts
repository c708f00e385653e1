import { z } from 'zod';
import { RATIOS } from '../generation/schema';
import { TASK_STATUSES } from '../tasks/status';

/**
 * What part of the collection a person is looking at. Lives in the URL
 * (shareable, Back works, survives reload) and is the one schema for the page,
 * the GET route, export and bulk actions.
 */
export const SORTS = ['newest', 'oldest', 'relevance'] as const;
export const VIEWS = ['gallery', 'trash'] as const;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(values).optional().catch(undefined));

export const galleryFilterSchema = z.object({
  q: z.preprocess((v) => (typeof v === 'string' ? v.slice(0, 200) : ''), z.string()).default(''),
  ratio: optionalEnum(RATIOS),
  status: optionalEnum(TASK_STATUSES),
  favorites: z.preprocess((v) => v === true || v === '1' || v === 'true', z.boolean()).default(false),
  sort: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(SORTS).catch('newest').default('newest')),
  view: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(VIEWS).catch('gallery').default('gallery')),
});

export type GalleryFilter = z.infer<typeof galleryFilterSchema>;
export const DEFAULT_FILTER: GalleryFilter = galleryFilterSchema.parse({});

/** Relevance only means something with a query; without one it falls back to newest. */
export function effectiveSort(filter: GalleryFilter): GalleryFilter['sort'] {
  return filter.sort === 'relevance' && !filter.q.trim() ? 'newest' : filter.sort;
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
    status: get('status'),
    favorites: get('favorites'),
    sort: get('sort'),
    view: get('view'),
  });
}

/** Only non-default values go into the URL, so a plain gallery stays at "/". */
export function filterToSearchParams(filter: GalleryFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.ratio) params.set('ratio', filter.ratio);
  if (filter.status) params.set('status', filter.status);
  if (filter.favorites) params.set('favorites', '1');
  if (filter.sort !== 'newest') params.set('sort', filter.sort);
  if (filter.view !== 'gallery') params.set('view', filter.view);
  return params;
}

/** A stable string for a filter: its URL form (cache keys, comparisons). */
export function filterKey(filter: GalleryFilter): string {
  return filterToSearchParams(filter).toString();
}
