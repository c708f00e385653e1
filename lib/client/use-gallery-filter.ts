'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import { filterFromSearchParams, filterToSearchParams, type GalleryFilter } from '../gallery/filters';

/**
 * The gallery filter lives in the URL: shareable, survives reload, and Back
 * undoes a filter change. Updates use the native History API, which Next's
 * router observes (useSearchParams follows) without a server round trip.
 * Typing in the search box replaces the entry; other changes push one.
 */
export function useGalleryFilter() {
  const params = useSearchParams();
  const filter = useMemo(() => filterFromSearchParams(params), [params]);

  const setFilter = useCallback((patch: Partial<GalleryFilter>, { replace = false } = {}) => {
    const next = filterToSearchParams({ ...filterFromSearchParams(new URLSearchParams(window.location.search)), ...patch });
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
