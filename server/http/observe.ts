import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv, Deps } from '../deps.ts';
import type { Instruments } from '../observability/instruments.ts';
import { createRequestLogger } from '../observability/log.ts';

/** An incoming X-Request-Id kept as it is: a load balancer's or a client's token, nothing more. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** The route label of a request no route answered (an unknown path is never a label). */
const UNMATCHED = '(unmatched)';
/** Probes and scrapes: at debug when they answer fine, never at error (a 503 from /api/ready is its answer). */
const QUIET_ROUTES = new Set(['/api/health', '/api/ready', '/metrics']);

/**
 * The first middleware of every request: its id (an incoming X-Request-Id when it is a sane
 * token, else a new one, answered as X-Request-Id), then, once answered, one JSON log line
 * (id, method, route template, store, status, duration, error code) and the Prometheus
 * figures. Labels and log fields are route templates, ids, codes and numbers: never a raw
 * path, a body, a header or anything a customer typed.
 */
export function observeRequests(deps: Pick<Deps, 'log' | 'metrics'>): MiddlewareHandler<AppEnv> {
  const { metrics } = deps;
  const log = createRequestLogger(deps.log);
  return async (c, next) => {
    const started = performance.now();
    const incoming = incomingRequestId(c);
    const requestId = incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', deps.log);
    await next();
    const ms = performance.now() - started;
    answerRequestId(c, requestId);
    const route = routePath(c) || UNMATCHED;
    const status = c.res.status;
    const code = c.get('errorCode');
    if (metrics.enabled) count(c, metrics, route, status, ms / 1000);
    const quiet = QUIET_ROUTES.has(route);
    const level = quiet && status < 300 ? 'debug' : status >= 500 && !quiet ? 'error' : 'info';
    if (!log.isLevelEnabled(level)) return;
    const store = validatedStore(c);
    const detail = c.get('errorDetail');
    log[level](
      {
        reqId: requestId,
        method: c.req.method,
        route,
        status,
        ms: Math.round(ms * 10) / 10,
        ...(store === undefined ? {} : { store }),
        ...(code === undefined ? {} : { code }),
        ...(c.get('replayed') ? { replayed: true } : {}),
        ...(detail === undefined ? {} : { detail }),
      },
      'request',
    );
  };
}

/**
 * X-Request-Id as sent. From Node's own header record when there is one: asking the Web
 * request would build its Headers object, a cost /api/health does not otherwise pay.
 */
function incomingRequestId(c: Context<AppEnv>): string | undefined {
  const node = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const value = node === undefined ? c.req.header('x-request-id') : node.headers['x-request-id'];
  return typeof value === 'string' ? value : undefined;
}

function answerRequestId(c: Context<AppEnv>, requestId: string): void {
  try {
    c.res.headers.set('x-request-id', requestId);
  } catch (error) {
    // Response.redirect() and Response.error() have immutable headers: Hono copies the response.
    if (!(error instanceof TypeError)) throw error;
    c.header('x-request-id', requestId);
  }
}

function count(c: Context<AppEnv>, metrics: Instruments, route: string, status: number, seconds: number) {
  const method = c.req.method;
  metrics.httpDuration.observe({ method, route, status }, seconds);
  const code = c.get('errorCode');
  if (status >= 500) metrics.failures.inc({ route, code: code ?? 'none' });
  else if (status >= 400) metrics.refusals.inc({ route, code: code ?? 'none' });
  else if (status === 201 && method === 'POST' && !c.get('replayed')) {
    if (route === '/api/holds') metrics.holdsCreated.inc();
    else if (route === '/api/bookings') metrics.bookingsCreated.inc();
  }
  const body = c.res.body;
  if (body !== null && c.res.headers.get('content-type')?.startsWith('text/event-stream')) {
    c.res = new Response(countWhileOpen(body, metrics), c.res);
  }
}

/** The stream's body, counted in `holdfast_event_streams_open` until it ends or the client leaves. */
function countWhileOpen(body: ReadableStream<Uint8Array>, metrics: Instruments): ReadableStream<Uint8Array> {
  metrics.openEventStreams.inc();
  let open = true;
  const closed = () => {
    if (open) metrics.openEventStreams.dec();
    open = false;
  };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          closed();
          controller.close();
        } else controller.enqueue(chunk.value);
      } catch (error) {
        closed();
        controller.error(error);
      }
    },
    cancel(reason) {
      closed();
      return reader.cancel(reason);
    },
  });
}

/** The store the request was about, once its route validated it (a slug): path, body or query. */
function validatedStore(c: Context<AppEnv>): string | undefined {
  const valid = (c.req as unknown as { valid(target: string): unknown }).valid.bind(c.req);
  for (const target of ['param', 'json', 'query']) {
    const storeId = (valid(target) as { storeId?: unknown } | undefined)?.storeId;
    if (typeof storeId === 'string') return storeId;
  }
  return undefined;
}
