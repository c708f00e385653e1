import { describe, expect, it } from 'vitest';
import { RATIOS, type Ratio } from '@/lib/generation/schema';
import {
  familiarName,
  GROUP_STARTS,
  isRatio,
  optionName,
  ORDERED_RATIOS,
  pageTarget,
  pixelSize,
  placePopup,
  RATIO_GROUPS,
  ratioShape,
  shapeBox,
  typeAhead,
} from '@/lib/generation/ratio-groups';

describe('ratio groups', () => {
  it('puts every ratio in exactly one group: 9 landscape, 3 square, 4 portrait', () => {
    expect(RATIO_GROUPS.map((g) => [g.title, g.ratios.length])).toEqual([
      ['Landscape', 9],
      ['Square', 3],
      ['Portrait', 4],
    ]);
    expect([...ORDERED_RATIOS].sort()).toEqual([...RATIOS].sort());
    for (const group of RATIO_GROUPS) for (const ratio of group.ratios) expect(ratioShape(ratio)).toBe(group.shape);
    expect(GROUP_STARTS).toEqual([0, 9, 12]);
  });

  it('orders each group by familiar shape, then from the smallest picture to the largest', () => {
    expect(RATIO_GROUPS[0].ratios).toEqual([
      '960:720',
      '1168:880',
      '1440:1080',
      '1280:720',
      '1360:768',
      '1920:1080',
      '1680:720',
      '1808:768',
      '2112:912',
    ]);
    expect(RATIO_GROUPS[1].ratios).toEqual(['720:720', '1024:1024', '1080:1080']);
    expect(RATIO_GROUPS[2].ratios).toEqual(['720:960', '1080:1440', '720:1280', '1080:1920']);
  });

  it('names options with the ratio string first, the familiar name, the shape and the pixel size', () => {
    expect(optionName('1920:1080')).toBe('1920:1080 · 16:9 landscape · 1920 × 1080 px');
    expect(optionName('2112:912')).toBe('2112:912 · ≈21:9 landscape · 2112 × 912 px');
    expect(optionName('720:720')).toBe('720:720 · 1:1 square · 720 × 720 px');
    expect(optionName('1080:1920')).toBe('1080:1920 · 9:16 portrait · 1080 × 1920 px');
    for (const ratio of RATIOS) expect(optionName(ratio).startsWith(`${ratio} · `)).toBe(true);
    expect(familiarName('1360:768')).toBe('≈16:9');
    expect(familiarName('1440:1080')).toBe('4:3');
    expect(pixelSize('1168:880')).toBe('1168 × 880');
  });

  it('tells supported ratios from anything else', () => {
    expect(isRatio('1920:1080')).toBe(true);
    expect(isRatio('1920:1081')).toBe(false);
    expect(isRatio('')).toBe(false);
  });

  it('draws shape boxes with the real proportions, fitted to the box', () => {
    expect(shapeBox('1920:1080')).toEqual({ width: 28, height: 16 });
    expect(shapeBox('1080:1920')).toEqual({ width: 16, height: 28 });
    expect(shapeBox('720:720')).toEqual({ width: 28, height: 28 });
    expect(shapeBox('2112:912', 20)).toEqual({ width: 20, height: 9 });
    for (const ratio of RATIOS) {
      const { width, height } = shapeBox(ratio);
      expect(Math.max(width, height)).toBe(28);
    }
  });
});

describe('type-ahead', () => {
  const texts: readonly Ratio[] = ORDERED_RATIOS;
  const at = (ratio: Ratio) => texts.indexOf(ratio);

  it('a first keystroke finds the next option starting with it, wrapping around', () => {
    expect(typeAhead(texts, '7', -1)).toBe(at('720:720'));
    expect(typeAhead(texts, '7', at('720:720'))).toBe(at('720:960'));
    expect(typeAhead(texts, '7', at('720:1280'))).toBe(at('720:720'));
    expect(typeAhead(texts, '9', at('1080:1920'))).toBe(at('960:720'));
  });

  it('a growing query stays on the active option while it still matches', () => {
    expect(typeAhead(texts, '19', at('1168:880'))).toBe(at('1920:1080'));
    expect(typeAhead(texts, '192', at('1920:1080'))).toBe(at('1920:1080'));
    expect(typeAhead(texts, '72', at('720:720'))).toBe(at('720:720'));
    expect(typeAhead(texts, '720:9', at('720:720'))).toBe(at('720:960'));
    expect(typeAhead(texts, '1080:19', 0)).toBe(at('1080:1920'));
  });

  it('a repeated character cycles through the options starting with it', () => {
    expect(typeAhead(texts, '77', at('720:720'))).toBe(at('720:960'));
    expect(typeAhead(texts, '777', at('720:960'))).toBe(at('720:1280'));
  });

  it('returns -1 when nothing matches', () => {
    expect(typeAhead(texts, 'x', 0)).toBe(-1);
    expect(typeAhead(texts, '19x', 0)).toBe(-1);
    expect(typeAhead(texts, '', 0)).toBe(-1);
    expect(typeAhead([], '1', 0)).toBe(-1);
  });
});

