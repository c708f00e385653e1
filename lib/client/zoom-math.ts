/**
 * The full-screen zoom view's geometry, pure so it can be unit tested.
 *
 * Coordinates are CSS pixels relative to the stage's top-left corner. The
 * picture is laid out at its pixel size (one image pixel = one CSS pixel at
 * scale 1, deliberately ignoring devicePixelRatio: "100 %" means what the
 * browser calls 100 %) with `transform-origin: 0 0`, then drawn with
 * `translate(x, y) scale(scale)`: (x, y) is where its top-left corner lands.
 */
export type Size = { width: number; height: number };
export type Point = { x: number; y: number };
export type View = { scale: number; x: number; y: number };

/** The largest zoom offered (800 %), unless fitting a tiny picture needs more. */
export const MAX_SCALE = 8;

/** Zoom in / zoom out go through these stops (the fit scale is added to them). */
const STOPS = [0.05, 0.1, 0.125, 0.25, 1 / 3, 0.5, 2 / 3, 1, 1.5, 2, 3, 4, 6, 8];

const EPSILON = 1e-6;

function valid(size: Size | null): size is Size {
  return !!size && size.width > 0 && size.height > 0 && Number.isFinite(size.width) && Number.isFinite(size.height);
}

/**
 * The scale that shows the whole picture, centered, as large as the stage
 * allows. Small pictures are scaled up to fill the stage (a full-screen view
 * should fill the screen; "100 %" is one click away for true pixels).
 */
export function fitScale(image: Size, stage: Size | null): number {
  if (!valid(image) || !valid(stage)) return 1;
  return Math.min(stage.width / image.width, stage.height / image.height);
}

/** Zooming out stops at whichever is smaller of Fit and 100 %; zooming in at 800 % (or Fit). */
export function scaleLimits(image: Size, stage: Size | null): { min: number; max: number } {
  const fit = fitScale(image, stage);
  return { min: Math.min(fit, 1), max: Math.max(MAX_SCALE, fit) };
}

export function clampScale(scale: number, image: Size, stage: Size | null): number {
  const { min, max } = scaleLimits(image, stage);
  return Math.min(max, Math.max(min, scale));
}

/**
 * Keeps the picture on the stage: along an axis where the scaled picture is
 * smaller than the stage it is centered; where it is larger, its edges may
 * not come inside the stage's edges (so it never leaves the stage, and no
 * pan shows empty space beyond the picture).
 */
export function clampView(view: View, image: Size, stage: Size | null): View {
  if (!valid(stage)) return view;
  return {
    scale: view.scale,
    x: clampAxis(view.x, image.width * view.scale, stage.width),
    y: clampAxis(view.y, image.height * view.scale, stage.height),
  };
}

function clampAxis(offset: number, length: number, stageLength: number): number {
  // The tolerance absorbs rounding (e.g. 1920 × (1000 / 1920) ≠ 1000 exactly) so Fit stays centered.
  if (length <= stageLength + EPSILON) return (stageLength - length) / 2;
  return Math.min(0, Math.max(stageLength - length, offset));
}

/** The picture at `scale`, centered on the stage. */
export function centeredView(image: Size, stage: Size | null, scale: number): View {
  if (!valid(stage)) return { scale, x: 0, y: 0 };
  return { scale, x: (stage.width - image.width * scale) / 2, y: (stage.height - image.height * scale) / 2 };
}

export function fitView(image: Size, stage: Size | null): View {
  return centeredView(image, stage, fitScale(image, stage));
}

/** The stage's centre, the default point to zoom around. */
export function stageCenter(stage: Size | null): Point {
  return valid(stage) ? { x: stage.width / 2, y: stage.height / 2 } : { x: 0, y: 0 };
}

/**
 * Changes the scale so that the picture point under `point` stays under it
 * (before clamping), then clamps. The scale itself is not limited here.
 */
export function zoomAround(view: View, scale: number, point: Point, image: Size, stage: Size | null): View {
  return clampView(zoomAroundRaw(view, scale, point), image, stage);
}

function zoomAroundRaw(view: View, scale: number, point: Point): View {
  const ratio = scale / view.scale;
  return { scale, x: point.x - (point.x - view.x) * ratio, y: point.y - (point.y - view.y) * ratio };
}

/** Moves the picture by (dx, dy) CSS pixels, clamped. */
export function panBy(view: View, dx: number, dy: number, image: Size, stage: Size | null): View {
  return clampView({ scale: view.scale, x: view.x + dx, y: view.y + dy }, image, stage);
}

/**
 * After the stage changed size (window resize, rotation): the picture point
 * that was at the old stage's centre goes to the new stage's centre, then the
 * view is clamped.
 */
export function resizeView(view: View, image: Size, from: Size | null, to: Size): View {
  const scale = clampScale(view.scale, image, to);
  if (!valid(from)) return clampView(centeredView(image, to, scale), image, to);
  const oldCenter = stageCenter(from);
  const newCenter = stageCenter(to);
  const picturePoint = { x: (oldCenter.x - view.x) / view.scale, y: (oldCenter.y - view.y) / view.scale };
  return clampView({ scale, x: newCenter.x - picturePoint.x * scale, y: newCenter.y - picturePoint.y * scale }, image, to);
}

/** The next zoom stop above (direction 1) or below (-1) `scale`, within the limits. */
export function zoomStep(scale: number, direction: 1 | -1, image: Size, stage: Size | null): number {
  const { min, max } = scaleLimits(image, stage);
  const stops = [...STOPS, fitScale(image, stage), min, max].filter((s) => s >= min - EPSILON && s <= max + EPSILON).sort((a, b) => a - b);
  if (direction === 1) return stops.find((s) => s > scale * (1 + EPSILON)) ?? max;
  return [...stops].reverse().find((s) => s < scale * (1 - EPSILON)) ?? min;
}

