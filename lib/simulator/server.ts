import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ModelSpec } from '../freepik/models';
import { CONTROL_PREFIX, DEFAULT_KEY_HEADER, HEALTH_PATH, isLoopbackHost } from './control';
import { paintInput, planPictures, routeOf, servedModel, sizeIdOf, validateBody, type PicturePlan } from './models';
import { paintImage } from './paint';

/**
 * A faithful, self-contained stand-in for Freepik's text-to-image API — RunWay
 * (see /work/shared/freepik-runway.md) and every other model of the registry
 * (lib/freepik/models; /work/shared/freepik-models.md) — served over real HTTP
 * so the app's client code runs unchanged against it: same paths, same auth
 * header, same JSON shapes and error bodies, signed expiring image URLs,
 * Standard Webhooks deliveries, plus knobs to inject the failures the real
 * service can produce. Each model has its create, get and list paths; a task
 * belongs to the model it was created under. What is model-specific (paths,
 * bodies, sizes, seeds, what a task paints) lives in ./models.ts.
 *
 * Used two ways: started in-process by the app's demo mode, and as a separate
 * process (scripts/simulator.ts) by tests, which drive it through /__sim/*
 * (loopback Host and the API key required: see ./control.ts).
 */

// ---------------------------------------------------------------------------
// Public types

/** Probabilities (0..1) of injected faults. */
export type SimulatorFaults = {
  /** API request answered 429 "Too many requests". */
  rate429: number;
  /** API request answered 500 "Internal server error". */
  rate500: number;
  /** API request answered 503 "Service unavailable". */
  rate503: number;
  /** A created task ends FAILED instead of COMPLETED (decided at creation). */
  failRate: number;
  /**
   * Extra: a create that DOES create the task but whose response is lost
   * (the socket is destroyed) — the ambiguous case the contract warns about,
   * for testing reconciliation via the list endpoint. Default 0.
   */
  lostResponseRate?: number;
};

/** Extra: misbehaving webhook deliveries (the contract says all of these can happen). */
export type SimulatorWebhookFaults = {
  /** Probability a delivery is sent twice (same webhook-id, fresh timestamp/signature). */
  duplicateRate: number;
  /** Probability a delivery is never sent. */
  dropRate: number;
  /** Deliver the final status before IN_PROGRESS. */
  reorder: boolean;
};

export type SimulatorOptions = {
  host: string;
  port: number;
  apiKey: string;
  /** Header carrying the key; matched case-insensitively (HTTP header names are). */
  keyHeader: string;
  /** CREATED → IN_PROGRESS after this many ms from creation. */
  inProgressAfterMs: number;
  /** → COMPLETED / FAILED after this many ms from creation. */
  completeAfterMs: number;
  /** Lifetime of the signed image URLs handed out in `generated`. */
  imageUrlTtlMs: number;
  faults: SimulatorFaults;
  /** When set, tasks created with webhook_url get signed deliveries on each status change. */
  webhookSecret?: string;
  webhookFaults?: SimulatorWebhookFaults;
  /** Randomness for fault decisions (inject a fixed sequence in tests). */
  random?: () => number;
  /** Extra: delay before answering every API request, for client-timeout tests. Default 0. */
  latencyMs?: number;
  /** Extra: base URL used in image links, if clients reach the simulator under another address. */
  publicUrl?: string;
  /**
   * Imagen 3 only: a completed task's `generated` holds base64-encoded PNGs (no `data:` prefix, as the docs'
   * example) instead of picture URLs — the docs contradict themselves, the app must read both. Default off.
   */
  imagenBase64?: boolean;
};

/** Like Partial<SimulatorOptions>, but faults may be given partially too. */
export type SimulatorPatch = Omit<Partial<SimulatorOptions>, 'faults' | 'webhookFaults'> & {
  faults?: Partial<SimulatorFaults>;
  webhookFaults?: Partial<SimulatorWebhookFaults>;
};

export type SimulatorLog = {
  /** `model` is the registry id of the path called (every API call names one). */
  creates: Array<{ at: number; model: string; body: unknown; taskId?: string; status: number }>;
  statusCalls: Array<{ at: number; model: string; taskId: string; status: number }>;
  /** List calls of all models together. */
  listCalls: number;
  imageDownloads: Array<{ at: number; model: string; taskId: string; status: number }>;
  /** Extra: every webhook delivery attempt (responseStatus/error filled in when the POST settles). */
  webhookDeliveries: Array<{
    at: number;
    taskId: string;
    webhookId: string;
    status: TaskStatus;
    url: string;
    dropped: boolean;
    responseStatus?: number;
    error?: string;
  }>;
};

