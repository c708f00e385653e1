'use client';

import { useCallback, useState } from 'react';

/** A polite live region so screen readers hear about pictures finishing. */
export function useAnnouncer() {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clear first so the same text twice is announced twice.
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
  }, []);
  const region = (
    <div role="status" aria-live="polite" className="sr-only">
      {message}
    </div>
  );
  return { announce, region };
}
