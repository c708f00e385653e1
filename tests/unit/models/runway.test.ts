import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { UpstreamError } from '@/lib/freepik/errors';
import { RATIOS, runwayModel as spec } from '@/lib/freepik/models/runway';
import { accepts } from './helpers';

const body = spec.bodySchema;
const request = { prompt: 'a fox', size: '1920:1080', seed: 0, settings: {} };

describe('RunWay', () => {
  it('is the model of exact pixel sizes and a documented 1000-character prompt', () => {
    expect(spec.id).toBe('runway');
    expect(spec.path).toBe('/v1/ai/text-to-image/runway');
    expect(spec.sizes.map((s) => s.id)).toEqual([...RATIOS]);
    expect(spec.sizes).toHaveLength(16);
    expect(spec.shapeOnly).toBe(false);
    expect(spec.promptMax).toBe(1000);
    expect(spec.promptMaxDocumented).toBe(true);
    expect(spec.seed).toEqual({ min: 0, max: 4294967295 });
    expect(spec.settingsFields).toEqual([]);
  });

  it('requires prompt (1–1000) and ratio; bounds the seed; nothing extra', () => {
    expect(accepts(body, { prompt: 'p', ratio: '720:720' })).toBe(true);
    expect(accepts(body, { prompt: 'p' })).toBe(false);
    expect(accepts(body, { ratio: '720:720' })).toBe(false);
    expect(accepts(body, { prompt: '', ratio: '720:720' })).toBe(false);
    expect(accepts(body, { prompt: 'x'.repeat(1000), ratio: '720:720' })).toBe(true);
    expect(accepts(body, { prompt: 'x'.repeat(1001), ratio: '720:720' })).toBe(false);
    expect(accepts(body, { prompt: 'p', ratio: 'square_1_1' })).toBe(false);
    for (const seed of [0, 4294967295]) expect(accepts(body, { prompt: 'p', ratio: '720:720', seed })).toBe(true);
    for (const seed of [-1, 4294967296, 1.5]) expect(accepts(body, { prompt: 'p', ratio: '720:720', seed })).toBe(false);
    expect(accepts(body, { prompt: 'p', ratio: '720:720', aspect_ratio: 'square_1_1' })).toBe(false);
  });

  it('round-trips, sets seeds, reproduces with a seed and expects the exact size', () => {
    const sent = spec.toBody(request);
    expect(sent).toEqual({ prompt: 'a fox', ratio: '1920:1080', seed: 0 });
    expect(spec.fromBody(sent)).toEqual(request);
    expect(spec.withSeed(sent, 5).seed).toBe(5);
    expect(() => spec.withSeed(sent, -1)).toThrow(ZodError);
    expect(spec.reproducible(sent)).toBe(true);
    expect(spec.reproducible({ prompt: 'a', ratio: '720:720' })).toBe(false);
    expect(spec.expectedSize(sent)).toEqual({ width: 1920, height: 1080 });
  });

  it('reshapes links and refuses base64', () => {
    expect(spec.reshape({ task_id: 't', status: 'IN_PROGRESS', generated: [] }).imageUrls).toEqual([]);
    expect(() => spec.reshape({ task_id: 't', status: 'COMPLETED', generated: ['iVBORw0KGgo='] })).toThrow(UpstreamError);
  });
});
