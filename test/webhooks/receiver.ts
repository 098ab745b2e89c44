import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers the next request: a status (and headers), or by cutting the connection. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang-up' | 'never';

export interface TestReceiver {
  url: string;
  received: Received[];
  /** Decides each answer; default 200. */
  answer: (request: Received) => Answer;
  stop(): Promise<void>;
}

/** A real HTTP receiver on a free loopback port, recording every request. */
export async function startReceiver(): Promise<TestReceiver> {
  const received: Received[] = [];
  const receiver: TestReceiver = {
    url: '',
    received,
    answer: () => ({ status: 200 }),
    stop: () => new Promise((done) => server.close(() => done())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body };
      received.push(request);
      const answer = receiver.answer(request);
      if (answer === 'never') return; // the sender waits (until it dies or times out)
      if (answer === 'hang-up') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(`answered ${answer.status}`);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.closeAllConnections();
  const stop = receiver.stop;
  receiver.stop = async () => {
    server.closeAllConnections();
    await stop();
  };
  return receiver;
}
