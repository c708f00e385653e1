import sharp, { type PngOptions } from 'sharp';
import { RATIOS, ratioSize, type Ratio } from '../generation/schema';
import { drawBadge, overlayMotif, skyMotif, tint, type PaintLook } from './look';
import { blendDisc, hsl, mix, wrapHue, type RGB } from './pixels';

/**
 * Paints the simulator's stand-in for a generated image: a layered landscape
 * (gradient sky, sun or moon with a halo, streaky clouds, hazy mountain ridges,
 * sometimes a lake reflecting it all) at the exact pixel size of the ratio.
 *
 * - The palette comes from the prompt only (colour/scene words pick hues,
 *   mood words pick brightness and saturation, other words are hashed), so
 *   every seed of "misty teal forest" looks like the same prompt.
 * - The arrangement comes from prompt + ratio + seed: sun position, ridge
 *   shapes, number of layers, clouds, lake or not, which prompt hue goes where.
 * - Everything is a pure function of (prompt, ratio, seed): no Math.random, no
 *   clock, so the same inputs give byte-identical PNGs — mirroring the upstream
 *   promise that the same seed reproduces the image.
 *
 * Speed matters (the demo server paints on request): all work happens in flat
 * typed arrays with plain loops, no per-pixel allocation. sharp encodes the
 * PNG off the main thread.
 *
 * Models (issue #13): a picture is asked for either by RunWay `ratio` (the
 * classic call, byte-for-byte as before) or by `width` × `height`, optionally
 * with a `look`: the model's name on a badge, a tint and a motif of its own, so
 * two models given the same prompt and seed visibly differ in a comparison.
 * The look is painted by ./look.ts and chosen by the simulator (./models.ts).
 */

export { MOTIFS, type Motif, type PaintLook } from './look';

/** The largest side the painter makes (the simulator scales bigger nominal sizes down to this: ./models.ts). */
export const PAINT_MAX_SIDE = 2048;

export type PaintInput = {
  prompt: string;
  seed: number;
  /** RunWay's pixel ratio (`1920:1080`): the size and part of the arrangement key, as always. */
  ratio?: Ratio | string;
  /** Otherwise, the exact pixel size (whole numbers, 1–PAINT_MAX_SIDE). */
  width?: number;
  height?: number;
  look?: PaintLook;
};

/**
 * Encoder settings, spelled out so a change of sharp's defaults cannot change
 * the bytes: truecolour (no palette), zlib level 6, no row filters (fast; the
 * pictures are ~10 % larger than with adaptive filters, at a quarter of the
 * time). sharp writes no metadata by default: no timestamps, so the same
 * pixels always give the same bytes (with the same sharp/libvips build).
 */
const PNG_OPTIONS: PngOptions = { compressionLevel: 6, adaptiveFiltering: false, palette: false, progressive: false };

/** Paint and encode; resolves to PNG bytes at exactly ratioSize(ratio), or width × height. */
export function paintImage(input: PaintInput): Promise<Buffer> {
  const { width, height, rgb } = paintPixels(input);
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png(PNG_OPTIONS)
    .toBuffer();
}

// ---------------------------------------------------------------------------
// Deterministic randomness

/** xmur3 string hash → 32-bit seed generator. */
function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

/** mulberry32: small, fast, good-enough PRNG returning [0, 1). */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rngFor(text: string): () => number {
  return mulberry32(xmur3(text)());
}

// ---------------------------------------------------------------------------
// Palette (from the prompt only)

