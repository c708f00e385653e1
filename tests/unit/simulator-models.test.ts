import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_LIST, MODELS, type ModelId, type ModelSpec } from '../../lib/freepik/models';
import { wireListSchema, wireTaskEnvelopeSchema } from '../../lib/freepik/schemas';
import { simulatorControl } from '../../lib/simulator/control';
import { paintedSize } from '../../lib/simulator/models';
import { paintImage, PAINT_MAX_SIDE } from '../../lib/simulator/paint';
import { startSimulator, type RunningSimulator } from '../../lib/simulator/server';

/**
 * The simulator serves every model of the registry (issue #13): each model's create, get and list paths, with
 * the strictness, response shapes, pictures, faults and webhooks the contracts describe
 * (shared/freepik-models.md). RunWay's own behaviour is pinned in simulator.test.ts.
 */

const KEY = 'test-key';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY, inProgressAfterMs: 30, completeAfterMs: 100 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({
    inProgressAfterMs: 30,
    completeAfterMs: 100,
    imageUrlTtlMs: 10 * 60 * 1000,
    imagenBase64: false,
    faults: { rate429: 0, rate500: 0, rate503: 0, failRate: 0, lostResponseRate: 0 },
    webhookSecret: undefined,
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked structurally by expect()
type Reply = { status: number; json: any };

async function api(method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { 'content-type': 'application/json', 'x-freepik-api-key': KEY },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The body Darkroom itself would send for a prompt at the model's default size (seeded where it has a seed). */
function bodyFor(spec: ModelSpec, prompt = 'misty teal forest', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...spec.toBody({ prompt, size: spec.defaultSize, seed: spec.seed ? spec.seed.min + 7 : undefined, settings: {} }), ...extra };
}

async function create(spec: ModelSpec, body: Record<string, unknown>): Promise<string> {
  const r = await api('POST', spec.path, body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json.data.task_id;
}

async function waitFinal(spec: ModelSpec, taskId: string): Promise<Reply> {
  for (let i = 0; i < 200; i++) {
    const r = await api('GET', `${spec.path}/${taskId}`);
    expect(r.status).toBe(200);
    if (r.json.data.status === 'COMPLETED' || r.json.data.status === 'FAILED') return r;
    await sleep(15);
  }
  throw new Error('task never finished');
}

/** The pictures of a completed task, downloaded (URLs) or decoded (base64). */
async function pictures(spec: ModelSpec, body: Record<string, unknown>): Promise<Buffer[]> {
  const id = await create(spec, body);
  const done = await waitFinal(spec, id);
  expect(done.json.data.status).toBe('COMPLETED');
  return Promise.all(
    (done.json.data.generated as string[]).map(async (entry) => {
      if (!entry.startsWith('http')) return Buffer.from(entry, 'base64');
      const res = await fetch(entry);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      return Buffer.from(await res.arrayBuffer());
    }),
  );
}

const names = (r: Reply) => (r.json.invalid_params as Array<{ name: string }>).map((p) => p.name);
const spec = (id: ModelId) => MODELS[id];

/** Required fields per the contracts (freepik-models.md, "How these differ from RunWay"). */
const REQUIRED: Record<ModelId, string[]> = {
  runway: ['prompt', 'ratio'],
  'flux-dev': [],
  hyperflux: [],
  'flux-pro-v1-1': ['prompt'],
  'seedream-v4': ['prompt'],
  imagen3: ['prompt'],
  mystic: [],
};

/** Values past each endpoint's documented limits, and the field the 400 must name. */
const OUT_OF_RANGE: Record<ModelId, Array<[Record<string, unknown>, string]>> = {
  runway: [
    [{ seed: 4294967296 }, 'seed'],
    [{ prompt: 'x'.repeat(1001) }, 'prompt'],
  ],
  'flux-dev': [
    [{ seed: 0 }, 'seed'],
    [{ seed: 4294967296 }, 'seed'],
    [{ aspect_ratio: 'smartphone_horizontal_20_9' }, 'aspect_ratio'],
    [{ styling: { colors: [{ color: '#FF8800', weight: 0.01 }] } }, 'styling.colors.0.weight'],
    [{ styling: { colors: [{ color: '#ff8800', weight: 0.5 }] } }, 'styling.colors.0.color'],
  ],
  hyperflux: [
    [{ seed: 0 }, 'seed'],
    [{ styling: { effects: { lightning: 'moonlight' } } }, 'styling.effects.lightning'],
  ],
  'flux-pro-v1-1': [
    [{ safety_tolerance: 7 }, 'safety_tolerance'],
    [{ safety_tolerance: -1 }, 'safety_tolerance'],
    [{ output_format: 'webp' }, 'output_format'],
  ],
  'seedream-v4': [
    [{ guidance_scale: 20.5 }, 'guidance_scale'],
    [{ seed: 2147483648 }, 'seed'],
    [{ aspect_ratio: 'horizontal_2_1' }, 'aspect_ratio'],
  ],
  imagen3: [
    [{ num_images: 5 }, 'num_images'],
    [{ num_images: 0 }, 'num_images'],
    [{ aspect_ratio: 'standard_3_2' }, 'aspect_ratio'],
  ],
  mystic: [
    [{ creative_detailing: 101 }, 'creative_detailing'],
    [{ resolution: '8k' }, 'resolution'],
    [{ styling: { styles: [{ name: 'a' }, { name: 'b' }] } }, 'styling.styles'],
    [{ model: 'fluid', aspect_ratio: 'standard_3_2' }, 'aspect_ratio'],
  ],
};

/** Flux Dev and Flux Pro 1.1 answer a create without `generated` (freepik-models.md §1, §6). */
const CREATE_WITHOUT_GENERATED: ModelId[] = ['flux-dev', 'flux-pro-v1-1'];

describe('simulator: every model is served', () => {
  it('serves all seven models of the registry', () => {
    expect(MODEL_LIST.map((m) => m.id).sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  describe.each(MODEL_LIST.map((m) => [m.id, m] as const))('%s', (_id, model) => {
    it('refuses an unknown field, naming it (also nested ones)', async () => {
      const r = await api('POST', model.path, { ...bodyFor(model), sharpness: 3 });
      expect(r.status).toBe(400);
      expect(r.json.message).toBe('Invalid request');
      expect(r.json.invalid_params).toContainEqual({ name: 'sharpness', reason: 'Unknown field "sharpness".' });
      const nested = await api('POST', model.path, { ...bodyFor(model), styling: { glitter: true } });
      expect(nested.status).toBe(400);
      // Unknown inside `styling` where the model has one; `styling` itself unknown where it has none.
      expect(names(nested).some((n) => n === 'styling.glitter' || n === 'styling')).toBe(true);
    });

    it('refuses out-of-range and badly typed values, naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        ...OUT_OF_RANGE[model.id],
        [{ prompt: 42 }, 'prompt'],
        [{ webhook_url: 'not a url' }, 'webhook_url'],
        [{ webhook_url: 'ftp://example.com/hook' }, 'webhook_url'],
      ];
      if (model.seed) cases.push([{ seed: 1.5 }, 'seed'], [{ seed: String(model.seed.min + 1) }, 'seed']);
      else cases.push([{ seed: 1 }, 'seed']); // no seed field at all: unknown
      for (const [patch, field] of cases) {
        const r = await api('POST', model.path, { ...bodyFor(model), ...patch });
        expect(r.status, JSON.stringify(patch)).toBe(400);
        expect(names(r), JSON.stringify(patch)).toContain(field);
      }
      expect(sim.log.creates.every((c) => c.status === 400 && c.model === model.id)).toBe(true);
      expect((await api('GET', model.path)).json).toEqual({ data: [] });
    });

    it('requires exactly the documented fields, and takes a minimal body', async () => {
      const full = bodyFor(model);
      for (const field of Object.keys(full)) {
        const rest = Object.fromEntries(Object.entries(full).filter(([key]) => key !== field));
        const r = await api('POST', model.path, rest);
        if (REQUIRED[model.id].includes(field)) {
          expect(r.status, field).toBe(400);
          expect(r.json.invalid_params).toContainEqual({ name: field, reason: `${field} is required.` });
        } else {
          expect(r.status, field).toBe(200);
        }
      }
      const minimal = Object.fromEntries(REQUIRED[model.id].map((field) => [field, full[field]]));
      expect((await api('POST', model.path, minimal)).status).toBe(200);
      if (REQUIRED[model.id].includes('prompt')) {
        const blank = await api('POST', model.path, { ...minimal, prompt: '   ' });
        expect(blank.status).toBe(400);
        expect(names(blank)).toContain('prompt');
      }
      expect((await api('POST', model.path, [minimal])).status).toBe(400);
    });

    it('answers a create in the documented shape, and the model reads every answer', async () => {
      const r = await api('POST', model.path, bodyFor(model));
      expect(r.status).toBe(200);
      const expected = CREATE_WITHOUT_GENERATED.includes(model.id)
        ? { task_id: expect.any(String), status: 'CREATED' }
        : { task_id: expect.any(String), status: 'CREATED', generated: [] };
      expect(r.json).toEqual({ data: expected });
      expect(model.reshape(wireTaskEnvelopeSchema.parse(r.json).data)).toEqual({
        taskId: r.json.data.task_id,
        status: 'CREATED',
        imageUrls: [],
      });
      const done = await waitFinal(model, r.json.data.task_id);
      expect(done.json.data).toEqual({ task_id: r.json.data.task_id, status: 'COMPLETED', generated: [expect.any(String)] });
      const task = model.reshape(wireTaskEnvelopeSchema.parse(done.json).data);
      expect(task.imageUrls[0]).toMatch(new RegExp(`^${sim.url}/content/${model.id}/${task.taskId}\\.png\\?token=`));
      expect(wireListSchema.parse((await api('GET', model.path)).json).data).toEqual([{ task_id: task.taskId, status: 'COMPLETED' }]);
    });

    it('completes with a picture of the expected shape (no side over 2048 px)', async () => {
      const sizes = [model.sizes[0], model.sizes[model.sizes.length - 1]];
      for (const size of sizes) {
        const body = model.toBody({ prompt: 'lighthouse at dusk', size: size.id, settings: {} });
        const [png] = await pictures(model, body);
        const meta = await sharp(png).metadata();
        const expected = paintedSize(model.expectedSize(body));
        expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({ ...expected, format: 'png' });
        expect(meta.width / meta.height).toBeCloseTo(size.width / size.height, 6);
      }
    });

    it('fails a task whose prompt carries [sim:fail], and 404s a task of another model', async () => {
      const id = await create(model, bodyFor(model, 'doomed [sim:fail]'));
      const done = await waitFinal(model, id);
      expect(done.json.data).toEqual({ task_id: id, status: 'FAILED', generated: [] });
      const other = MODEL_LIST.find((m) => m.id !== model.id)!;
      expect(await api('GET', `${other.path}/${id}`)).toEqual({ status: 404, json: { message: 'AI resource not found' } });
      expect((await api('GET', `${model.path}/046b6c7f-0b8a-43b9-b35d-6489e6daee91`)).status).toBe(404);
      expect((await api('DELETE', `${model.path}/${id}`)).status).toBe(405);
    });
  });
});

describe('simulator: pictures per model', () => {
  it('paints the same picture for the same model, prompt, size and seed, and another for another model', async () => {
    const body = bodyFor(spec('flux-dev'), 'harbour at dawn', { seed: 1234, aspect_ratio: 'classic_4_3' });
    const [a] = await pictures(spec('flux-dev'), body);
    const [b] = await pictures(spec('flux-dev'), body);
    expect(b.equals(a)).toBe(true);
    // HyperFlux takes the very same body: another model, another picture (its name, tint and motif).
    const [c] = await pictures(spec('hyperflux'), body);
    expect(c.equals(a)).toBe(false);
    expect(await meanAbsDiff(a, c)).toBeGreaterThan(8);
    // Another seed, another size: other pictures.
    expect((await pictures(spec('flux-dev'), { ...body, seed: 1235 }))[0].equals(a)).toBe(false);
    const [wide] = await pictures(spec('flux-dev'), { ...body, aspect_ratio: 'widescreen_16_9' });
    expect(await sharp(wide).metadata()).toMatchObject({ width: 1344, height: 756 });
  });

  it('paints a new picture for each seedless task; Mystic with fixed_generation repeats from its settings', async () => {
    const imagen = bodyFor(spec('imagen3'), 'harbour at dawn');
    expect((await pictures(spec('imagen3'), imagen))[0].equals((await pictures(spec('imagen3'), imagen))[0])).toBe(false);
    const seedless = bodyFor(spec('seedream-v4'), 'harbour at dawn', { seed: undefined });
    expect((await pictures(spec('seedream-v4'), seedless))[0].equals((await pictures(spec('seedream-v4'), seedless))[0])).toBe(false);

    const mystic = spec('mystic');
    const loose = bodyFor(mystic, 'harbour at dawn', { resolution: '1k' });
    expect((await pictures(mystic, loose))[0].equals((await pictures(mystic, loose))[0])).toBe(false);
    const fixed = { ...loose, fixed_generation: true };
    const [f1] = await pictures(mystic, fixed);
    expect((await pictures(mystic, { ...fixed })).at(0)!.equals(f1)).toBe(true);
    // Other settings, another picture.
    expect((await pictures(mystic, { ...fixed, creative_detailing: 80 }))[0].equals(f1)).toBe(false);
  });

  it('paints Mystic 2k and 4k at the largest size of their exact shape with no side over 2048 px', async () => {
    const mystic = spec('mystic');
    const square4k = bodyFor(mystic, 'peak', { resolution: '4k', fixed_generation: true });
    const wide2k = bodyFor(mystic, 'peak', { resolution: '2k', aspect_ratio: 'widescreen_16_9', fixed_generation: true });
    expect(mystic.expectedSize(square4k)).toEqual({ width: 4096, height: 4096 });
    expect(await sharp((await pictures(mystic, square4k))[0]).metadata()).toMatchObject({ width: 2048, height: 2048 });
    expect(await sharp((await pictures(mystic, wide2k))[0]).metadata()).toMatchObject({ width: 2048, height: 1152 });
    const log = await simulatorControl<{ tasks: Array<Record<string, unknown>> }>({ url: sim.url, apiKey: KEY }, '/__sim/log');
    expect(log.tasks).toEqual([
      expect.objectContaining({
        model: 'mystic',
        size: 'square_1_1',
        width: 4096,
        height: 4096,
        painted_width: 2048,
        painted_height: 2048,
      }),
      expect.objectContaining({
        model: 'mystic',
        size: 'widescreen_16_9',
        width: 2688,
        height: 1512,
        painted_width: 2048,
        painted_height: 1152,
      }),
    ]);
  });

  it('caps painted sizes keeping the exact shape', () => {
    expect(paintedSize({ width: 1344, height: 756 })).toEqual({ width: 1344, height: 756 });
    expect(paintedSize({ width: 5376, height: 3024 })).toEqual({ width: 2048, height: 1152 });
    expect(paintedSize({ width: 6400, height: 2880 })).toEqual({ width: 2040, height: 918 }); // 20:9
    expect(paintedSize({ width: 4096, height: 4096 })).toEqual({ width: PAINT_MAX_SIDE, height: PAINT_MAX_SIDE });
    for (const model of MODEL_LIST) {
      for (const size of model.sizes) {
        const painted = paintedSize(model.expectedSize(model.toBody({ prompt: 'x', size: size.id, settings: {} })));
        expect(Math.max(painted.width, painted.height)).toBeLessThanOrEqual(PAINT_MAX_SIDE);
        expect(painted.width * size.height).toBe(painted.height * size.width);
      }
    }
  });

  it('paints RunWay by size exactly as by ratio (the classic picture, no badge)', async () => {
    const byRatio = await paintImage({ prompt: 'misty teal forest at sunset', ratio: '720:720', seed: 7 });
    expect((await paintImage({ prompt: 'misty teal forest at sunset', width: 720, height: 720, seed: 7 })).equals(byRatio)).toBe(true);
    const [served] = await pictures(spec('runway'), { prompt: 'misty teal forest at sunset', ratio: '720:720', seed: 7 });
    expect(served.equals(byRatio)).toBe(true);
  });
});

describe('simulator: tasks, faults and webhooks per model', () => {
  it('lists only the tasks of the model asked, newest first', async () => {
    const ids = new Map<ModelId, string[]>();
    for (const model of MODEL_LIST) {
      ids.set(model.id, [await create(model, bodyFor(model, 'one')), await create(model, bodyFor(model, 'two'))]);
    }
    for (const model of MODEL_LIST) {
      const list = await api('GET', model.path);
      expect(list.status).toBe(200);
      expect(list.json.data.map((t: { task_id: string }) => t.task_id)).toEqual([...ids.get(model.id)!].reverse());
    }
    expect(sim.log.listCalls).toBe(MODEL_LIST.length);
  });

  it('does not serve one model’s picture under another model’s path', async () => {
    const flux = spec('flux-dev');
    const id = await create(flux, bodyFor(flux));
    const url: string = (await waitFinal(flux, id)).json.data.generated[0];
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.replace('/content/flux-dev/', '/content/hyperflux/'))).status).toBe(403);
    expect((await fetch(url.replace('/content/flux-dev/', '/content/nonsense/'))).status).toBe(404);
  });

  it('injects faults and loses create responses on every model', async () => {
    const seedream = spec('seedream-v4');
    sim.configure({ faults: { rate503: 1 } });
    expect(await api('POST', seedream.path, bodyFor(seedream))).toEqual({ status: 503, json: { message: 'Service unavailable' } });
    expect((await api('GET', seedream.path)).status).toBe(503);
    sim.configure({ faults: { rate503: 0, lostResponseRate: 1 } });
    const mystic = spec('mystic');
    await expect(api('POST', mystic.path, bodyFor(mystic))).rejects.toThrow();
    sim.configure({ faults: { lostResponseRate: 0 } });
    expect((await api('GET', mystic.path)).json.data).toHaveLength(1);
    expect((await api('GET', seedream.path)).json.data).toHaveLength(0);
    expect(sim.log.creates.map((c) => [c.model, c.status])).toEqual([
      ['seedream-v4', 503],
      ['mystic', 0],
    ]);
  });

  it('expires picture URLs of every model', async () => {
    sim.configure({ imageUrlTtlMs: 1 });
    const pro = spec('flux-pro-v1-1');
    const url: string = (await waitFinal(pro, await create(pro, bodyFor(pro)))).json.data.generated[0];
    await sleep(5);
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Expired' });
  });

  it('POSTs signed webhook deliveries for another model, with its picture URLs', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      sim.configure({ webhookSecret: 'plain-secret' });
      const port = (receiver.address() as AddressInfo).port;
      const hyper = spec('hyperflux');
      const id = await create(hyper, bodyFor(hyper, 'hooked', { webhook_url: `http://127.0.0.1:${port}/hook` }));
      for (let i = 0; i < 100 && received.length < 2; i++) await sleep(20);
      expect(received.map((r) => JSON.parse(r.body))).toEqual([
        { task_id: id, status: 'IN_PROGRESS', generated: [] },
        { task_id: id, status: 'COMPLETED', generated: [expect.stringContaining(`/content/hyperflux/${id}.png?token=`)] },
      ]);
      for (const { headers, body } of received) {
        const mac = createHmac('sha256', 'plain-secret')
          .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
          .digest('base64');
        expect(headers['webhook-signature']).toBe(`v1,${mac}`);
      }
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});

describe('simulator: Imagen 3 answers with base64 pictures when asked', () => {
  it('is off by default, switched through /__sim/config, and affects Imagen 3 only', async () => {
    const imagen = spec('imagen3');
    const body = bodyFor(imagen, 'koi pond', { num_images: 3, aspect_ratio: 'widescreen_16_9' });
    const off = await waitFinal(imagen, await create(imagen, body));
    expect(off.json.data.generated).toEqual([0, 1, 2].map(() => expect.stringMatching(/^http:\/\/.+\/content\/imagen3\/.+\.png\?token=/)));
    expect(new Set(off.json.data.generated.map((u: string) => u.split('?')[0])).size).toBe(3);

    const config = await simulatorControl<{ options: Record<string, unknown> }>({ url: sim.url, apiKey: KEY }, '/__sim/config', {
      imagenBase64: true,
    });
    expect(config.options.imagenBase64).toBe(true);
    expect(sim.options.imagenBase64).toBe(true);
    const on = await waitFinal(imagen, await create(imagen, body));
    const generated = on.json.data.generated as string[];
    expect(generated).toHaveLength(3);
    const pngs = generated.map((entry) => {
      expect(entry).toMatch(/^iVBORw0KGgo[A-Za-z0-9+/]+=*$/);
      return Buffer.from(entry, 'base64');
    });
    for (const png of pngs) expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 1344, height: 756 });
    expect(pngs[0].equals(pngs[1])).toBe(false);
    // The model module reads them as data: URLs.
    const task = imagen.reshape(wireTaskEnvelopeSchema.parse(on.json).data);
    expect(task.imageUrls.every((u) => u.startsWith('data:image/png;base64,iVBOR'))).toBe(true);

    // Other models still answer with links.
    const flux = spec('flux-dev');
    const url: string = (await waitFinal(flux, await create(flux, bodyFor(flux)))).json.data.generated[0];
    expect(url).toMatch(/^http:\/\//);
    expect((await api('POST', '/__sim/config', { imagenBase64: 'yes' })).status).toBe(400);
  });
});

async function meanAbsDiff(a: Buffer, b: Buffer): Promise<number> {
  const [ra, rb] = await Promise.all([a, b].map((buf) => sharp(buf).raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < ra.length; i++) sum += Math.abs(ra[i] - rb[i]);
  return sum / ra.length;
}
