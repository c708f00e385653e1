'use client';

import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import {
  formatPixelSize,
  formatScale,
  initialZoomState,
  isActualSize,
  scaleLimits,
  viewTransform,
  zoomReducer,
  type Point,
} from '@/lib/client/zoom-math';

type Props = {
  /** The original picture, served by us. */
  src: string;
  /** Its pixel size. */
  width: number;
  height: number;
  alt: string;
  /** Called after the view closed (Escape or Close full screen); returning focus is the caller's job. */
  onClose: () => void;
};

/** Arrow keys pan this many CSS pixels, or PAN_STEP_LARGE with Shift. */
const PAN_STEP = 40;
const PAN_STEP_LARGE = 200;
/** A pointer that moved less than this is a tap/click, not a drag. */
const TAP_SLOP = 6;
/** Two taps within this time and distance are a double tap. */
const DOUBLE_TAP_MS = 350;
const DOUBLE_TAP_DISTANCE = 30;

type Gesture = {
  /** Where each pointer on the stage is now (stage coordinates). */
  pointers: Map<number, Point>;
  /** Still a tap: one pointer that has not moved beyond TAP_SLOP. */
  tap: { id: number; start: Point } | null;
  lastTap: { at: number; point: Point } | null;
  lastPointerType: string;
  /** The last gesture moved: its trailing dblclick is not a double-click. */
  dragged: boolean;
};

/**
 * The picture full screen, with Fit / 100 % and panning (drag, arrow keys,
 * wheel), in its own native modal <dialog>. It may be opened from inside the
 * picture dialog: it goes on top of the top layer, Escape closes only this one.
 */
