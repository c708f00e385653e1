import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REDACTED } from '@/lib/freepik/redact';
import { ECHO_KEY_MARKER, type RunningSimulator } from '@/lib/simulator/server';
import { waitForFinish, startIntegration, stopIntegration } from '../support/integration';

/**
 * End to end: the simulator answers a create with a 400 that quotes the key
 * header back (ECHO_KEY_MARKER). The task must fail with a reason that says
 * what the provider objected to, without the key — not in the database row,
 * not in what /api/tasks and /api/tasks/[id] send to browsers, not in a log
 * line — and no picture may be stored.
 */
const KEY = 'echo-integration-key-0123456789';
let sim: RunningSimulator;
let dataDir: string;
let repo: typeof import('@/lib/tasks/repository');
let service: typeof import('@/lib/tasks/service');
let database: typeof import('@/lib/db/client');
const logged: string[] = [];

beforeAll(async () => {
  ({ sim, dataDir } = await startIntegration('echo-key', { key: KEY }));
  // Every console line the server modules write during this file, to search for the key.
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
  repo = await import('@/lib/tasks/repository');
  service = await import('@/lib/tasks/service');
  database = await import('@/lib/db/client');
});

afterAll(async () => {
  await stopIntegration(sim);
  vi.restoreAllMocks();
});

async function tasksApi(): Promise<string> {
  const { GET } = await import('@/app/api/tasks/route');
  return (await GET(new NextRequest('http://127.0.0.1/api/tasks'))).text();
}

async function taskApi(id: string): Promise<string> {
  const { GET } = await import('@/app/api/tasks/[id]/route');
  return (await GET(new Request(`http://127.0.0.1/api/tasks/${id}`), { params: Promise.resolve({ id }) })).text();
}

describe('a provider 400 that echoes the API key', () => {
  it('fails the task with a redacted reason; the key reaches no row, page data or log; nothing is stored', async () => {
    const prompt = `leaky fox ${ECHO_KEY_MARKER}`;
    const result = await service.requestGeneration({ prompt, ratio: '720:720', seed: '4' });
    if (!result.ok) throw new Error(result.error);
    const done = await waitForFinish(result.task.id);

    // The simulator really did quote the key back: the create was answered 400 and nothing ran upstream.
    const creates = sim.log.creates.filter((c) => JSON.stringify(c.body).includes('leaky fox'));
    expect(creates.map((c) => c.status)).toEqual([400]);
    expect(creates[0].taskId).toBeUndefined();

    expect(done.status).toBe('FAILED');
    expect(done.statusDetail).toContain(`header ${sim.options.keyHeader}=${REDACTED} is not allowed`);

    const row = await repo.findTaskRow(done.id);
    expect(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(KEY);
    expect(row?.image).toBeNull();
    expect(row?.providerTaskId).toBeNull();

    const [list, one] = await Promise.all([tasksApi(), taskApi(done.id)]);
    expect(list).toContain(done.id);
    expect(list).not.toContain(KEY);
    expect(one).toContain(REDACTED);
    expect(one).not.toContain(KEY);

    expect(logged.join('\n')).not.toContain(KEY);
    expect(await database.db().image.count()).toBe(0);
    const imagesDir = path.join(dataDir, 'images');
    expect(existsSync(imagesDir) ? readdirSync(imagesDir, { recursive: true }) : []).toEqual([]);
  });
});
