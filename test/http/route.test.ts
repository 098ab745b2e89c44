import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { streamSSE } from 'hono/streaming';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { apiRouter, declareRoute } from '../../server/http/route.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

// Every request here is refused by its route's declared schemas before any state changes
// (the app still counts its answers in Redis, so it has a real one).
let redis: TestRedis;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  redis = await startTestRedis();
  app = createApp(createDeps(redis.client(), testConfig({ rateLimitPerMinute: 0 })), {
    webRoot: '/nonexistent',
  });
});
afterAll(async () => {
  await redis?.stop();
});

async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await app.request(path, { method: 'POST', body, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('declared routes refuse bad input with the one error shape', () => {
  it('names each wrong field of a body that fails its schema', async () => {
    const res = await post('/api/enroll', JSON.stringify({ code: 'ab' }), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'The request is not valid.' });
    const issues = (res.body.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(issues.sort()).toEqual(['code', 'deviceName']);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await post('/api/enroll', '{not json', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: '', message: expect.stringContaining('JSON') }] },
    });
  });

  it('refuses a body labelled as anything but JSON with 415', async () => {
    const body = JSON.stringify({ code: 'ABCDE-FGHIJ', deviceName: 'T' });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await post('/api/enroll', body, { 'content-type': type });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it('refuses a chunked body (no declared length) larger than the limit', async () => {
    const big = new TextEncoder().encode(JSON.stringify({ code: 'x'.repeat(2_100_000), deviceName: 'T' }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 65_536) controller.enqueue(big.subarray(i, i + 65_536));
        controller.close();
      },
    });
    const request = new Request('http://localhost/api/enroll', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    const res = await app.request(request);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a declared body larger than the limit before reading it', async () => {
    const res = await post('/api/enroll', '{}', {
      'content-type': 'application/json',
      'content-length': '2000001',
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 2_000_000 } });
  });
});

describe('a body read from Node’s own request (as npm start serves it)', () => {
  it('is refused with 413 once a chunked body passes the limit, and a body within it is read', async () => {
    const server = serve({ fetch: app.fetch, port: 0 }) as Server;
    await new Promise<void>((ready) => server.once('listening', ready));
    const { port } = server.address() as AddressInfo;
    const send = (chunks: string[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { port, method: 'POST', path: '/api/enroll', headers: { 'content-type': 'application/json' } },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => {
              body += d.toString();
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    try {
      const big = JSON.stringify({ code: 'x'.repeat(2_100_000), deviceName: 'T' });
      const chunks = Array.from({ length: Math.ceil(big.length / 65_536) }, (_, i) =>
        big.slice(i * 65_536, (i + 1) * 65_536),
      );
      const tooBig = await send(chunks);
      expect(tooBig.status).toBe(413);
      expect(JSON.parse(tooBig.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      // Within the limit, in two chunks: read whole, then checked by the route's schema.
      const small = await send(['{"code":"ABCDE-', 'FGHIJ","deviceName":"\\ud800"}']);
      expect(small.status).toBe(400);
      expect(JSON.parse(small.body)).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'deviceName', message: expect.stringContaining('surrogate') }] },
      });
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});

describe('declareRoute', () => {
  it('passes a stream route’s own Response through and documents its events', async () => {
    const router = apiRouter();
    const tick = z.object({ n: z.number().int() });
    declareRoute(
      router,
      {
        method: 'get',
        path: '/ticks/{name}',
        summary: 'Ticks',
        access: 'public',
        params: z.object({ name: z.string() }),
        ok: { status: 200, stream: tick, description: 'One event per tick' },
      },
      (c) =>
        streamSSE(c, async (stream) => {
          await stream.writeSSE({ id: '1', data: JSON.stringify({ n: c.req.valid('param').name.length }) });
        }),
    );
    const res = await router.request('/ticks/abc');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toContain('data: {"n":3}');
    const doc = router.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const ok = doc.paths?.['/ticks/{name}']?.get?.responses?.['200'] as { content: Record<string, unknown> };
    expect(Object.keys(ok.content)).toEqual(['text/event-stream']);
  });

  it('answers a JSON route with its declared success status', async () => {
    const router = apiRouter();
    declareRoute(
      router,
      {
        method: 'post',
        path: '/echo',
        summary: 'Echo',
        access: 'public',
        body: z.object({ word: z.string() }).strict(),
        ok: { status: 201, schema: z.object({ word: z.string() }), description: 'The word' },
      },
      (c) => ({ word: c.req.valid('json').word }),
    );
    const res = await router.request('/echo', {
      method: 'POST',
      body: JSON.stringify({ word: 'hi' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ word: 'hi' });
  });
});
