import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

/** Sends one event; `id` is the audit stream id it comes from (the resume point). */
export type SendEvent = (event: string, data: unknown, id?: string) => void;

/**
 * Serves one server-sent event stream: `follow` subscribes (to the instance's hub) and returns
 * how to stop. Events go out one at a time in the order they were sent; a heartbeat keeps the
 * connection open; when the browser leaves, the subscription ends at once.
 */
export function serveEvents(c: Context, follow: (send: SendEvent) => Promise<() => void>): Response {
  return streamSSE(c, async (stream) => {
    const ended = new Promise<void>((resolve) => stream.onAbort(resolve));
    let writing = Promise.resolve();
    const send: SendEvent = (event, data, id) => {
      writing = writing
        .then(() =>
          stream.writeSSE({ event, data: JSON.stringify(data), ...(id === undefined ? {} : { id }) }),
        )
        .catch(() => stream.abort());
    };
    const stop = await follow(send);
    const heartbeat = setInterval(() => {
      writing = writing
        .then(async () => {
          await stream.write(': heartbeat\n\n');
        })
        .catch(() => stream.abort());
    }, HEARTBEAT_MS);
    try {
      await ended;
    } finally {
      clearInterval(heartbeat);
      stop();
    }
  });
}

/**
 * Reads done once per change per instance, whoever asks: 2,000 viewers of one store cost one
 * Redis read per change, not 2,000. Keyed by the audit entry that caused the read; bounded.
 */
export class SharedReads {
  private readonly reads = new Map<string, Promise<unknown>>();

  constructor(private readonly limit = 5_000) {}

  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const known = this.reads.get(key);
    if (known) return known as Promise<T>;
    const reading = read();
    this.reads.set(key, reading);
    reading.catch(() => this.reads.delete(key));
    if (this.reads.size > this.limit) {
      const oldest = this.reads.keys().next().value;
      if (oldest !== undefined) this.reads.delete(oldest);
    }
    return reading;
  }
}
