import { describe, expect, it } from 'vitest';
import {
  MAX_SCALE,
  clampView,
  fitScale,
  fitView,
  formatPixelSize,
  formatScale,
  initialZoomState,
  isActualSize,
  panBy,
  resizeView,
  scaleLimits,
  viewTransform,
  zoomAround,
  zoomReducer,
  zoomStep,
  type Size,
  type ZoomAction,
  type ZoomState,
} from '@/lib/client/zoom-math';

const picture: Size = { width: 1920, height: 1080 };
const stage: Size = { width: 1000, height: 800 };

/** Where a picture point lands on the stage. */
const project = (view: { scale: number; x: number; y: number }, p: { x: number; y: number }) => ({
  x: view.x + p.x * view.scale,
  y: view.y + p.y * view.scale,
});

function expectView(actual: { scale: number; x: number; y: number }, expected: { scale: number; x: number; y: number }) {
  expect(actual.scale).toBeCloseTo(expected.scale, 9);
  expect(actual.x).toBeCloseTo(expected.x, 6);
  expect(actual.y).toBeCloseTo(expected.y, 6);
}

function run(image: Size, size: Size, ...actions: ZoomAction[]): ZoomState {
  return actions.reduce(zoomReducer, zoomReducer(initialZoomState(image), { type: 'stage', stage: size }));
}

describe('fit', () => {
  it('shows the whole picture, as large as possible, centered', () => {
    expect(fitScale(picture, stage)).toBeCloseTo(1000 / 1920, 10);
    const view = fitView(picture, stage);
    expect(view.x).toBeCloseTo(0, 10);
    expect(view.y).toBeCloseTo((800 - 1080 * (1000 / 1920)) / 2, 10);
    // Portrait stage: height limits.
    expect(fitScale({ width: 1000, height: 2000 }, { width: 800, height: 600 })).toBeCloseTo(0.3, 10);
  });

  it('scales small pictures up to fill the stage', () => {
    expect(fitScale({ width: 500, height: 400 }, stage)).toBe(2);
  });

  it('is 1 while the stage is unmeasured or empty', () => {
    expect(fitScale(picture, null)).toBe(1);
    expect(fitScale(picture, { width: 0, height: 0 })).toBe(1);
    expect(fitScale({ width: 0, height: 0 }, stage)).toBe(1);
  });

  it('limits zoom between min(Fit, 100 %) and 800 % (or Fit, for tiny pictures)', () => {
    expect(scaleLimits(picture, stage)).toEqual({ min: 1000 / 1920, max: MAX_SCALE });
    expect(scaleLimits({ width: 500, height: 400 }, stage)).toEqual({ min: 1, max: MAX_SCALE });
    expect(scaleLimits({ width: 50, height: 40 }, stage)).toEqual({ min: 1, max: 20 });
  });
});

describe('clamping', () => {
  it('centers an axis where the picture is smaller than the stage', () => {
    expect(clampView({ scale: 0.25, x: -300, y: 900 }, picture, stage)).toEqual({ scale: 0.25, x: 260, y: 265 });
  });

  it('keeps the stage covered where the picture is larger', () => {
    // 1920 × 1080 at 100 % on 1000 × 800: x in [-920, 0], y in [-280, 0].
    expect(clampView({ scale: 1, x: 50, y: 40 }, picture, stage)).toEqual({ scale: 1, x: 0, y: 0 });
    expect(clampView({ scale: 1, x: -5000, y: -5000 }, picture, stage)).toEqual({ scale: 1, x: -920, y: -280 });
    expect(clampView({ scale: 1, x: -100, y: -100 }, picture, stage)).toEqual({ scale: 1, x: -100, y: -100 });
  });

  it('never lets the picture leave the stage, whatever the pan', () => {
    for (const [dx, dy] of [
      [1e6, 0],
      [-1e6, 0],
      [0, 1e6],
      [0, -1e6],
      [1e6, -1e6],
    ]) {
      const view = panBy({ scale: 1, x: -460, y: -140 }, dx, dy, picture, stage);
      expect(view.x).toBeLessThanOrEqual(0);
      expect(view.x + 1920).toBeGreaterThanOrEqual(1000);
      expect(view.y).toBeLessThanOrEqual(0);
      expect(view.y + 1080).toBeGreaterThanOrEqual(800);
    }
  });

  it('pans by the given amount when there is room', () => {
    expect(panBy({ scale: 1, x: -460, y: -140 }, -40, 40, picture, stage)).toEqual({ scale: 1, x: -500, y: -100 });
  });
});

