/** One server-sent event as a test reads it. */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface SseClient {
  events: SseEvent[];
  /** The HTTP status of the stream's answer. */
  status: Promise<number>;
  close(): void;
}

/**
 * Reads a server-sent event stream with fetch (as @microsoft/fetch-event-source does in the
 * page); `onEvent` is told of each event as it arrives (a bench times arrivals with it).
 */
export function openSse(
  url: string,
  headers: Record<string, string> = {},
  onEvent: (event: SseEvent) => void = () => {},
): SseClient {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  const status = (async () => {
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    void (async () => {
      const reader = response.body?.getReader();
      if (!reader) return;
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            const event: SseEvent = { event: 'message', id: undefined, data: '' };
            let hasData = false;
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event.event = line.slice(6).trim();
              else if (line.startsWith('id:')) event.id = line.slice(3).trim();
              else if (line.startsWith('data:')) {
                event.data += (hasData ? '\n' : '') + line.slice(5).trimStart();
                hasData = true;
              }
            }
            if (hasData) {
              events.push(event);
              onEvent(event);
            }
          }
        }
      } catch {
        // Aborted by close(): the test is done with this stream.
      }
    })();
    return response.status;
  })();
  return { events, status, close: () => controller.abort() };
}