/** Words that pin a hue, so "sunset over a blue ocean" really looks warm and blue. */
const HUE_WORDS: Record<string, number> = {
  red: 0,
  crimson: 350,
  scarlet: 5,
  ruby: 345,
  fire: 12,
  flame: 14,
  lava: 8,
  volcano: 10,
  rust: 18,
  orange: 28,
  amber: 38,
  autumn: 30,
  fall: 30,
  sunset: 22,
  sunrise: 35,
  copper: 25,
  gold: 45,
  golden: 45,
  desert: 38,
  sand: 40,
  dune: 38,
  dunes: 38,
  yellow: 55,
  lemon: 58,
  lime: 85,
  green: 120,
  forest: 130,
  jungle: 135,
  moss: 95,
  spring: 100,
  meadow: 105,
  emerald: 145,
  mint: 155,
  teal: 175,
  turquoise: 175,
  cyan: 185,
  aqua: 185,
  lagoon: 180,
  ocean: 200,
  sea: 198,
  lake: 200,
  sky: 205,
  ice: 195,
  glacier: 195,
  winter: 205,
  snow: 205,
  blue: 220,
  azure: 210,
  sapphire: 225,
  navy: 230,
  night: 235,
  midnight: 240,
  indigo: 250,
  space: 255,
  galaxy: 265,
  nebula: 285,
  violet: 270,
  purple: 280,
  lavender: 265,
  amethyst: 285,
  magenta: 310,
  neon: 315,
  pink: 330,
  rose: 340,
  cherry: 345,
  blossom: 335,
  sakura: 335,
};
const DARK_WORDS = new Set([
  'night',
  'midnight',
  'dark',
  'space',
  'galaxy',
  'nebula',
  'noir',
  'moon',
  'moonlit',
  'moonlight',
  'stars',
  'starry',
  'storm',
  'stormy',
  'shadow',
  'shadows',
  'gothic',
  'cyberpunk',
]);
const MUTED_WORDS = new Set([
  'fog',
  'foggy',
  'mist',
  'misty',
  'grey',
  'gray',
  'haze',
  'hazy',
  'muted',
  'overcast',
  'rain',
  'rainy',
  'smoke',
  'smoky',
  'vintage',
  'faded',
  'winter',
  'snow',
  'ice',
  'monochrome',
]);
const BRIGHT_WORDS = new Set([
  'pastel',
  'soft',
  'morning',
  'dawn',
  'bright',
  'sunny',
  'day',
  'daylight',
  'summer',
  'light',
  'dreamy',
  'airy',
]);
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'and',
  'or',
  'in',
  'on',
  'at',
  'to',
  'with',
  'by',
  'for',
  'from',
  'over',
  'under',
  'into',
  'is',
  'are',
  'very',
  'sim',
  'fail',
]);

type Palette = {
  hues: [number, number, number]; // primary, secondary, accent (degrees)
  saturation: number;
  mood: 'dark' | 'normal' | 'bright';
};

function palette(prompt: string): Palette {
  const words = (prompt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP_WORDS.has(w));
  const keywordHues: number[] = [];
  let dark = 0;
  let muted = 0;
  let bright = 0;
  for (const w of words) {
    const hue = HUE_WORDS[w];
    if (hue !== undefined && !keywordHues.includes(hue)) keywordHues.push(hue);
    if (DARK_WORDS.has(w)) dark++;
    if (MUTED_WORDS.has(w)) muted++;
    if (BRIGHT_WORDS.has(w)) bright++;
  }
  // Every word nudges the hashed choices, so two prompts without keywords
  // still get different palettes.
  const rand = rngFor(words.join(' ') || prompt);
  const hashedHue = rand() * 360;
  const primary = keywordHues[0] ?? hashedHue;
  // Secondary: a neighbour hue (analogous) — keeps the sky coherent.
  const secondary = keywordHues[2] ?? primary + (rand() < 0.5 ? -1 : 1) * (25 + rand() * 35);
  // Accent: a named second colour, else roughly complementary (blue sky → warm horizon).
  const accent = keywordHues[1] ?? primary + 150 + rand() * 60;
  const saturation = Math.max(0.12, Math.min(0.85, 0.5 + rand() * 0.3 - muted * 0.22));
  const mood = dark > bright ? 'dark' : bright > dark ? 'bright' : 'normal';
  return { hues: [wrapHue(primary), wrapHue(secondary), wrapHue(accent)], saturation, mood };
}

/**
 * HSL tuned for skies: plain HSL makes mid-lightness yellows muddy olive and
 * greens neon, so lighten yellows and calm greens a little.
 */