/** "1920 × 1080 px". */
export function formatPixelSize(image: Size): string {
  return `${Math.round(image.width)} × ${Math.round(image.height)} px`;
}

/** "Fit · 47 %" in Fit, otherwise "100 %", "250 %"… */
export function formatScale(mode: ZoomMode, scale: number): string {
  const percent = `${Math.max(1, Math.round(scale * 100))} %`;
  return mode === 'fit' ? `Fit · ${percent}` : percent;
}

/** The CSS transform for a view; offsets rounded to whole pixels so 100 % stays sharp. */
export function viewTransform(view: View): string {
  return `translate(${Math.round(view.x)}px, ${Math.round(view.y)}px) scale(${view.scale})`;
}

// ---------------------------------------------------------------------------
// The view's state machine, a reducer so every gesture goes through one pure step.

export type ZoomMode = 'fit' | 'free';

export type ZoomState = {
  /** The picture's pixel size. */
  image: Size;
  /** The stage's size in CSS pixels; null until measured. */
  stage: Size | null;
  /** Fit follows the stage (refits on resize); free keeps its scale and pans. */
  mode: ZoomMode;
  view: View;
  /** Whether the change should be animated (discrete actions, never during drags). */
  animate: boolean;
};

export type ZoomAction =
  | { type: 'stage'; stage: Size }
  | { type: 'image'; image: Size }
  | { type: 'fit' }
  /** 100 %, around `at` (default: the stage's centre). */
  | { type: 'actual'; at?: Point }
  /** Double-click / double-tap: 100 % around the point, or back to Fit from 100 %. */
  | { type: 'toggle'; at: Point }
  | { type: 'step'; direction: 1 | -1; at?: Point }
  /** Continuous zoom (wheel, pinch): multiply the scale around a point. */
  | { type: 'zoomBy'; factor: number; at: Point }
  | { type: 'pan'; dx: number; dy: number }
  /** Two fingers moved: scale by the change of their distance around their old midpoint, then follow the midpoint. */
  | { type: 'pinch'; from: { mid: Point; distance: number }; to: { mid: Point; distance: number } };

export function initialZoomState(image: Size): ZoomState {
  return { image, stage: null, mode: 'fit', view: fitView(image, null), animate: false };
}

/** Is 100 % currently shown (and not merely Fit that happens to be 100 %)? */
export function isActualSize(state: ZoomState): boolean {
  return state.mode === 'free' && Math.abs(state.view.scale - 1) < EPSILON;
}

export function zoomReducer(state: ZoomState, action: ZoomAction): ZoomState {
  const { image, stage } = state;
  switch (action.type) {
    case 'stage': {
      if (valid(state.stage) && state.stage.width === action.stage.width && state.stage.height === action.stage.height) return state;
      if (state.mode === 'fit') return { ...state, stage: action.stage, view: fitView(image, action.stage), animate: false };
      return free({ ...state, stage: action.stage }, resizeView(state.view, image, state.stage, action.stage), false);
    }
    case 'image': {
      if (!valid(action.image) || (action.image.width === image.width && action.image.height === image.height)) return state;
      const next = { ...state, image: action.image, animate: false };
      if (state.mode === 'fit') return { ...next, view: fitView(action.image, stage) };
      return { ...next, view: clampView({ ...state.view, scale: clampScale(state.view.scale, action.image, stage) }, action.image, stage) };
    }
    case 'fit':
      return { ...state, mode: 'fit', view: fitView(image, stage), animate: true };
    case 'actual':
      return { ...state, mode: 'free', view: zoomAround(state.view, 1, action.at ?? stageCenter(stage), image, stage), animate: true };
    case 'toggle':
      return isActualSize(state) ? zoomReducer(state, { type: 'fit' }) : zoomReducer(state, { type: 'actual', at: action.at });
    case 'step': {
      const scale = zoomStep(state.view.scale, action.direction, image, stage);
      return free(state, zoomAround(state.view, scale, action.at ?? stageCenter(stage), image, stage), true);
    }
    case 'zoomBy': {
      const scale = clampScale(state.view.scale * action.factor, image, stage);
      return free(state, zoomAround(state.view, scale, action.at, image, stage), false);
    }
    case 'pan': {
      if (state.mode === 'fit') return state; // The whole picture is visible: nothing to pan.
      const view = panBy(state.view, action.dx, action.dy, image, stage);
      if (view.x === state.view.x && view.y === state.view.y && !state.animate) return state;
      return { ...state, view, animate: false };
    }
    case 'pinch': {
      if (action.from.distance <= 0 || action.to.distance <= 0) return state;
      const scale = clampScale((state.view.scale * action.to.distance) / action.from.distance, image, stage);
      const zoomed = zoomAroundRaw(state.view, scale, action.from.mid);
      const moved = { scale, x: zoomed.x + action.to.mid.x - action.from.mid.x, y: zoomed.y + action.to.mid.y - action.from.mid.y };
      return free(state, clampView(moved, image, stage), false);
    }
  }
}

/**
 * A zoomed view; landing exactly on the fit scale is Fit again (at that scale
 * the whole picture fits, so clamping has centered it just as Fit would).
 */
function free(state: ZoomState, view: View, animate: boolean): ZoomState {
  const fit = fitScale(state.image, state.stage);
  if (valid(state.stage) && Math.abs(view.scale - fit) <= fit * EPSILON) {
    return { ...state, mode: 'fit', view: fitView(state.image, state.stage), animate };
  }
  return { ...state, mode: 'free', view, animate };
}