export type RunningSimulator = {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  port: number;
  /** Live options; configure() mutates them. */
  options: SimulatorOptions;
  close(): Promise<void>;
  log: SimulatorLog;
  /** Forget all tasks, pending webhooks and the log. */
  reset(): void;
  /** Merge new settings; timings apply to tasks created afterwards. host/port are fixed once listening. */
  configure(patch: SimulatorPatch): void;
};

export type TaskStatus = 'CREATED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

// ---------------------------------------------------------------------------
// Internals

/** Marker that makes a task fail, so tests and demos can force the FAILED path. */
export const FAIL_MARKER = '[sim:fail]';
/**
 * Marker that makes create answer 400 with the received key echoed in the
 * error text, as a careless provider might: proves the client redacts it.
 */
export const ECHO_KEY_MARKER = '[sim:echo-key]';
const MAX_BODY_BYTES = 1024 * 1024;

const DEFAULTS: SimulatorOptions = {
  host: '127.0.0.1',
  port: 0,
  apiKey: 'demo-key',
  keyHeader: DEFAULT_KEY_HEADER,
  inProgressAfterMs: 400,
  completeAfterMs: 2500,
  imageUrlTtlMs: 10 * 60 * 1000,
  faults: { rate429: 0, rate500: 0, rate503: 0, failRate: 0, lostResponseRate: 0 },
  imagenBase64: false,
};

type Task = {
  id: string;
  model: ModelSpec;
  /** The create body as received (validated by the model's bodySchema). */
  body: Record<string, unknown>;
  /** The prompt ('' when the body has none: Flux Dev, HyperFlux and Mystic may leave it out). */
  prompt: string;
  /** Seed as requested (null when omitted or null). */
  seed: number | null;
  /** Sizes, the seed actually painted with (the requested one, a hash of fixed settings, or random) and count. */
  plan: PicturePlan;
  webhookUrl: string | null;
  createdAt: number;
  // Timings are frozen at creation so a later configure() never moves a task backwards.
  inProgressAt: number;
  doneAt: number;
  fails: boolean;
  /** Painted pictures by index, each once. */
  pngs: Map<number, Promise<Buffer>>;
};

function statusOf(task: Task, now: number): TaskStatus {
  if (now >= task.doneAt) return task.fails ? 'FAILED' : 'COMPLETED';
  if (now >= task.inProgressAt) return 'IN_PROGRESS';
  return 'CREATED';
}

/** Standard Webhooks key: `whsec_<base64>` secrets are base64-decoded, anything else is used as UTF-8. */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

class BodyTooLarge extends Error {}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function mergeOptions(base: SimulatorOptions, patch: SimulatorPatch): SimulatorOptions {
  const { faults, webhookFaults, ...rest } = patch;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...base,
    ...defined,
    faults: { ...base.faults, ...stripUndefined(faults ?? {}) },
    webhookFaults:
      webhookFaults || base.webhookFaults
        ? { duplicateRate: 0, dropRate: 0, reorder: false, ...base.webhookFaults, ...stripUndefined(webhookFaults ?? {}) }
        : undefined,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What POST /__sim/config accepts (over HTTP, so validated). */
const probability = z.number().min(0).max(1);
const nonNegative = z.number().min(0);
const configSchema = z
  .object({
    apiKey: z.string().min(1),
    keyHeader: z.string().min(1),
    inProgressAfterMs: nonNegative,
    completeAfterMs: nonNegative,
    imageUrlTtlMs: nonNegative,
    latencyMs: nonNegative,
    publicUrl: z.url(),
    imagenBase64: z.boolean(),
    webhookSecret: z.string().min(1).nullable(),
    faults: z
      .object({ rate429: probability, rate500: probability, rate503: probability, failRate: probability, lostResponseRate: probability })
      .partial()
      .strict(),
    webhookFaults: z.object({ duplicateRate: probability, dropRate: probability, reorder: z.boolean() }).partial().strict(),
  })
  .partial()
  .strict();

/** Malformed %-escapes just make an id that matches no task (→ 404), not a 500. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------
// The server

export async function startSimulator(patch: SimulatorPatch = {}): Promise<RunningSimulator> {
  const options = mergeOptions(DEFAULTS, patch);
  const tasks = new Map<string, Task>();
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<AbortController>();
  const log: SimulatorLog = { creates: [], statusCalls: [], listCalls: 0, imageDownloads: [], webhookDeliveries: [] };
  // Per-process secret for image URL signatures: links die with the simulator, like real expiring links.
  const urlSecret = randomBytes(32);
  let baseUrl = '';

  const rand = () => (options.random ?? Math.random)();
  const imageBase = () => options.publicUrl?.replace(/\/+$/, '') ?? baseUrl;

  function later(atMs: number, fn: () => void): void {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.max(0, atMs - Date.now()),
    );
    timer.unref();
    timers.add(timer);
  }

  /** `file` is the picture's path under /content/: `<model-id>/<task-id>` (first picture) or `…_<index>`. */
  function sign(file: string, exp: number): string {
    return createHmac('sha256', urlSecret).update(`${file}:${exp}`).digest('hex');
  }