function skyColor(h: number, s: number, l: number): RGB {
  const hue = wrapHue(h);
  const yellow = Math.max(0, 1 - Math.abs(hue - 58) / 30); // 1 at 58°, 0 outside 28–88°
  const green = Math.max(0, 1 - Math.abs(hue - 115) / 45); // 1 at 115°, 0 outside 70–160°
  return hsl(hue, s * (1 - 0.35 * green) * (1 - 0.15 * yellow), l + (1 - l) * 0.3 * yellow);
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

// ---------------------------------------------------------------------------
// Ridge lines (1-D value noise)

/** Sum of octaves of smooth 1-D value noise over `width` columns, normalised to 0..1. */
function ridgeProfile(width: number, rand: () => number, peaky: boolean): Float32Array {
  const out = new Float32Array(width + 1); // +1: values at pixel edges, for anti-aliasing
  const octaves = [
    { freq: 2 + rand() * 2, amp: 1 },
    { freq: 5 + rand() * 4, amp: 0.45 },
    { freq: 13 + rand() * 8, amp: 0.18 },
    { freq: 34 + rand() * 20, amp: 0.07 },
  ];
  for (const o of octaves) {
    const n = Math.ceil(o.freq) + 2;
    const lattice = new Float32Array(n);
    for (let i = 0; i < n; i++) lattice[i] = rand();
    const offset = rand();
    for (let x = 0; x <= width; x++) {
      const t = (x / width) * o.freq + offset;
      const i = Math.floor(t);
      const f = t - i;
      const s = f * f * (3 - 2 * f);
      let v = lattice[i % n] + (lattice[(i + 1) % n] - lattice[i % n]) * s;
      // "Peaky" folds the noise so maxima become sharp summits.
      if (peaky && o.amp === 1) v = 1 - Math.abs(2 * v - 1);
      out[x] += v * o.amp;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (let x = 0; x <= width; x++) {
    if (out[x] < min) min = out[x];
    if (out[x] > max) max = out[x];
  }
  const span = max - min || 1;
  for (let x = 0; x <= width; x++) out[x] = (out[x] - min) / span;
  return out;
}

// ---------------------------------------------------------------------------
// Painting

/** Paint without encoding — exported for tests and for callers that want raw pixels. */
export function paintPixels(input: PaintInput): { width: number; height: number; rgb: Uint8Array } {
  const { prompt, seed, look } = input;
  const { W, H, sizeKey } = paintSize(input);
  const pal = palette(prompt);
  // A ratio like "720:720" is the same key as 720 × 720 given as width and height: one size, one picture.
  const rand = rngFor(look ? `${prompt}|${sizeKey}|${seed}|${look.key}` : `${prompt}|${sizeKey}|${seed}`);

  // --- Arrangement (seeded) ------------------------------------------------
  // Which prompt hue plays which role, plus a small jitter, so seeds differ in colour feel too.
  const order = [
    [0, 1, 2],
    [1, 0, 2],
    [0, 2, 1],
    [2, 1, 0],
  ][Math.floor(rand() * 4)];
  const jitter = (rand() - 0.5) * 24;
  const hTop = pal.hues[order[0]] + jitter;
  const hMid = pal.hues[order[1]] + jitter;
  const hHorizon = pal.hues[order[2]] + jitter;
  const s = pal.saturation;
  const L =
    pal.mood === 'dark'
      ? { top: 0.06, mid: 0.16, horizon: 0.36, land: 0.05, sun: 0.9 }
      : pal.mood === 'bright'
        ? { top: 0.5, mid: 0.68, horizon: 0.84, land: 0.3, sun: 0.97 }
        : { top: 0.24, mid: 0.46, horizon: 0.74, land: 0.12, sun: 0.93 };
  const skyTop = skyColor(hTop, s * 0.85, L.top + rand() * 0.06);
  const skyMid = skyColor(hMid, s, L.mid);
  const skyHorizon = skyColor(hHorizon, s * 1.1, L.horizon);
  const sunColor = hsl(hHorizon, 0.9, L.sun);
  const land = hsl(hTop + 15, s * 0.6, L.land);
  const haze = mix(skyHorizon, skyMid, 0.25);

  const lake = rand() < 0.35;
  const peaky = rand() < 0.6;
  const horizonY = H * (0.5 + rand() * 0.2);
  const sunX = W * (0.12 + rand() * 0.76);
  const sunY = horizonY - H * (0.08 + rand() * 0.3);
  const sunR = H * (pal.mood === 'dark' ? 0.035 + rand() * 0.03 : 0.05 + rand() * 0.06);
  const layerCount = 2 + Math.floor(rand() * 3);

  const img = new Float32Array(W * H * 3);

  // --- Sky: three-stop vertical gradient + sun halo ---------------------------
  const rowSky = new Float32Array(H * 3);
  for (let y = 0; y < H; y++) {
    const v = y / horizonY;
    const c = v < 0.55 ? mix(skyTop, skyMid, smoothstep(0, 0.55, v)) : mix(skyMid, skyHorizon, smoothstep(0.55, 1, v));
    rowSky[y * 3] = c[0];
    rowSky[y * 3 + 1] = c[1];
    rowSky[y * 3 + 2] = c[2];
  }
  const haloK = 1 / (sunR * sunR * 6);
  const haloStrength = pal.mood === 'dark' ? 0.35 : 0.6;
  for (let y = 0; y < H; y++) {
    const dy = y + 0.5 - sunY;
    const dy2 = dy * dy;
    const r0 = rowSky[y * 3];
    const g0 = rowSky[y * 3 + 1];
    const b0 = rowSky[y * 3 + 2];
    let p = y * W * 3;
    for (let x = 0; x < W; x++, p += 3) {
      const dx = x + 0.5 - sunX;
      const g = haloStrength / (1 + (dx * dx + dy2) * haloK);
      img[p] = r0 + (sunColor[0] - r0) * g;
      img[p + 1] = g0 + (sunColor[1] - g0) * g;
      img[p + 2] = b0 + (sunColor[2] - b0) * g;
    }
  }

  // --- Stars (dark mood only): tiny soft dots high in the sky --------------
  if (pal.mood === 'dark') {
    const stars = Math.round((W * H) / 9000);
    for (let i = 0; i < stars; i++) {
      const cx = rand() * W;
      const cy = rand() * horizonY * 0.8;
      const r = 0.6 + rand() * 1.1;
      const a = 0.35 + rand() * 0.6;
      blendDisc(img, W, H, cx, cy, r, [1, 1, 0.95], a * (1 - cy / horizonY));
    }
  }

  // --- Clouds: soft, streaky ellipses tinted by the sun ----------------------
  const cloudCount = Math.floor(rand() * 6);
  const cloudColor = mix(sunColor, skyMid, 0.35);
  for (let i = 0; i < cloudCount; i++) {
    const cy = horizonY * (0.15 + rand() * 0.7);
    const cx = rand() * W;
    const rx = W * (0.12 + rand() * 0.25);
    const ry = H * (0.012 + rand() * 0.03);
    const alpha = 0.18 + rand() * 0.35;
    blendEllipse(img, W, H, cx, cy, rx, ry, cloudColor, alpha);
    // A fainter companion streak makes the cloud look less like a pill.
    blendEllipse(img, W, H, cx + rx * (rand() - 0.5), cy + ry * (1 + rand()), rx * 0.6, ry * 0.7, cloudColor, alpha * 0.6);
  }

  // --- Sun / moon disc --------------------------------------------------------
  blendDisc(img, W, H, sunX, sunY, sunR, sunColor, 1);

  // --- A model's sky motif, behind the mountains -----------------------------
  if (look) skyMotif(img, W, H, look, { sunX, sunY, sunR, horizonY }, rngFor(`${look.key}|motif|${seed}`));

  // --- Mountain layers, far to near (atmospheric perspective) ----------------
  const waterY = lake ? Math.round(horizonY + H * 0.06) : H;
  const layers: Array<{ edges: RidgeEdges; col: RGB; mist: number; mistFrom: number }> = [];
  for (let i = 0; i < layerCount; i++) {
    const t = layerCount === 1 ? 1 : i / (layerCount - 1); // 0 far … 1 near
    const layerPeaky = peaky && t < 0.7;
    const profile = ridgeProfile(W, rand, layerPeaky);
    const base = lake ? waterY - H * (0.2 - 0.16 * t) : horizonY + H * (-0.12 + 0.3 * t);
    const amp = H * (0.3 - 0.15 * t) * (0.6 + rand() * 0.5);
    const ridge = new Float32Array(W + 1);
    for (let x = 0; x <= W; x++) ridge[x] = Math.min(base - amp * profile[x] + amp * 0.5, waterY - 1);
    // Far layers fade into the haze; the nearest is almost the land colour.
    layers.push({ edges: ridgeEdges(ridge, W), col: mix(haze, land, 0.25 + 0.75 * t), mist: (1 - t) * 0.55, mistFrom: base });
  }
  // Paint far to near, but stop each layer where a nearer one fully covers it:
  // without this, overlapping layers cost ~2.5 full-image passes instead of ~1.
  const stop = new Int32Array(W).fill(waterY);
  for (let i = layers.length - 1; i >= 0; i--) {
    const own = Int32Array.from(stop);
    const full = layers[i].edges.full;
    for (let x = 0; x < W; x++) if (full[x] < stop[x]) stop[x] = Math.max(0, full[x]);
    layers[i] = { ...layers[i], edges: { ...layers[i].edges, stop: own } };
  }
  for (const l of layers) fillBelowRidge(img, W, l.edges, l.col, haze, l.mist, l.mistFrom, H * 0.2);

  // --- Lake: mirror everything above the waterline, rippled and tinted ------
  if (lake) {
    const tint = mix(skyTop, land, 0.4);
    const rippleFreq = 0.9 + rand() * 0.6;
    const ripplePhase = rand() * Math.PI * 2;
    for (let y = waterY; y < H; y++) {
      const depth = (y - waterY) / Math.max(1, H - waterY); // 0 at shore … 1 at bottom
      const srcY = Math.max(0, 2 * waterY - y - 1);
      // Ripples grow with distance from the shore (perspective).
      const shift = Math.round(Math.sin(y * rippleFreq + ripplePhase) * (1 + depth * 6));
      const k = 0.3 + depth * 0.35; // how much of the water's own tint shows
      let p = y * W * 3;
      for (let x = 0; x < W; x++, p += 3) {
        let sx = x + shift;
        if (sx < 0) sx = 0;
        else if (sx >= W) sx = W - 1;
        const q = (srcY * W + sx) * 3;
        img[p] = img[q] + (tint[0] - img[q]) * k;
        img[p + 1] = img[q + 1] + (tint[1] - img[q + 1]) * k;
        img[p + 2] = img[q + 2] + (tint[2] - img[q + 2]) * k;
      }
    }
    // A dark foreground shore on one side grounds the picture.
    const profile = ridgeProfile(W, rand, false);
    const fromLeft = rand() < 0.5;
    const ridge = new Float32Array(W + 1);
    for (let x = 0; x <= W; x++) {
      const u = fromLeft ? x / W : 1 - x / W;
      ridge[x] = H - H * 0.22 * (1 - smoothstep(0, 0.55, u)) * (0.6 + 0.4 * profile[x]) + 2;
    }
    const edges = ridgeEdges(ridge, W);
    edges.stop.fill(H);
    fillBelowRidge(img, W, edges, mix(land, [0, 0, 0], 0.3), land, 0, H, 1);
  }

  // --- A model's overlay motif and tint ---------------------------------------
  if (look) {
    overlayMotif(img, W, H, look, rngFor(`${look.key}|overlay|${seed}`));
    tint(img, hsl(look.hue, 0.75, 0.55), 0.14);
  }

  // --- Vignette + quantise ---------------------------------------------------
  // No dithering on purpose: a dither pattern defeats PNG filtering and makes
  // files 2–3× larger and slower to encode; at 8 bits the banding is faint.
  const vx = new Float32Array(W);
  for (let x = 0; x < W; x++) vx[x] = ((x + 0.5) / W - 0.5) ** 2;
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const vy = ((y + 0.5) / H - 0.5) ** 2;
    let p = y * W * 3;
    for (let x = 0; x < W; x++, p += 3) {
      const shade = 255 * (1 - 0.45 * (vx[x] + vy));
      rgb[p] = clampByte(img[p] * shade);
      rgb[p + 1] = clampByte(img[p + 1] * shade);
      rgb[p + 2] = clampByte(img[p + 2] * shade);
    }
  }
  if (look) drawBadge(rgb, W, H, look);
  return { width: W, height: H, rgb };
}

function paintSize({ ratio, width, height }: PaintInput): { W: number; H: number; sizeKey: string } {
  if (ratio !== undefined) {
    if (!(RATIOS as readonly string[]).includes(ratio)) throw new RangeError(`paintImage: unknown ratio ${ratio}`);
    const { width: W, height: H } = ratioSize(ratio as Ratio);
    return { W, H, sizeKey: ratio };
  }
  const side = (v: number | undefined) => v !== undefined && Number.isInteger(v) && v >= 1 && v <= PAINT_MAX_SIDE;
  if (!side(width) || !side(height)) throw new RangeError(`paintImage: bad size ${width} × ${height} (1–${PAINT_MAX_SIDE} px a side)`);
  return { W: width!, H: height!, sizeKey: `${width}:${height}` };
}

function clampByte(v: number): number {
  // Uint8Array assignment truncates; +0.5 rounds. Negative/overflow clamp here.
  return v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
}

/** Blend an ellipse whose opacity fades smoothly from the centre to the rim. */
function blendEllipse(
  img: Float32Array,
  W: number,
  H: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  c: RGB,
  alpha: number,
): void {
  const x0 = Math.max(0, Math.floor(cx - rx));
  const x1 = Math.min(W - 1, Math.ceil(cx + rx));
  const y0 = Math.max(0, Math.floor(cy - ry));
  const y1 = Math.min(H - 1, Math.ceil(cy + ry));
  const irx2 = 1 / (rx * rx);
  const iry2 = 1 / (ry * ry);
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    const ey = dy * dy * iry2;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      const e = dx * dx * irx2 + ey;
      if (e >= 1) continue;
      const f = 1 - e;
      const a = f * f * alpha; // quadratic falloff: no visible rim
      const p = (y * W + x) * 3;
      img[p] += (c[0] - img[p]) * a;
      img[p + 1] += (c[1] - img[p + 1]) * a;
      img[p + 2] += (c[2] - img[p + 2]) * a;
    }
  }
}