export function ZoomView({ src, width, height, alt, onClose }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const imgRef = useRef<HTMLImageElement>(null);
  const [state, dispatch] = useReducer(zoomReducer, { width, height }, initialZoomState);
  const [load, setLoad] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const [dragging, setDragging] = useState(false);
  const gesture = useRef<Gesture>({ pointers: new Map(), tap: null, lastTap: null, lastPointerType: 'mouse', dragged: false });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    // Start on the picture so the arrow keys pan at once.
    stageRef.current?.focus();
  }, []);

  // The stage's size: measured before the first paint, then on every resize or rotation.
  useLayoutEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const measure = () => dispatch({ type: 'stage', stage: { width: stage.clientWidth, height: stage.clientHeight } });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(stage);
    return () => observer.disconnect();
  }, []);

  // A cached picture can be complete before React sees its load event.
  useEffect(() => {
    const img = imgRef.current;
    if (img?.complete && img.naturalWidth > 0) {
      setLoad('loaded');
      dispatch({ type: 'image', image: { width: img.naturalWidth, height: img.naturalHeight } });
    }
  }, []);

  // Keys: native listener on the dialog so they never reach the picture dialog's window listener
  // (its arrows move to another picture) — React's own listener sits above, at the document.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return; // Browser zoom and tab shortcuts stay the browser's.
      const step = e.shiftKey ? PAN_STEP_LARGE : PAN_STEP;
      // Arrows scroll like a page: → shows more of the right side, so the picture moves left.
      const pans: Record<string, [number, number]> = {
        ArrowLeft: [step, 0],
        ArrowRight: [-step, 0],
        ArrowUp: [0, step],
        ArrowDown: [0, -step],
      };
      if (e.key in pans) {
        const [dx, dy] = pans[e.key];
        dispatch({ type: 'pan', dx, dy });
      } else if (e.key === '0' || e.key === 'f' || e.key === 'F') {
        dispatch({ type: 'fit' });
      } else if (e.key === '1') {
        dispatch({ type: 'actual' });
      } else if (e.key === '+' || e.key === '=') {
        dispatch({ type: 'step', direction: 1 });
      } else if (e.key === '-' || e.key === '_') {
        dispatch({ type: 'step', direction: -1 });
      } else {
        return;
      }
      e.preventDefault();
      e.stopPropagation();
    };
    dialog.addEventListener('keydown', onKey);
    return () => dialog.removeEventListener('keydown', onKey);
  }, []);

  // Wheel: Ctrl/⌘ (and trackpad pinch, which browsers report as Ctrl+wheel) zooms around the
  // pointer, a plain wheel pans. Native and non-passive, so the page behind never scrolls.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? stage.clientHeight : 1;
      if (e.ctrlKey || e.metaKey) {
        const factor = Math.min(2, Math.max(0.5, Math.exp(-e.deltaY * unit * 0.004)));
        dispatch({ type: 'zoomBy', factor, at: stagePoint(stage, e) });
      } else {
        dispatch({ type: 'pan', dx: -e.deltaX * unit, dy: -e.deltaY * unit });
      }
    };
    stage.addEventListener('wheel', onWheel, { passive: false });
    return () => stage.removeEventListener('wheel', onWheel);
  }, []);

  function onPointerDown(e: React.PointerEvent<HTMLDivElement>) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const g = gesture.current;
    const point = stagePoint(e.currentTarget, e);
    e.currentTarget.setPointerCapture(e.pointerId);
    g.pointers.set(e.pointerId, point);
    g.lastPointerType = e.pointerType;
    g.tap = g.pointers.size === 1 ? { id: e.pointerId, start: point } : null;
    g.dragged = false;
    setDragging(true);
  }

  function onPointerMove(e: React.PointerEvent<HTMLDivElement>) {
    const g = gesture.current;
    const previous = g.pointers.get(e.pointerId);
    if (!previous) return;
    const point = stagePoint(e.currentTarget, e);
    if (g.tap && Math.hypot(point.x - g.tap.start.x, point.y - g.tap.start.y) > TAP_SLOP) {
      g.tap = null;
      g.dragged = true;
    }
    if (g.pointers.size === 1) {
      g.pointers.set(e.pointerId, point);
      dispatch({ type: 'pan', dx: point.x - previous.x, dy: point.y - previous.y });
    } else if (g.pointers.size === 2) {
      const from = pair(g.pointers);
      g.pointers.set(e.pointerId, point);
      dispatch({ type: 'pinch', from, to: pair(g.pointers) });
    } else {
      g.pointers.set(e.pointerId, point);
    }
  }

  function onPointerEnd(e: React.PointerEvent<HTMLDivElement>) {
    const g = gesture.current;
    if (!g.pointers.delete(e.pointerId)) return;
    if (g.pointers.size === 0) setDragging(false);
    const tap = g.tap;
    g.tap = null;
    // Double tap for touch and pen; the mouse uses dblclick (which follows the system's setting).
    if (e.type !== 'pointerup' || !tap || tap.id !== e.pointerId || e.pointerType === 'mouse') return;
    const now = e.timeStamp;
    const last = g.lastTap;
    if (last && now - last.at < DOUBLE_TAP_MS && Math.hypot(tap.start.x - last.point.x, tap.start.y - last.point.y) < DOUBLE_TAP_DISTANCE) {
      g.lastTap = null;
      dispatch({ type: 'toggle', at: tap.start });
    } else {
      g.lastTap = { at: now, point: tap.start };
    }
  }

  function onDoubleClick(e: React.MouseEvent<HTMLDivElement>) {
    const g = gesture.current;
    if (g.lastPointerType !== 'mouse' || g.dragged) return;
    dispatch({ type: 'toggle', at: stagePoint(e.currentTarget, e) });
  }

  function onImageLoad(e: React.SyntheticEvent<HTMLImageElement>) {
    const img = e.currentTarget;
    setLoad('loaded');
    if (img.naturalWidth > 0) dispatch({ type: 'image', image: { width: img.naturalWidth, height: img.naturalHeight } });
  }

  const { view, image, mode } = state;
  const fit = mode === 'fit';
  const actual = isActualSize(state);
  const limits = scaleLimits(image, state.stage);
  const pannable =
    !!state.stage && (image.width * view.scale > state.stage.width + 0.5 || image.height * view.scale > state.stage.height + 0.5);
  const cursor = dragging && pannable ? 'cursor-grabbing' : pannable ? 'cursor-grab' : fit ? 'cursor-zoom-in' : '';
  const toggleClass =
    'btn min-h-11 border border-neutral-700 bg-neutral-900 px-3 text-neutral-100 hover:bg-neutral-800 aria-pressed:border-amber-400 aria-pressed:bg-amber-400 aria-pressed:text-black aria-pressed:hover:bg-amber-300 motion-reduce:transition-none sm:min-h-9';
  const iconClass =
    'btn min-h-11 min-w-11 border border-neutral-700 bg-neutral-900 px-2 text-neutral-100 hover:bg-neutral-800 aria-disabled:cursor-not-allowed aria-disabled:opacity-50 motion-reduce:transition-none sm:min-h-9 sm:min-w-9';

  return (
    <dialog
      ref={dialogRef}
      aria-label="Full screen view"
      // React dispatches a nested dialog's close/cancel to its ancestors' onClose/onCancel too:
      // stop them here so the picture dialog underneath stays open.
      onCancel={(e) => e.stopPropagation()}
      onClose={(e) => {
        e.stopPropagation();
        onClose();
      }}
      className="fixed inset-0 m-0 h-dvh max-h-none w-dvw max-w-none overflow-hidden border-0 bg-black p-0 text-neutral-100 backdrop:bg-black"
    >
      {/* Narrow screens: the toolbar at the bottom, buttons on its last row, within the thumb's reach; wider: at the top. */}
      <div className="flex h-full flex-col">
        <div className="order-last flex flex-wrap items-center gap-x-3 gap-y-2 border-t border-neutral-800 bg-neutral-950 px-3 pt-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] sm:order-first sm:border-t-0 sm:border-b sm:pb-2">
          <div role="group" aria-label="Zoom" className="flex items-center gap-1">
            <button type="button" className={toggleClass} aria-pressed={fit} onClick={() => dispatch({ type: 'fit' })}>
              Fit
            </button>
            <button type="button" className={toggleClass} aria-pressed={actual} onClick={() => dispatch({ type: 'actual' })}>
              100 %
            </button>
            {/* aria-disabled, not disabled: a disabled button would drop keyboard focus out of the dialog. */}
            <button
              type="button"
              className={iconClass}
              aria-label="Zoom out"
              aria-disabled={view.scale <= limits.min + 1e-9}
              onClick={() => dispatch({ type: 'step', direction: -1 })}
            >
              −
            </button>
            <button
              type="button"
              className={iconClass}
              aria-label="Zoom in"
              aria-disabled={view.scale >= limits.max - 1e-9}
              onClick={() => dispatch({ type: 'step', direction: 1 })}
            >
              +
            </button>
          </div>
          <p className="flex min-w-0 flex-wrap gap-x-2 text-sm text-neutral-300 tabular-nums max-sm:order-first max-sm:basis-full sm:flex-1">
            <span data-testid="zoom-pixel-size" title="The original's pixel size">
              {formatPixelSize(image)}
            </span>
            <span aria-hidden="true">·</span>
            <span data-testid="zoom-scale" aria-live="polite" aria-atomic="true">
              {formatScale(mode, view.scale)}
            </span>
          </p>
          <button
            type="button"
            className="btn ml-auto min-h-11 border border-neutral-700 bg-neutral-900 px-3 text-neutral-100 hover:bg-neutral-800 motion-reduce:transition-none sm:min-h-9"
            aria-label="Close full screen"
            onClick={() => dialogRef.current?.close()}
          >
            <span aria-hidden="true">✕</span> Close
          </button>
        </div>

        <div
          ref={stageRef}
          role="group"
          aria-label="Picture"
          aria-describedby="zoom-view-help"
          tabIndex={0}
          className={`relative min-h-0 flex-1 touch-none overflow-hidden bg-black select-none focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-amber-400 focus-visible:ring-inset ${cursor}`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
          onLostPointerCapture={onPointerEnd}
          onDoubleClick={onDoubleClick}
        >
          <p id="zoom-view-help" className="sr-only">
            Drag or use the arrow keys to pan (Shift for bigger steps). Keys: 0 or F fit, 1 shows 100 %, plus and minus zoom. Double-click
            switches between Fit and 100 %.
          </p>
          {/* eslint-disable-next-line @next/next/no-img-element -- our own URL; laid out at its pixel size and transformed */}
          <img
            ref={imgRef}
            src={src}
            alt={alt}
            width={image.width}
            height={image.height}
            draggable={false}
            decoding="async"
            onLoad={onImageLoad}
            onError={() => setLoad('failed')}
            data-testid="zoom-image"
            style={{
              width: image.width,
              height: image.height,
              maxWidth: 'none',
              maxHeight: 'none',
              transform: viewTransform(view),
              transformOrigin: '0 0',
              // Past 200 % show the pixels themselves rather than a blur.
              imageRendering: view.scale >= 2 ? 'pixelated' : 'auto',
            }}
            className={`pointer-events-none absolute top-0 left-0 ${load === 'loaded' && state.stage ? '' : 'invisible'} ${
              state.animate && !dragging ? 'motion-safe:transition-transform motion-safe:duration-200 motion-safe:ease-out' : ''
            }`}
          />
          {load === 'loading' && (
            <div role="status" className="absolute inset-0 flex items-center justify-center gap-2 text-sm text-white">
              <span className="spinner" aria-hidden="true" />
              Loading the original…
            </div>
          )}
          {load === 'failed' && (
            <p role="alert" className="absolute inset-0 flex items-center justify-center p-8 text-center text-sm text-white">
              The original picture could not be loaded. Close full screen and try again.
            </p>
          )}
        </div>
      </div>
    </dialog>
  );
}

function stagePoint(stage: HTMLElement, e: { clientX: number; clientY: number }): Point {
  const rect = stage.getBoundingClientRect();
  return { x: e.clientX - rect.left, y: e.clientY - rect.top };
}

function pair(pointers: Map<number, Point>): { mid: Point; distance: number } {
  const [a, b] = [...pointers.values()];
  return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, distance: Math.hypot(a.x - b.x, a.y - b.y) };
}