  function pictureFile(task: Task, index: number): string {
    return `${task.model.id}/${task.id}${index === 0 ? '' : `_${index}`}`;
  }

  /** Signed, expiring link minted at read time — each read hands out a fresh one. */
  function imageUrl(task: Task, index: number): string {
    const file = pictureFile(task, index);
    const exp = Math.floor((Date.now() + options.imageUrlTtlMs) / 1000);
    return `${imageBase()}/content/${file}.png?token=exp=${exp}~hmac=${sign(file, exp)}`;
  }

  /** Painting takes ~100–500 ms at full size (encoding runs in sharp's threads), so each picture is painted once. */
  function picture(task: Task, index: number): Promise<Buffer> {
    let png = task.pngs.get(index);
    if (!png) {
      png = paintImage(paintInput(task.model, task.body, task.plan, index));
      task.pngs.set(index, png);
    }
    return png;
  }

  /** `generated` of a task: [] until COMPLETED, then one signed URL per picture — or base64 PNGs (imagenBase64). */
  async function generatedOf(task: Task, status: TaskStatus): Promise<string[]> {
    if (status !== 'COMPLETED') return [];
    const indexes = Array.from({ length: task.plan.count }, (_, i) => i);
    if (options.imagenBase64 && task.model.wire.mayAnswerBase64) {
      return Promise.all(indexes.map(async (i) => (await picture(task, i)).toString('base64')));
    }
    return indexes.map((i) => imageUrl(task, i));
  }

  async function taskView(task: Task, now = Date.now()) {
    const status = statusOf(task, now);
    return { task_id: task.id, status, generated: await generatedOf(task, status) };
  }

  /** Decide an injected HTTP fault with a single draw; null = no fault. */
  function drawFault(): { status: number; message: string } | null {
    const { rate429, rate503, rate500 } = options.faults;
    if (rate429 + rate503 + rate500 <= 0) return null;
    const r = rand();
    if (r < rate429) return { status: 429, message: 'Too many requests' };
    if (r < rate429 + rate503) return { status: 503, message: 'Service unavailable' };
    if (r < rate429 + rate503 + rate500) return { status: 500, message: 'Internal server error' };
    return null;
  }

  function receivedKey(req: http.IncomingMessage): string | undefined {
    const raw = req.headers[options.keyHeader.toLowerCase()];
    return Array.isArray(raw) ? raw[0] : raw;
  }

  /** Returns an error to send, or null when the key is right. */
  function checkKey(req: http.IncomingMessage): { status: number; message: string } | null {
    const key = receivedKey(req);
    if (!key) return { status: 401, message: 'Missing API key' };
    const a = Buffer.from(key);
    const b = Buffer.from(options.apiKey);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { status: 401, message: 'Invalid API key' };
    return null;
  }

  // --- Webhooks -------------------------------------------------------------

  function scheduleWebhooks(task: Task): void {
    if (!task.webhookUrl) return;
    const reorder = options.webhookFaults?.reorder ?? false;
    const final: TaskStatus = task.fails ? 'FAILED' : 'COMPLETED';
    if (task.inProgressAt < task.doneAt) {
      // Reordered: IN_PROGRESS arrives after the final status.
      later(reorder ? task.doneAt + 50 : task.inProgressAt, () => deliverSafely(task, 'IN_PROGRESS'));
    }
    later(task.doneAt, () => deliverSafely(task, final));
  }

  /** A delivery that cannot be built (a picture that fails to paint) is logged, never an unhandled rejection. */
  function deliverSafely(task: Task, status: TaskStatus): void {
    deliver(task, status).catch((err: unknown) => console.error('[simulator] webhook delivery failed', err));
  }