type RidgeEdges = {
  /** Ridge height at each column's centre. */
  mid: Float32Array;
  /** 1 / width of the soft edge (steeper slope → wider edge → smoother). */
  invEdge: Float32Array;
  /** First row that the layer covers completely, per column. */
  full: Int32Array;
  /** Row (exclusive) where painting this layer can stop, per column. */
  stop: Int32Array;
  /** Highest row touched at all. */
  top: number;
};

function ridgeEdges(ridge: Float32Array, W: number): RidgeEdges {
  const mid = new Float32Array(W);
  const invEdge = new Float32Array(W);
  const full = new Int32Array(W);
  let top = Infinity;
  for (let x = 0; x < W; x++) {
    const r0 = ridge[x];
    const r1 = ridge[x + 1];
    const edge = Math.max(1, Math.abs(r1 - r0));
    mid[x] = (r0 + r1) * 0.5;
    invEdge[x] = 1 / edge;
    // Coverage (y + 0.5 - mid) / edge + 0.5 reaches 1 at y = mid + edge / 2.
    full[x] = Math.ceil(mid[x] + edge * 0.5);
    top = Math.min(top, mid[x] - edge);
  }
  return { mid, invEdge, full, stop: new Int32Array(W), top: Math.max(0, Math.floor(top)) };
}

