/**
 * Colour and blending primitives shared by the painter (./paint.ts) and the models' looks (./look.ts). Pure
 * arithmetic on flat RGB float arrays (0..1), no allocation per pixel.
 */

export type RGB = [number, number, number]; // 0..1 floats

export function wrapHue(h: number): number {
  return ((h % 360) + 360) % 360;
}

export function hsl(h: number, s: number, l: number): RGB {
  h = wrapHue(h) / 360;
  s = Math.max(0, Math.min(1, s));
  l = Math.max(0, Math.min(1, l));
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const ch = (t: number) => {
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return [ch(h + 1 / 3), ch(h), ch(h - 1 / 3)];
}

export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Blend a disc with a one-pixel soft (anti-aliased) edge, touching only its bounding box. */
export function blendDisc(img: Float32Array, W: number, H: number, cx: number, cy: number, r: number, c: RGB, alpha: number): void {
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(W - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(H - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      const cover = r + 0.5 - Math.sqrt(dx * dx + dy * dy);
      if (cover <= 0) continue;
      const a = (cover >= 1 ? 1 : cover) * alpha;
      const p = (y * W + x) * 3;
      img[p] += (c[0] - img[p]) * a;
      img[p + 1] += (c[1] - img[p + 1]) * a;
      img[p + 2] += (c[2] - img[p + 2]) * a;
    }
  }
}