describe('zoom around a point', () => {
  it('keeps the picture point under the pointer', () => {
    const from = fitView(picture, stage);
    const pointer = { x: 300, y: 400 };
    const picturePoint = { x: (pointer.x - from.x) / from.scale, y: (pointer.y - from.y) / from.scale };
    const to = zoomAround(from, 1, pointer, picture, stage);
    expect(to.scale).toBe(1);
    const landed = project(to, picturePoint);
    expect(landed.x).toBeCloseTo(pointer.x, 6);
    expect(landed.y).toBeCloseTo(pointer.y, 6);
  });

  it('clamps when the point is near an edge', () => {
    const to = zoomAround(fitView(picture, stage), 1, { x: 0, y: 0 }, picture, stage);
    expectView(to, { scale: 1, x: 0, y: 0 });
  });

  it('steps through zoom stops, including Fit, within the limits', () => {
    const fit = 1000 / 1920;
    expect(zoomStep(fit, 1, picture, stage)).toBeCloseTo(2 / 3, 10);
    expect(zoomStep(2 / 3, 1, picture, stage)).toBe(1);
    expect(zoomStep(1, 1, picture, stage)).toBe(1.5);
    expect(zoomStep(1, -1, picture, stage)).toBeCloseTo(2 / 3, 10);
    expect(zoomStep(2 / 3, -1, picture, stage)).toBeCloseTo(fit, 10);
    expect(zoomStep(fit, -1, picture, stage)).toBeCloseTo(fit, 10);
    expect(zoomStep(MAX_SCALE, 1, picture, stage)).toBe(MAX_SCALE);
  });
});

describe('resize', () => {
  it('keeps the picture point at the stage centre', () => {
    const view = { scale: 1, x: -400, y: -100 };
    const centre = { x: 500 - -400, y: 400 - -100 }; // picture point at the old centre
    const next = resizeView(view, picture, stage, { width: 800, height: 600 });
    const landed = project(next, centre);
    expect(landed.x).toBeCloseTo(400, 6);
    expect(landed.y).toBeCloseTo(300, 6);
  });

  it('clamps after the stage grew', () => {
    const next = resizeView({ scale: 1, x: -920, y: -280 }, picture, stage, { width: 1600, height: 1000 });
    expect(next).toEqual({ scale: 1, x: -320, y: -80 });
  });
});

