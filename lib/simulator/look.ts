import { blendDisc, hsl, type RGB } from './pixels';

/**
 * A model's look in the simulator's pictures (issue #13): its name on a badge, a tint and a motif of its own, so
 * two models given the same prompt and seed visibly differ in a comparison. Painted by ./paint.ts on top of its
 * landscape; which model gets which look is decided in ./models.ts. The badge uses a built-in 5 × 7 pixel font,
 * so no font files are read and the bytes are the same on every machine.
 */

/** The motifs a model's look may add: over the sky (rings, rays, aurora) or over the whole picture. */
export const MOTIFS = ['rings', 'rays', 'aurora', 'bokeh', 'grid', 'scanlines'] as const;
export type Motif = (typeof MOTIFS)[number];

export type PaintLook = {
  /** Written on a badge in the top-left corner (uppercased; A–Z, 0–9, space, '.', '-'; others show as '?'). */
  label: string;
  /** Hue (degrees) of the tint, the badge's accent bar and the motif. */
  hue: number;
  motif: Motif;
  /** Mixed into the arrangement, so the same prompt/size/seed under another look is another picture. */
  key: string;
};

// ---------------------------------------------------------------------------
// A model's look: motif, tint, badge

type SunPlace = { sunX: number; sunY: number; sunR: number; horizonY: number };

/** Motifs painted over the sky, before the mountains cover its lower part. */
export function skyMotif(img: Float32Array, W: number, H: number, look: PaintLook, sun: SunPlace, rand: () => number): void {
  const light = hsl(look.hue, 0.8, 0.78);
  const { sunX, sunY, sunR, horizonY } = sun;
  if (look.motif === 'rings') {
    // Thin concentric halo rings around the sun.
    const rings = [2, 3, 4.2, 5.6].map((k) => sunR * k * (0.9 + rand() * 0.2));
    const th = Math.max(1.5, sunR * 0.09);
    const reach = rings[rings.length - 1] + th;
    const x0 = Math.max(0, Math.floor(sunX - reach));
    const x1 = Math.min(W - 1, Math.ceil(sunX + reach));
    const y0 = Math.max(0, Math.floor(sunY - reach));
    const y1 = Math.min(H - 1, Math.ceil(sunY + reach));
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - sunY;
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - sunX;
        const d = Math.sqrt(dx * dx + dy * dy);
        let a = 0;
        for (let i = 0; i < rings.length; i++) a = Math.max(a, (1 - Math.abs(d - rings[i]) / th) * (0.5 - i * 0.08));
        if (a <= 0) continue;
        const p = (y * W + x) * 3;
        img[p] += (light[0] - img[p]) * a;
        img[p + 1] += (light[1] - img[p + 1]) * a;
        img[p + 2] += (light[2] - img[p + 2]) * a;
      }
    }
  } else if (look.motif === 'rays') {
    // Light rays fanning out from the sun across the sky.
    const count = 9 + Math.floor(rand() * 6);
    const phase = rand() * Math.PI * 2;
    const falloff = 1 / (H * 0.9);
    const bottom = Math.min(H, Math.ceil(horizonY));
    for (let y = 0; y < bottom; y++) {
      const dy = y + 0.5 - sunY;
      let p = y * W * 3;
      for (let x = 0; x < W; x++, p += 3) {
        const dx = x + 0.5 - sunX;
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d < sunR) continue;
        const c = Math.cos(Math.atan2(dy, dx) * count + phase);
        if (c <= 0.6) continue;
        const a = ((c - 0.6) / 0.4) ** 2 * 0.32 * Math.max(0, 1 - d * falloff);
        img[p] += (light[0] - img[p]) * a;
        img[p + 1] += (light[1] - img[p + 1]) * a;
        img[p + 2] += (light[2] - img[p + 2]) * a;
      }
    }
  } else if (look.motif === 'aurora') {
    // A wavy ribbon of light high in the sky.
    const f1 = (2 + rand() * 2) * ((Math.PI * 2) / W);
    const f2 = (5 + rand() * 4) * ((Math.PI * 2) / W);
    const p1 = rand() * Math.PI * 2;
    const p2 = rand() * Math.PI * 2;
    const base = horizonY * (0.25 + rand() * 0.15);
    const th = H * 0.05;
    const glow = hsl(look.hue, 0.85, 0.65);
    for (let x = 0; x < W; x++) {
      const yc = base + Math.sin(x * f1 + p1) * H * 0.06 + Math.sin(x * f2 + p2) * H * 0.02;
      const y0 = Math.max(0, Math.floor(yc - th * 3));
      const y1 = Math.min(H - 1, Math.ceil(yc + th));
      for (let y = y0; y <= y1; y++) {
        const u = (y + 0.5 - yc) / th;
        // Curtain: a sharp lower edge, a long fade upwards.
        const a = (u > 0 ? Math.exp(-u * u * 4) : Math.exp(u / 1.2)) * 0.5;
        const p = (y * W + x) * 3;
        img[p] += (glow[0] - img[p]) * a;
        img[p + 1] += (glow[1] - img[p + 1]) * a;
        img[p + 2] += (glow[2] - img[p + 2]) * a;
      }
    }
  }
}

