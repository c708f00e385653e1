import { subscribeToTasks, type TaskEvent } from '@/lib/tasks/events';

export const dynamic = 'force-dynamic';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events: every task change, pushed to each open tab as it
 * happens. The browser's EventSource reconnects by itself; the client refetches
 * on reconnect and polls GET /api/tasks while the stream is down.
 */
export function GET(request: Request) {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      // Tell EventSource how long to wait before reconnecting, and confirm the stream is live.
      send('retry: 2000\nevent: ready\ndata: {}\n\n');
      const unsubscribe = subscribeToTasks((event: TaskEvent) => {
        const data = event.type === 'task' ? event.task : event.type === 'deleted' ? { id: event.id } : {};
        send(`event: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
      });
      // Comments keep proxies from closing an idle connection.
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener('abort', () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