  async function deliver(task: Task, status: TaskStatus): Promise<void> {
    if (!options.webhookSecret || !task.webhookUrl || !tasks.has(task.id)) return;
    const generated = await generatedOf(task, status);
    // Painting a base64 answer takes a moment: a reset meanwhile forgets the task, and its deliveries with it.
    if (!tasks.has(task.id)) return;
    const wf = options.webhookFaults;
    const webhookId = `msg_${randomUUID()}`;
    const body = JSON.stringify({ task_id: task.id, status, generated });
    const dropped = wf ? rand() < wf.dropRate : false;
    post(task, status, webhookId, body, dropped);
    if (!dropped && wf && rand() < wf.duplicateRate) {
      // A retry reuses the webhook-id (receivers dedupe on it) with a fresh timestamp and signature.
      later(Date.now() + 100, () => post(task, status, webhookId, body, false));
    }
  }

  function post(task: Task, status: TaskStatus, webhookId: string, body: string, dropped: boolean): void {
    const secret = options.webhookSecret;
    const url = task.webhookUrl;
    if (!secret || !url) return;
    const entry: SimulatorLog['webhookDeliveries'][number] = { at: Date.now(), taskId: task.id, webhookId, status, url, dropped };
    log.webhookDeliveries.push(entry);
    if (dropped) return;
    const timestamp = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    inflight.add(controller);
    const timeout = setTimeout(() => controller.abort(), 5000);
    timeout.unref();
    // Fire and forget: a receiver that is down must never break the simulator.
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': webhookId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secret, webhookId, timestamp, body),
      },
      body,
      signal: controller.signal,
    })
      .then(async (res) => {
        entry.responseStatus = res.status;
        await res.arrayBuffer().catch(() => undefined);
      })
      .catch((err: unknown) => {
        entry.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        clearTimeout(timeout);
        inflight.delete(controller);
      });
  }

  // --- Handlers -------------------------------------------------------------

  async function handleCreate(req: http.IncomingMessage, res: http.ServerResponse, model: ModelSpec): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = raw === '' ? undefined : raw;
    let parsed = false;
    try {
      body = JSON.parse(raw);
      parsed = true;
    } catch {
      // keep the raw text for the log
    }
    const entry: SimulatorLog['creates'][number] = { at: Date.now(), model: model.id, body, status: 0 };
    log.creates.push(entry);
    // Faults sit in front of validation, like a gateway's rate limiter; a faulted create creates nothing.
    const reply = admit(req, res, entry);
    if (!reply) return;
    if (!parsed) {
      return reply(400, { message: 'Invalid request', invalid_params: [{ name: 'body', reason: 'The request body must be valid JSON.' }] });
    }
    const problems = validateBody(model, body);
    if (problems.length > 0) return reply(400, { message: 'Invalid request', invalid_params: problems });
    const b = body as Record<string, unknown>;
    const prompt = typeof b.prompt === 'string' ? b.prompt : '';
    const echoed = echoKeyRejection(req, prompt);
    if (echoed) return reply(400, echoed);

    const now = Date.now();
    const task: Task = {
      id: randomUUID(),
      model,
      body: b,
      prompt,
      seed: typeof b.seed === 'number' ? b.seed : null,
      plan: planPictures(model, b, () => randomBytes(4).readUInt32BE(0)),
      webhookUrl: typeof b.webhook_url === 'string' ? b.webhook_url : null,
      createdAt: now,
      inProgressAt: now + options.inProgressAfterMs,
      doneAt: now + Math.max(options.completeAfterMs, options.inProgressAfterMs),
      fails: prompt.includes(FAIL_MARKER) || (options.faults.failRate > 0 && rand() < options.faults.failRate),
      pngs: new Map(),
    };
    tasks.set(task.id, task);
    entry.taskId = task.id;
    scheduleWebhooks(task);

    const lost = options.faults.lostResponseRate ?? 0;
    if (lost > 0 && rand() < lost) {
      // The task exists and will run, but the client never hears about it.
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    const view = await taskView(task, now);
    // Flux Dev and Flux Pro 1.1 answer a create without `generated` (freepik-models.md §1, §6).
    const { generated, ...bare } = view;
    reply(200, { data: model.wire.createHasGenerated ? { ...bare, generated } : bare });
  }

  /** The 400 a create with ECHO_KEY_MARKER gets: the key it carried, quoted back in message and reason. */
  function echoKeyRejection(req: http.IncomingMessage, prompt: string) {
    if (!prompt.includes(ECHO_KEY_MARKER)) return null;
    const header = `${options.keyHeader}=${receivedKey(req) ?? ''}`;
    return {
      message: `Invalid request (${header})`,
      invalid_params: [{ name: 'prompt', reason: `header ${header} is not allowed` }],
    };
  }

  /**
   * Answers a missing/wrong key (401) or an injected fault first, recording the
   * status in the log entry; otherwise returns the function for the real reply.
   */
  function admit(req: http.IncomingMessage, res: http.ServerResponse, entry: { status: number }) {
    const reply = (status: number, payload: unknown) => {
      entry.status = status;
      sendJson(res, status, payload);
    };
    const authError = checkKey(req);
    if (authError) {
      reply(authError.status, { message: authError.message });
      return null;
    }
    const fault = drawFault();
    if (fault) {
      reply(fault.status, { message: fault.message });
      return null;
    }
    return reply;
  }

  async function handleStatus(req: http.IncomingMessage, res: http.ServerResponse, model: ModelSpec, taskId: string): Promise<void> {
    const entry = { at: Date.now(), model: model.id, taskId, status: 0 };
    log.statusCalls.push(entry);
    const reply = admit(req, res, entry);
    if (!reply) return;
    const task = tasks.get(taskId);
    // A task is found only under the path of the model it was created with.
    if (!task || task.model.id !== model.id) return reply(404, { message: 'AI resource not found' });
    reply(200, { data: await taskView(task) });
  }

  function handleList(req: http.IncomingMessage, res: http.ServerResponse, model: ModelSpec): void {
    log.listCalls++;
    const authError = checkKey(req);
    if (authError) return sendJson(res, authError.status, { message: authError.message });
    const fault = drawFault();
    if (fault) return sendJson(res, fault.status, { message: fault.message });
    const now = Date.now();
    // Map keeps insertion order, so reversing gives newest first.
    const data = [...tasks.values()]
      .filter((t) => t.model.id === model.id)
      .reverse()
      .map((t) => ({ task_id: t.id, status: statusOf(t, now) }));
    sendJson(res, 200, { data });
  }

  async function handleImage(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    modelId: string,
    name: string,
    token: string | null,
  ): Promise<void> {
    // `name` is `<task-id>` (the first picture) or `<task-id>_<index>`.
    const named = /^([^_]+)(?:_([1-9]\d{0,2}))?$/.exec(name);
    const taskId = named ? named[1] : name;
    const index = named?.[2] ? Number(named[2]) : 0;
    const entry = { at: Date.now(), model: modelId, taskId, status: 0 };
    log.imageDownloads.push(entry);
    const reply = (status: number, payload: unknown) => {
      entry.status = status;
      sendJson(res, status, payload);
    };
    // Token first, like a CDN: without a valid signature nothing is revealed, not even existence.
    const m = token ? /^exp=(\d{1,12})~hmac=([0-9a-f]{64})$/.exec(token) : null;
    if (!m) return reply(403, { message: 'Forbidden' });
    const exp = Number(m[1]);
    const expected = Buffer.from(sign(`${modelId}/${name}`, exp), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(m[2], 'hex'))) return reply(403, { message: 'Forbidden' });
    if (exp * 1000 <= Date.now()) return reply(403, { message: 'Expired' });
    const task = named ? tasks.get(taskId) : undefined;
    if (!task || task.model.id !== modelId || index >= task.plan.count || statusOf(task, Date.now()) !== 'COMPLETED') {
      return reply(404, { message: 'Not found' });
    }
    const png = await picture(task, index);
    entry.status = 200;
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': png.length,
      'cache-control': 'private, max-age=600',
    });
    res.end(png);
  }

  /**
   * Who may use /__sim/*: a loopback Host (a rebound DNS name is refused, 403)
   * and, for everything but health, the API key (401). Checked before the body
   * is read, so a refused reset or config changes nothing.
   */
  function controlRefusal(req: http.IncomingMessage, path: string): { status: number; message: string } | null {
    if (!isLoopbackHost(req.headers.host)) {
      return { status: 403, message: 'Simulator control endpoints answer only to a loopback Host (127.0.0.1, localhost, [::1])' };
    }
    return path === HEALTH_PATH ? null : checkKey(req);
  }

  function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string, rawBody: string): void {
    if (path === HEALTH_PATH && req.method === 'GET') return sendJson(res, 200, { ok: true });
    if (path === '/__sim/log' && req.method === 'GET') {
      const now = Date.now();
      const taskList = [...tasks.values()].map((t) => ({
        task_id: t.id,
        model: t.model.id,
        prompt: t.prompt,
        // The size option the body asks for (RunWay's `ratio`, a named `aspect_ratio`); `ratio` is its older name.
        size: sizeIdOf(t.model, t.body),
        ratio: sizeIdOf(t.model, t.body),
        width: t.plan.nominal.width,
        height: t.plan.nominal.height,
        painted_width: t.plan.painted.width,
        painted_height: t.plan.painted.height,
        pictures: t.plan.count,
        seed: t.seed,
        paint_seed: t.plan.seed,
        reproducible: t.plan.reproducible,
        webhook_url: t.webhookUrl,
        status: statusOf(t, now),
        created_at: t.createdAt,
      }));
      return sendJson(res, 200, { ...log, tasks: taskList });
    }
    if (path === '/__sim/reset' && req.method === 'POST') {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__sim/config' && req.method === 'POST') {
      let json: unknown;
      try {
        json = rawBody === '' ? {} : JSON.parse(rawBody);
      } catch {
        return sendJson(res, 400, { message: 'Invalid JSON' });
      }
      const result = configSchema.safeParse(json);
      if (!result.success) {
        return sendJson(res, 400, {
          message: 'Invalid config',
          invalid_params: result.error.issues.map((i) => ({ name: i.path.join('.') || 'body', reason: i.message })),
        });
      }
      const { webhookSecret, ...rest } = result.data;
      // null over HTTP means "turn webhooks off".
      configure(webhookSecret === undefined ? rest : { ...rest, webhookSecret: webhookSecret ?? undefined });
      // Echo the settings back, minus the function and the secret itself.
      const visible: Record<string, unknown> = { ...options, webhookSecret: options.webhookSecret ? '(set)' : null };
      delete visible.random;
      return sendJson(res, 200, { ok: true, options: visible });
    }
    sendJson(res, 404, { message: 'Not found' });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith(CONTROL_PREFIX)) {
      const refusal = controlRefusal(req, path);
      if (refusal) return sendJson(res, refusal.status, { message: refusal.message });
      const rawBody = method === 'POST' ? await readBody(req) : '';
      return handleControl(req, res, path, rawBody);
    }

    const image = /^\/content\/([^/]+)\/([^/]+)\.png$/.exec(path);
    if (image && servedModel(image[1])) {
      if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { message: 'Method not allowed' });
      return handleImage(req, res, image[1], safeDecode(image[2]), url.searchParams.get('token'));
    }

    const route = routeOf(path);
    if (route) {
      const { spec, rest } = route;
      if (options.latencyMs && options.latencyMs > 0) await sleep(options.latencyMs);
      if (rest === '' && method === 'POST') return handleCreate(req, res, spec);
      if (rest === '' && method === 'GET') return handleList(req, res, spec);
      if (rest && !rest.includes('/') && method === 'GET') return handleStatus(req, res, spec, safeDecode(rest));
      return sendJson(res, 405, { message: 'Method not allowed' });
    }
    sendJson(res, 404, { message: 'Not found' });
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
    });
  }

  function reset(): void {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const c of inflight) c.abort();
    inflight.clear();
    tasks.clear();
    log.creates.length = 0;
    log.statusCalls.length = 0;
    log.listCalls = 0;
    log.imageDownloads.length = 0;
    log.webhookDeliveries.length = 0;
  }

  function configure(next: SimulatorPatch): void {
    // host/port are fixed once listening.
    const rest: SimulatorPatch = { ...next, host: undefined, port: undefined };
    Object.assign(options, mergeOptions(options, rest));
    // mergeOptions ignores undefined values; an explicit `webhookSecret: undefined` switches webhooks off.
    if ('webhookSecret' in next && next.webhookSecret === undefined) options.webhookSecret = undefined;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof BodyTooLarge) {
        if (!res.headersSent) sendJson(res, 413, { message: 'Request body too large' });
        req.socket.destroy();
        return;
      }
      console.error('[simulator] handler error', err);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.port = port;
  baseUrl = `http://${hostForUrl(options.host)}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    options,
    log,
    reset,
    configure,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const c of inflight) c.abort();
        inflight.clear();
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