/** Motifs painted over the finished landscape. */
export function overlayMotif(img: Float32Array, W: number, H: number, look: PaintLook, rand: () => number): void {
  const m = Math.min(W, H);
  if (look.motif === 'bokeh') {
    // Out-of-focus light discs.
    const count = 14 + Math.floor(rand() * 12);
    for (let i = 0; i < count; i++) {
      const c = hsl(look.hue + (rand() - 0.5) * 50, 0.7, 0.72 + rand() * 0.2);
      blendDisc(img, W, H, rand() * W, rand() * H, m * (0.015 + rand() * 0.045), c, 0.12 + rand() * 0.18);
    }
  } else if (look.motif === 'grid') {
    // A faint blueprint lattice.
    const step = Math.max(8, Math.round(m / 10));
    const lw = Math.max(1, Math.round(m / 600));
    const line = hsl(look.hue, 0.7, 0.8);
    const ox = Math.floor(rand() * step);
    const oy = Math.floor(rand() * step);
    for (let y = 0; y < H; y++) {
      const onRow = (y + oy) % step < lw;
      let p = y * W * 3;
      for (let x = 0; x < W; x++, p += 3) {
        if (!onRow && (x + ox) % step >= lw) continue;
        img[p] += (line[0] - img[p]) * 0.22;
        img[p + 1] += (line[1] - img[p + 1]) * 0.22;
        img[p + 2] += (line[2] - img[p + 2]) * 0.22;
      }
    }
  } else if (look.motif === 'scanlines') {
    // Darkened bands every few rows, like an old screen.
    const period = Math.max(3, Math.round(m / 180));
    for (let y = 0; y < H; y++) {
      if (y % period !== 0) continue;
      let p = y * W * 3;
      for (let x = 0; x < W; x++, p += 3) {
        img[p] *= 0.72;
        img[p + 1] *= 0.72;
        img[p + 2] *= 0.72;
      }
    }
  }
}

/** A colour grade towards `c` by `amount` over the whole picture. */
export function tint(img: Float32Array, c: RGB, amount: number): void {
  for (let p = 0; p < img.length; p += 3) {
    img[p] += (c[0] - img[p]) * amount;
    img[p + 1] += (c[1] - img[p + 1]) * amount;
    img[p + 2] += (c[2] - img[p + 2]) * amount;
  }
}

/** 5 × 7 pixel glyphs, one 5-bit row per entry (top first, high bit left): no font files, so no machine differences. */
const GLYPHS: Record<string, readonly number[]> = {
  A: [0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1e],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
  F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
  H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
  L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d],
  R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
  W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a],
  X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04],
  Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '.': [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c],
  '-': [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  ' ': [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
  '?': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04],
};

/**
 * The label on a dark plate in the top-left corner, with an accent bar in the look's hue (the bottom-left is
 * where the gallery puts its own badge: seed and model).
 */
export function drawBadge(rgb: Uint8Array, W: number, H: number, look: PaintLook): void {
  const text = [...look.label.toUpperCase()].map((ch) => GLYPHS[ch] ?? GLYPHS['?']);
  const s = Math.max(1, Math.round(Math.min(W, H) / 160)); // one glyph pixel, in picture pixels
  const pad = 2 * s;
  const bar = 2 * s;
  const textW = text.length * 6 * s - s;
  const plateW = Math.min(W, bar + pad * 2 + textW);
  const plateH = Math.min(H, 7 * s + pad * 2);
  const x0 = Math.min(3 * s, W - plateW);
  const y0 = Math.min(3 * s, H - plateH);
  const accent = hsl(look.hue, 0.8, 0.6).map((v) => Math.round(v * 255));
  for (let y = y0; y < y0 + plateH; y++) {
    for (let x = x0; x < x0 + plateW; x++) {
      const p = (y * W + x) * 3;
      if (x < x0 + bar) {
        rgb[p] = accent[0];
        rgb[p + 1] = accent[1];
        rgb[p + 2] = accent[2];
      } else {
        rgb[p] = Math.round(rgb[p] * 0.3);
        rgb[p + 1] = Math.round(rgb[p + 1] * 0.3);
        rgb[p + 2] = Math.round(rgb[p + 2] * 0.3);
      }
    }
  }
  const tx = x0 + bar + pad;
  const ty = y0 + pad;
  text.forEach((rows, i) => {
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        if (!(rows[r] & (0x10 >> c))) continue;
        for (let y = ty + r * s; y < Math.min(H, ty + (r + 1) * s); y++) {
          for (let x = tx + (i * 6 + c) * s; x < Math.min(W, tx + (i * 6 + c + 1) * s); x++) {
            const p = (y * W + x) * 3;
            rgb[p] = 245;
            rgb[p + 1] = 245;
            rgb[p + 2] = 245;
          }
        }
      }
    }
  });
}
