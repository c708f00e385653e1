import { QueryClient, QueryClientProvider, type InfiniteData } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MonthScrubber, totalText } from '@/components/month-scrubber';
import { gallerySummaryKey, invalidateGallerySummary, fetchGallerySummary } from '@/lib/client/summary-query';
import { tasksKey, upsertTask, removeTaskFromCache } from '@/lib/client/tasks-query';
import { galleryFilterSchema, type GalleryFilter } from '@/lib/gallery/filters';
import type { GallerySummary } from '@/lib/gallery/summary-view';
import type { TaskPage, TaskView } from '@/lib/tasks/view';

/** The month scrubber's data (GET /api/tasks/summary through React Query) and what it renders. */
const f = (patch: Partial<GalleryFilter> = {}) => galleryFilterSchema.parse(patch);
const SUMMARY: GallerySummary = {
  total: 12_345,
  months: [
    { month: '2026-10', count: 1_204 },
    { month: '2026-09', count: 11_140 },
    { month: '2025-12', count: 1 },
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the summary query', () => {
  it('lives outside the ["tasks"] prefix that page caches are walked under, and ignores from and sort', async () => {
    const key = gallerySummaryKey(f({ ratio: '1920:1080', from: '2026-10', sort: 'oldest' }));
    expect(key[0]).not.toBe('tasks');
    expect(key).toEqual(gallerySummaryKey(f({ ratio: '1920:1080' })));
    expect(key).not.toEqual(gallerySummaryKey(f({ ratio: '1920:1080', view: 'trash' })));

    // A summary next to gallery pages: pushed tasks and removals leave it alone (and do not trip over it).
    const client = new QueryClient();
    client.setQueryData(key, SUMMARY);
    client.setQueryData<InfiniteData<TaskPage, string | null>>(tasksKey(f()), {
      pages: [{ tasks: [], nextCursor: null }],
      pageParams: [null],
    });
    await upsertTask(client, { id: 'x', createdAt: '2026-12-01T00:00:00.000Z', deletedAt: null, ratio: '1024:1024' } as TaskView);
    removeTaskFromCache(client, 'x');
    expect(client.getQueryData(key)).toEqual(SUMMARY);
  });

  it('asks GET /api/tasks/summary with the counted filter only and parses the answer', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => Response.json(SUMMARY));
    vi.stubGlobal('fetch', fetchMock);
    expect(await fetchGallerySummary(f({ q: 'fox', favorites: true, from: '2026-10', sort: 'relevance' }))).toEqual(SUMMARY);
    const url = new URL(String(fetchMock.mock.calls[0][0]), 'http://darkroom.test');
    expect(url.pathname).toBe('/api/tasks/summary');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'fox', favorites: '1' });
  });

  it('is invalidated by invalidateGallerySummary, once for a burst of calls', async () => {
    const client = new QueryClient();
    const key = gallerySummaryKey(f());
    client.setQueryData(key, SUMMARY);
    const spy = vi.spyOn(client, 'invalidateQueries');
    await Promise.all([invalidateGallerySummary(client), invalidateGallerySummary(client), invalidateGallerySummary(client)]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(client.getQueryState(key)?.isInvalidated).toBe(true);
    await invalidateGallerySummary(client); // a later change recounts again
    expect(spy).toHaveBeenCalledTimes(2);
  });
});

describe('MonthScrubber', () => {
  function render(filter: GalleryFilter, summary: GallerySummary | undefined) {
    const client = new QueryClient();
    if (summary) client.setQueryData(gallerySummaryKey(filter), summary);
    return renderToStaticMarkup(
      createElement(QueryClientProvider, { client }, createElement(MonthScrubber, { filter, onJump: () => undefined })),
    );
  }

  it('says the total in words', () => {
    const en = new Intl.NumberFormat('en-US');
    expect(totalText(12_345, false, en)).toBe('12,345 pictures');
    expect(totalText(1, false, en)).toBe('1 picture');
    expect(totalText(0, false, en)).toBe('0 pictures');
    expect(totalText(12, true, en)).toBe('12 in the trash');
  });

  it('announces the total politely and offers "Newest", then every month with its count, newest first', () => {
    const html = render(f(), SUMMARY);
    const n = new Intl.NumberFormat();
    const month = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(html).toContain(`<p aria-live="polite"`);
    expect(html).toContain(`>${n.format(12_345)} pictures</p>`);
    expect(html).toMatch(/<label[^>]*>Jump to date<select/);
    const options = [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual([
      ['', 'Newest'],
      ['2026-10', `${month.format(Date.UTC(2026, 9, 1))} (${n.format(1_204)})`],
      ['2026-09', `${month.format(Date.UTC(2026, 8, 1))} (${n.format(11_140)})`],
      ['2025-12', `${month.format(Date.UTC(2025, 11, 1))} (1)`],
    ]);
  });

  it('shows the month in the URL as chosen, even one with nothing in it, and counts the Trash as such', () => {
    const html = render(f({ from: '2026-03', view: 'trash' }), { total: 12, months: [{ month: '2026-10', count: 12 }] });
    expect(html).toContain('>12 in the trash</p>');
    expect(html).toMatch(/<option value="2026-03" selected="">[^<]+ \(0\)<\/option>/);
  });

  it('renders an empty live region until the counts arrive', () => {
    const html = render(f(), undefined);
    expect(html).toMatch(/<p aria-live="polite"[^>]*><\/p>/);
    expect(html).toContain('<option value="" selected="">Newest</option>');
  });
});
