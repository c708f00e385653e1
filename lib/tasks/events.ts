import 'server-only';
import { EventEmitter } from 'node:events';
import { systemClock } from '../clock';
import { loadEnv } from '../config/load-env';
import { dialectOf } from '../db/dialect';
import { singleton } from '../singleton';
import { PgNotifyBus, type BusMessage } from './pg-notify-bus';
import { findTask } from './repository';
import type { TaskView } from './view';

/**
 * Fan-out of task changes to every open browser stream (SSE). The state
 * machine (and the image records) announce each applied change; the view is
 * read from the database once per change and instance, however many tabs
 * listen. SQLite: one process, an in-process emitter. PostgreSQL: several
 * instances, so changes travel through LISTEN/NOTIFY (pg-notify-bus.ts) and
 * each instance feeds its own tabs; after a gap in listening, tabs get a
 * `resync` and refetch.
 */
export type TaskEvent = { type: 'task'; task: TaskView } | { type: 'deleted'; id: string } | { type: 'resync' };

function bus(): EventEmitter {
  return singleton('TaskEvents', () => {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0); // one listener per open tab; no artificial cap
    return emitter;
  });
}

/** The cross-instance transport, when the database is PostgreSQL; started on first use. */
function notifyBus(): PgNotifyBus | null {
  const url = loadEnv().DATABASE_URL;
  if (dialectOf(url) !== 'postgres') return null;
  return singleton('TaskNotifyBus', () => {
    const created = new PgNotifyBus(url, deliverLocally, systemClock);
    void created.start();
    return created;
  });
}

function deliverLocally(message: BusMessage): void {
  if (bus().listenerCount('event') === 0) return;
  if (message.type === 'resync') bus().emit('event', { type: 'resync' } satisfies TaskEvent);
  else if (message.type === 'deleted') bus().emit('event', { type: 'deleted', id: message.id } satisfies TaskEvent);
  else {
    void findTask(message.id)
      .then((task) => {
        if (task) bus().emit('event', { type: 'task', task } satisfies TaskEvent);
      })
      .catch(() => {
        // A failed read only delays the update: clients also refetch.
      });
  }
}

export function subscribeToTasks(listener: (event: TaskEvent) => void): () => void {
  notifyBus(); // an instance with open tabs must be listening
  bus().on('event', listener);
  return () => bus().off('event', listener);
}

function publish(type: 'task' | 'deleted', id: string): void {
  const shared = notifyBus();
  if (!shared) return deliverLocally({ type, id });
  shared.publish(type, id).catch((error) => {
    // Tabs on this instance still hear of it; others catch up on their next refetch.
    console.error('[events] could not notify other instances:', error instanceof Error ? error.message : error);
    deliverLocally({ type, id });
  });
}

export function publishTaskChanged(id: string): void {
  publish('task', id);
}

export function publishTaskDeleted(id: string): void {
  publish('deleted', id);
}
