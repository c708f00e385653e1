import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@/lib/clock';
import type { BusMessage, PgNotifyBus } from '@/lib/tasks/pg-notify-bus';
import { freshDatabase } from '../support/test-db';

/**
 * Live updates across instances over PostgreSQL LISTEN/NOTIFY: what one
 * instance publishes, every instance hears (itself included) within a second;
 * a listener whose connection drops reconnects and tells its tabs to resync.
 */
let url: string;
const buses: PgNotifyBus[] = [];

async function instance(received: BusMessage[]) {
  const { PgNotifyBus } = await import('@/lib/tasks/pg-notify-bus');
  const bus = new PgNotifyBus(
    url,
    (message) => received.push(message),
    systemClock,
    () => undefined,
  );
  await bus.start();
  buses.push(bus);
  return bus;
}

const within = async (check: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
};

beforeAll(async () => {
  ({ url } = await freshDatabase('notify'));
});
afterAll(async () => {
  await Promise.all(buses.map((b) => b.stop()));
});

describe('cross-instance task events', () => {
  it('a change published by instance A reaches instances B and C (and A) within a second', async () => {
    const [a, b, c]: BusMessage[][] = [[], [], []];
    const busA = await instance(a);
    await instance(b);
    await instance(c);
    const started = Date.now();
    await busA.publish('task', 'task-123');
    await busA.publish('deleted', 'task-456');
    for (const received of [a, b, c]) {
      expect(await within(() => received.length === 2, 1_000)).toBe(true);
      expect(received).toEqual([
        { type: 'task', id: 'task-123' },
        { type: 'deleted', id: 'task-456' },
      ]);
    }
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('after its connection is cut, a listener reconnects, asks its tabs to resync, and hears new changes', async () => {
    const [a, b]: BusMessage[][] = [[], []];
    const busA = await instance(a);
    const busB = await instance(b);
    await busB.dropListenerForTest();
    expect(await within(() => b.some((m) => m.type === 'resync'), 5_000)).toBe(true);
    await busA.publish('task', 'after-reconnect');
    expect(await within(() => b.some((m) => m.type === 'task' && m.id === 'after-reconnect'), 2_000)).toBe(true);
  });
});
