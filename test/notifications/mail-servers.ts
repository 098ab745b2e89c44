import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  port: number;
  url: string;
  /** Every email received, parsed, in order. */
  mails: ParsedMail[];
  /** Emails whose data began arriving (accepted or not). */
  started(): number;
  /** Takes emails in but never answers their data until `resume()` (a send stuck mid-way). */
  pause(): void;
  resume(): void;
  /** Refuses connections (the server is closed) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A real SMTP server (the smtp-server package) on a free port, keeping every email it accepts. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  let started = 0;
  let paused = false;
  const waiting: (() => void)[] = [];
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, done) {
        started += 1;
        simpleParser(stream).then(
          (mail) => {
            const accept = () => {
              mails.push(mail);
              done();
            };
            if (paused) waiting.push(accept);
            else accept();
          },
          (error: Error) => done(error),
        );
      },
    });
  let server = make();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    started: () => started,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const accept of waiting.splice(0)) accept();
    },
    stop: () => new Promise<void>((done) => server.close(() => done())),
    async start() {
      server = make();
      await listen(port);
    },
  };
}

export interface TwilioRequest {
  accountSid: string;
  authorization: string;
  to: string;
  from: string;
  body: string;
}

export interface TestTwilio {
  apiBase: string;
  requests: TwilioRequest[];
  close(): Promise<void>;
}

const read = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

/** A small HTTP server answering like Twilio's Messages API (POST .../Accounts/{sid}/Messages.json). */
export async function startTestTwilio(): Promise<TestTwilio> {
  const requests: TwilioRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":20404,"message":"Not found"}');
      return;
    }
    const form = new URLSearchParams(await read(req));
    const sid = `SM${String(requests.length).padStart(32, '0')}`;
    requests.push({
      accountSid: decodeURIComponent(match[1] ?? ''),
      authorization: req.headers.authorization ?? '',
      to: form.get('To') ?? '',
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
    });
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid, status: 'queued' }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
