'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A native modal <dialog> with a title and a Close button: the page behind is
 * inert, Escape closes, and the browser returns focus to what opened it.
 */
export function Modal({
  title,
  onClose,
  children,
  titleInside = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** The content brings its own visible heading: the title only names the dialog. */
  titleInside?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) ref.current?.close();
      }}
      aria-labelledby={titleInside ? undefined : titleId}
      aria-label={titleInside ? title : undefined}
      className="m-auto max-h-[90dvh] w-[min(48rem,96vw)] overflow-auto rounded-xl border border-neutral-700 bg-neutral-950 p-0 text-neutral-100 shadow-2xl backdrop:bg-black/70"
    >
      <div className="flex flex-col gap-4 p-5">
        <div className={`flex items-start justify-between gap-2 ${titleInside ? '-mb-12 self-end' : ''}`}>
          {!titleInside && (
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
          )}
          <button type="button" className="btn-ghost" aria-label="Close" onClick={() => ref.current?.close()}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}
