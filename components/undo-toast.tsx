'use client';

import { useEffect } from 'react';

export type Toast = { id: number; message: string; undo?: () => void };

const TOAST_MS = 8_000;

/** A short-lived notice with an optional Undo, announced politely. */
export function UndoToast({ toast, onDismiss, raised = false }: { toast: Toast | null; onDismiss: () => void; raised?: boolean }) {
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(onDismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  return (
    <div
      role="status"
      aria-live="polite" // Above the phone composer, and above the selection bar while it shows.
      className={`pointer-events-none fixed inset-x-0 z-50 flex justify-center px-4 ${raised ? 'bottom-[calc(var(--composer-phone-height,0px)+5rem)]' : 'bottom-[calc(var(--composer-phone-height,0px)+1rem)]'}`}
    >
      {toast && (
        <div className="pointer-events-auto flex items-center gap-4 rounded-lg border border-neutral-700 bg-neutral-900 px-4 py-3 text-sm shadow-2xl">
          <span>{toast.message}</span>
          {toast.undo && (
            <button
              type="button"
              className="btn-primary px-3 py-1"
              onClick={() => {
                toast.undo?.();
                onDismiss();
              }}
            >
              Undo
            </button>
          )}
          <button type="button" className="btn-ghost" aria-label="Dismiss" onClick={onDismiss}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