describe('the zoom reducer', () => {
  it('starts in Fit and refits when the stage changes', () => {
    let state = run(picture, stage);
    expect(state.mode).toBe('fit');
    expect(state.view).toEqual(fitView(picture, stage));
    state = zoomReducer(state, { type: 'stage', stage: { width: 375, height: 700 } });
    expect(state.mode).toBe('fit');
    expect(state.view).toEqual(fitView(picture, { width: 375, height: 700 }));
    expect(state.animate).toBe(false);
  });

  it('100 % from Fit is centered, one image pixel per CSS pixel', () => {
    const state = run(picture, stage, { type: 'actual' });
    expect(isActualSize(state)).toBe(true);
    expectView(state.view, { scale: 1, x: -460, y: -140 });
    expect(state.animate).toBe(true);
  });

  it('keeps the 100 % view sensible on resize: same scale, clamped', () => {
    let state = run(picture, stage, { type: 'actual' }, { type: 'pan', dx: -1e6, dy: -1e6 });
    expectView(state.view, { scale: 1, x: -920, y: -280 });
    state = zoomReducer(state, { type: 'stage', stage: { width: 1800, height: 1000 } });
    expect(state.mode).toBe('free');
    expect(state.view.scale).toBe(1);
    expect(state.view.x).toBeLessThanOrEqual(0);
    expect(state.view.x).toBeGreaterThanOrEqual(1800 - 1920);
    expect(state.view.y).toBeGreaterThanOrEqual(1000 - 1080);
  });

  it('double-click toggles 100 % around the point, then back to Fit', () => {
    const fit = run(picture, stage);
    const pointer = { x: 700, y: 500 };
    const picturePoint = { x: (pointer.x - fit.view.x) / fit.view.scale, y: (pointer.y - fit.view.y) / fit.view.scale };
    const actual = zoomReducer(fit, { type: 'toggle', at: pointer });
    expect(isActualSize(actual)).toBe(true);
    const landed = project(actual.view, picturePoint);
    expect(landed.x).toBeCloseTo(pointer.x, 6);
    expect(landed.y).toBeCloseTo(pointer.y, 6);
    const back = zoomReducer(actual, { type: 'toggle', at: pointer });
    expect(back.mode).toBe('fit');
    expect(back.view).toEqual(fitView(picture, stage));
  });

  it('double-click on a zoomed (not 100 %) view goes to 100 %', () => {
    const state = run(picture, stage, { type: 'actual' }, { type: 'step', direction: 1 }, { type: 'toggle', at: { x: 10, y: 10 } });
    expect(isActualSize(state)).toBe(true);
  });

  it('panning in Fit changes nothing', () => {
    const fit = run(picture, stage);
    expect(zoomReducer(fit, { type: 'pan', dx: 100, dy: 100 })).toBe(fit);
  });

  it('zooming out to the fit scale is Fit again', () => {
    const state = run(picture, stage, { type: 'actual' }, { type: 'zoomBy', factor: 0.01, at: { x: 0, y: 0 } });
    expect(state.mode).toBe('fit');
    expect(state.view).toEqual(fitView(picture, stage));
  });

  it('pinch scales by the finger distance and follows their midpoint', () => {
    const start = run(picture, stage, { type: 'actual' });
    const from = { mid: { x: 500, y: 400 }, distance: 100 };
    const to = { mid: { x: 520, y: 390 }, distance: 150 };
    const picturePoint = { x: (500 - start.view.x) / start.view.scale, y: (400 - start.view.y) / start.view.scale };
    const state = zoomReducer(start, { type: 'pinch', from, to });
    expect(state.view.scale).toBeCloseTo(1.5, 10);
    const landed = project(state.view, picturePoint);
    expect(landed.x).toBeCloseTo(520, 6);
    expect(landed.y).toBeCloseTo(390, 6);
  });

  it('uses the loaded picture’s own size if it differs', () => {
    const state = zoomReducer(run({ width: 100, height: 100 }, stage), { type: 'image', image: picture });
    expect(state.image).toEqual(picture);
    expect(state.view).toEqual(fitView(picture, stage));
  });
});

describe('text', () => {
  it('formats the pixel size and the scale', () => {
    expect(formatPixelSize(picture)).toBe('1920 × 1080 px');
    expect(formatScale('fit', 0.4734)).toBe('Fit · 47 %');
    expect(formatScale('free', 1)).toBe('100 %');
    expect(formatScale('free', 2.5)).toBe('250 %');
    expect(formatScale('fit', 0.001)).toBe('Fit · 1 %');
  });

  it('rounds offsets to whole pixels in the transform', () => {
    expect(viewTransform({ scale: 1, x: -460.4, y: 12.6 })).toBe('translate(-460px, 13px) scale(1)');
  });
});
