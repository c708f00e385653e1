'use client';

import { useCallback } from 'react';
import { useSearchParams } from 'next/navigation';

const PARAM = 'picture';

/** Whether this tab's own pushState put the viewer's entry on the history stack (then closing goes Back). */
let pushedByUs = false;

function urlWith(id: string | null): string {
  const params = new URLSearchParams(window.location.search);
  if (id) params.set(PARAM, id);
  else params.delete(PARAM);
  const query = params.toString();
  return query ? `?${query}` : window.location.pathname;
}

/**
 * The open picture lives in the URL (`?picture=<id>`): Back closes the viewer,
 * a reload reopens it, and a picture can be linked to. Opening pushes one
 * history entry; moving to the next picture replaces it (Back still closes);
 * closing goes back when we pushed, else drops the parameter in place. Uses
 * the History API, which Next's router follows without a server round trip.
 */
export function usePictureParam() {
  const params = useSearchParams();
  const pictureId = params.get(PARAM);

  const openPicture = useCallback((id: string) => {
    const current = new URLSearchParams(window.location.search).get(PARAM);
    if (current) {
      window.history.replaceState(null, '', urlWith(id));
    } else {
      window.history.pushState(null, '', urlWith(id));
      pushedByUs = true;
    }
  }, []);

  const closePicture = useCallback(() => {
    if (!new URLSearchParams(window.location.search).get(PARAM)) return;
    if (pushedByUs) {
      pushedByUs = false;
      window.history.back();
    } else {
      window.history.replaceState(null, '', urlWith(null));
    }
  }, []);

  return { pictureId, openPicture, closePicture };
}

/** Back/Forward moved away from the viewer's entry: it is no longer ours to go back from. */
if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    if (!new URLSearchParams(window.location.search).get(PARAM)) pushedByUs = false;
  });
}