/**
 * Fill everything below a ridge line (down to `stop` per column) with `col`,
 * blending towards `haze` from row `mistFrom` downwards (`mist` amount over
 * `mistDepth` px) — horizontal valley fog that separates the layers. The
 * ridge edge is anti-aliased using the ridge's local slope.
 */
function fillBelowRidge(
  img: Float32Array,
  W: number,
  e: RidgeEdges,
  col: RGB,
  haze: RGB,
  mist: number,
  mistFrom: number,
  mistDepth: number,
): void {
  const { mid, invEdge, stop } = e;
  let bottom = 0;
  for (let x = 0; x < W; x++) if (stop[x] > bottom) bottom = stop[x];
  for (let y = e.top; y < bottom; y++) {
    // Fog depends on the row only, so the layer colour is computed once per row.
    const m = mist * smoothstepInline((y - mistFrom) / mistDepth);
    const cr = col[0] + (haze[0] - col[0]) * m;
    const cg = col[1] + (haze[1] - col[1]) * m;
    const cb = col[2] + (haze[2] - col[2]) * m;
    let p = y * W * 3;
    for (let x = 0; x < W; x++, p += 3) {
      if (y >= stop[x]) continue;
      let a = (y + 0.5 - mid[x]) * invEdge[x] + 0.5;
      if (a <= 0) continue;
      if (a > 1) a = 1;
      img[p] += (cr - img[p]) * a;
      img[p + 1] += (cg - img[p + 1]) * a;
      img[p + 2] += (cb - img[p + 2]) * a;
    }
  }
}

function smoothstepInline(t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  return t * t * (3 - 2 * t);
}