describe('page up / page down', () => {
  const count = ORDERED_RATIOS.length;

  it('PageDown jumps to the next group, then to the last option', () => {
    expect(pageTarget(GROUP_STARTS, count, 0, 'down')).toBe(9);
    expect(pageTarget(GROUP_STARTS, count, 4, 'down')).toBe(9);
    expect(pageTarget(GROUP_STARTS, count, 9, 'down')).toBe(12);
    expect(pageTarget(GROUP_STARTS, count, 12, 'down')).toBe(15);
    expect(pageTarget(GROUP_STARTS, count, 15, 'down')).toBe(15);
  });

  it("PageUp jumps to the group's first option, then to the previous group", () => {
    expect(pageTarget(GROUP_STARTS, count, 14, 'up')).toBe(12);
    expect(pageTarget(GROUP_STARTS, count, 12, 'up')).toBe(9);
    expect(pageTarget(GROUP_STARTS, count, 9, 'up')).toBe(0);
    expect(pageTarget(GROUP_STARTS, count, 3, 'up')).toBe(0);
    expect(pageTarget(GROUP_STARTS, count, 0, 'up')).toBe(0);
  });
});

describe('popup placement', () => {
  const desktop = { width: 1280, height: 800 };
  const phone = { width: 375, height: 812 };

  it('opens below the trigger when it fits (composer pinned to the top)', () => {
    const placed = placePopup({ trigger: { top: 200, bottom: 240, left: 300 }, popup: { width: 640, height: 420 }, viewport: desktop });
    expect(placed).toEqual({ side: 'below', left: 300, top: 244, maxHeight: 420 });
  });

  it('opens above when there is more room there (composer pinned to the bottom of a phone)', () => {
    const placed = placePopup({ trigger: { top: 640, bottom: 680, left: 16 }, popup: { width: 359, height: 560 }, viewport: phone });
    expect(placed).toEqual({ side: 'above', left: 8, bottom: 812 - 640 + 4, maxHeight: 560 });
  });

  it('scrolls inside when neither side is tall enough, on the roomier side', () => {
    const above = placePopup({ trigger: { top: 500, bottom: 540, left: 8 }, popup: { width: 359, height: 900 }, viewport: phone });
    expect(above).toMatchObject({ side: 'above', maxHeight: 500 - 4 - 8 });
    const below = placePopup({ trigger: { top: 200, bottom: 240, left: 8 }, popup: { width: 359, height: 900 }, viewport: phone });
    expect(below).toMatchObject({ side: 'below', top: 244, maxHeight: 812 - 240 - 4 - 8 });
  });

  it('never runs past the left or right edge of the viewport', () => {
    expect(placePopup({ trigger: { top: 0, bottom: 40, left: 1000 }, popup: { width: 640, height: 300 }, viewport: desktop }).left).toBe(
      1280 - 8 - 640,
    );
    expect(placePopup({ trigger: { top: 0, bottom: 40, left: -30 }, popup: { width: 300, height: 300 }, viewport: desktop }).left).toBe(8);
    // Wider than the viewport (the CSS should prevent it): pinned to the left margin.
    expect(placePopup({ trigger: { top: 0, bottom: 40, left: 20 }, popup: { width: 500, height: 300 }, viewport: phone }).left).toBe(8);
  });

  it('keeps a usable minimum height even when squeezed', () => {
    const placed = placePopup({
      trigger: { top: 20, bottom: 60, left: 8 },
      popup: { width: 300, height: 600 },
      viewport: { width: 375, height: 150 },
    });
    expect(placed.maxHeight).toBe(120);
  });
});
