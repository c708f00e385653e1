import 'server-only';
import { EventEmitter } from 'node:events';
import { singleton } from '../singleton';
import { findTask } from './repository';
import type { TaskView } from './view';

/**
 * In-process fan-out of task changes to every open browser stream (SSE). The
 * state machine announces each applied transition; the view is read from the
 * database once per change, however many tabs listen.
 */
export type TaskEvent = { type: 'task'; task: TaskView } | { type: 'deleted'; id: string };

function bus(): EventEmitter {
  return singleton('TaskEvents', () => {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0); // one listener per open tab; no artificial cap
    return emitter;
  });
}

export function subscribeToTasks(listener: (event: TaskEvent) => void): () => void {
  bus().on('event', listener);
  return () => bus().off('event', listener);
}

export function publishTaskChanged(id: string): void {
  if (bus().listenerCount('event') === 0) return;
  void findTask(id)
    .then((task) => {
      if (task) bus().emit('event', { type: 'task', task } satisfies TaskEvent);
    })
    .catch(() => {
      // A failed read only delays the update: clients also refetch.
    });
}

export function publishTaskDeleted(id: string): void {
  bus().emit('event', { type: 'deleted', id } satisfies TaskEvent);
}
