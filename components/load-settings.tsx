'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { readRecipeFile, recipeToSettings, type LoadedSettings } from '@/lib/images/recipe';

export type { LoadedSettings };

export type LoadSettingsProps = {
  /** The settings read from the PNG, as the composer's controls hold them. Nothing is submitted. */
  onLoad: (settings: LoadedSettings) => void;
  /** Why nothing was loaded (not a PNG, no settings in it, damaged, over 20 MB), for the page to show. */
  onError: (message: string) => void;
  /**
   * Also take a PNG dropped anywhere on the page (default true), with a
   * full-window hint while files are dragged. Mount at most one instance with it on.
   */
  dropAnywhere?: boolean;
  className?: string;
};

/**
 * The settings (prompt, ratio, seed) in a PNG file, read in the browser.
 * Hostile until checked: see readRecipeFile and parseRecipe (size cap before
 * reading, signature, bounds-checked chunk walk, no pixel decoded, text chunks
 * capped, zod-validated).
 */
export async function readSettingsFromFile(file: Blob): Promise<{ ok: true; settings: LoadedSettings } | { ok: false; error: string }> {
  const result = await readRecipeFile(file);
  return result.ok ? { ok: true, settings: recipeToSettings(result.recipe) } : result;
}

/**
 * **Load settings from image**: opens a file picker for a PNG and hands its
 * prompt, ratio and seed to `onLoad` (a Darkroom download or an AUTOMATIC1111
 * picture), or a message to `onError`. With `dropAnywhere`, a PNG dropped on
 * the page does the same.
 */
export function LoadSettings({ onLoad, onError, dropAnywhere = true, className = 'btn-secondary' }: LoadSettingsProps) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef({ onLoad, onError });
  useEffect(() => {
    latest.current = { onLoad, onError };
  });

  const load = useCallback(async (file: File) => {
    setBusy(true);
    try {
      const result = await readSettingsFromFile(file);
      if (result.ok) latest.current.onLoad(result.settings);
      else latest.current.onError(result.error);
    } finally {
      setBusy(false);
    }
  }, []);

  const drop = useImageDrop(dropAnywhere ? load : null);

  return (
    <>
      <button
        type="button"
        className={className}
        aria-busy={busy || undefined}
        title="Read the prompt, aspect ratio and seed from a PNG made by Darkroom or AUTOMATIC1111 (or drop one on the page)"
        onClick={() => input.current?.click()}
      >
        <svg aria-hidden viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" className="size-4 shrink-0">
          <rect x="3" y="4" width="14" height="12" rx="2" />
          <path d="m3.5 13.5 4-4 3 3 2-2 4 4" strokeLinejoin="round" />
          <circle cx="13" cy="8" r="1.25" />
        </svg>
        {/* Icon only on phones, where the settings row is narrow; the name stays the same. */}
        <span className="max-sm:sr-only">Load settings from image</span>
      </button>
      <input
        ref={input}
        type="file"
        accept="image/png"
        hidden
        tabIndex={-1}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          // Cleared so choosing the same file again is a change too.
          event.currentTarget.value = '';
          if (file) void load(file);
        }}
      />
      {drop.hint}
    </>
  );
}

function hasFiles(event: DragEvent): boolean {
  return !!event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
}

/**
 * A file dropped anywhere on the page goes to `onFile` (null: off). Listens on
 * the window; only drags that carry files are taken (dropping text into the
 * Prompt box works as before) and only when no element handled the drop
 * first. Returns `dragging` and `hint`, a full-window translucent overlay to
 * render while files are dragged over the page (it takes no pointer events).
 */
export function useImageDrop(onFile: ((file: File) => void) | null): { dragging: boolean; hint: ReactNode } {
  const [dragging, setDragging] = useState(false);
  const latest = useRef(onFile);
  useEffect(() => {
    latest.current = onFile;
  });
  const enabled = onFile !== null;

  useEffect(() => {
    if (!enabled) return;
    // dragenter/dragleave fire for every element crossed: count them to know when the drag left the page.
    let depth = 0;
    const reset = () => {
      depth = 0;
      setDragging(false);
    };
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // Without this the browser would open the file in place of the studio.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      // relatedTarget null: the pointer left the window.
      if (depth === 0 || event.relatedTarget === null) reset();
    };
    const onDrop = (event: DragEvent) => {
      reset();
      if (event.defaultPrevented || !hasFiles(event)) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (file) latest.current?.(file);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', reset);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', reset);
      setDragging(false);
    };
  }, [enabled]);

  const hint =
    enabled && dragging ? (
      <div
        aria-hidden="true"
        data-drop-hint
        className="pointer-events-none fixed inset-0 z-[60] flex items-center justify-center bg-neutral-950/70 p-6 backdrop-blur-sm"
      >
        <div className="rounded-xl border-2 border-dashed border-amber-400 bg-neutral-900/90 px-8 py-6 text-center text-neutral-100 shadow-lg">
          <p className="text-lg font-medium">Drop a PNG to load its settings</p>
          <p className="mt-1 text-sm text-neutral-400">Prompt, aspect ratio and seed go into the composer; nothing is generated.</p>
        </div>
      </div>
    ) : null;

  return { dragging, hint };
}
