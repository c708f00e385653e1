'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import { filterFromSearchParams, filterKey, filterToSearchParams, type GalleryFilter } from '../gallery/filters';

/**
 * The gallery filter lives in the URL: shareable, survives reload, and Back
 * undoes a filter change. Updates use the native History API, which Next's
 * router observes (useSearchParams follows) without a server round trip.
 * Typing in the search box replaces the entry; other changes push one.
 */
export function useGalleryFilter() {
  const params = useSearchParams();
  const urlFilter = useMemo(() => filterFromSearchParams(params), [params]);
  const urlKey = filterKey(urlFilter);
  // Next follows a pushState in a transition, so the URL's filter arrives a little later than the click:
  // the view (a checkbox, the Sort box) follows its own copy at once and takes the URL's whenever it changes.
  const [own, setOwn] = useState({ filter: urlFilter, seenUrlKey: urlKey });
  if (own.seenUrlKey !== urlKey) setOwn({ filter: urlFilter, seenUrlKey: urlKey });
  const filter = own.seenUrlKey === urlKey ? own.filter : urlFilter;

  const setFilter = useCallback((patch: Partial<GalleryFilter>, { replace = false } = {}) => {
    const merged = { ...filterFromSearchParams(new URLSearchParams(window.location.search)), ...patch };
    // "Best match" ranks by the search: with the search cleared it would silently mean newest; say so in the URL and the Sort box.
    if (!merged.q.trim() && merged.sort === 'relevance') merged.sort = 'newest';
    const next = filterToSearchParams(merged);
    setOwn((current) => ({ ...current, filter: filterFromSearchParams(next) }));
    // An open viewer stays open (a search typed just before opening a picture lands after it).
    const picture = new URLSearchParams(window.location.search).get('picture');
    if (picture) next.set('picture', picture);
    const url = next.size ? `?${next}` : window.location.pathname;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }, []);

  // The search box shows what is typed at once; the URL (and the query) follow after a pause.
  const [text, setText] = useState(filter.q);
  const [lastQ, setLastQ] = useState(filter.q);
  if (filter.q !== lastQ) {
    // The URL changed underneath (Back/Forward): show its query in the box.
    setLastQ(filter.q);
    setText(filter.q);
  }
  useEffect(() => {
    if (text.trim() === filter.q.trim()) return;
    const timer = setTimeout(() => {
      setLastQ(text.trim());
      setFilter({ q: text }, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [text, filter.q, setFilter]);

  return { filter, setFilter, searchText: text, setSearchText: setText };
}
