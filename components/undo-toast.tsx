'use client';

import { useEffect } from 'react';

export type Toast = { id: number; message: string; undo?: () => void };

const TOAST_MS = 8_000;

/** A short-lived notice with an optional Undo, announced politely. */
export function UndoToast({ toast, onDismiss }: { toast: Toast | null; onDismiss: () => void }) {
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(onDismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
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
