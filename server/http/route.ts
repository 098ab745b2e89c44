/**
 * A route is declared once: its path, parameters, body, every response's shape and its handler.
 * The router and `GET /api/openapi.json` are both derived from the declaration, so the document
 * cannot drift from what the server does.
 *
 * How to declare a new route (in the capability's `routes.ts`, mounted in `server/app.ts`):
 *
 * ```ts
 * export function widgetRoutes(deps: Deps) {
 *   const app = apiRouter();
 *   declareRoute(
 *     app,
 *     {
 *       method: 'post',
 *       path: '/stores/{storeId}/widgets', // OpenAPI style; mounted under /api
 *       summary: 'Make a widget',
 *       access: 'public', // must match the path prefix auth in app.ts: /staff/ staff, /admin/ admin
 *       params: z.object({ storeId: slugSchema }),
 *       body: createWidgetSchema, // from shared/api/; a bad body is a 400 VALIDATION_FAILED
 *       idempotent: true, // documents the Idempotency-Key header the handler reads
 *       ok: { status: 201, schema: widgetSchema, description: 'The new widget' },
 *       errors: ['STORE_NOT_FOUND', 'SOLD_OUT'], // refusals beyond those implied by access etc.
 *     },
 *     async (c) => {
 *       const { storeId } = c.req.valid('param');
 *       const request = c.req.valid('json');
 *       return await makeWidget(deps, storeId, request); // typed against widgetSchema
 *     },
 *   );
 *   return app;
 * }
 * ```
 *
 * Mount it with one line in `server/app.ts`: `app.route('/api', widgetRoutes(deps));`.
 * The handler returns the success body (the wrapper answers with `ok.status`); refusals are
 * thrown as `AppError`, or a script's outcome becomes the reply with `replyWith(c, outcome)`,
 * and `onError` writes them as `{ code, message, details? }`. A route whose `ok` has `stream`
 * (server-sent events, e.g. Hono's `streamSSE`) returns its own `Response`.
 * test/http/openapi.test.ts fails for a served route that is not declared this way;
 * `routeContract` (test/http/contract.ts) checks real answers against the declaration.
 * Each operation's `operationId` comes from its method and full path (openapi.ts
 * `operationIdOf`); `npm run lint:api` lints the document with redocly's recommended rules, so
 * a route needs at least one refusal (a 4xx in `errors`, or one implied by its input).
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { errorBodySchema } from '../../shared/api/errors.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import type { AppEnv } from '../deps.ts';
import { describeIssues, errorBody, HTTP_STATUS } from './errors.ts';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.ts';
import { rejectLargeBody } from './validate.ts';

/** Who may call a route; enforced by path prefix in app.ts, documented from here. */
export type Access = 'public' | 'customer' | 'staff' | 'admin';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
// biome-ignore lint/suspicious/noExplicitAny: any zod object is a parameter set.
type ParamSchema = z.ZodObject<any>;

/** A JSON success answer, or a stream of server-sent events whose `data` follows `stream`. */
export type Success =
  | { status: 200 | 201; schema: z.ZodType; description: string }
  | { status: 200; stream: z.ZodType; description: string };

export interface RouteSpec {
  method: Method;
  /** OpenAPI style (`/holds/{holdId}`), relative to where the router is mounted. */
  path: string;
  summary: string;
  access: Access;
  params?: ParamSchema;
  query?: ParamSchema;
  /** A JSON body, required. */
  body?: z.ZodType;
  /** The handler reads the Idempotency-Key header (DESIGN rule 2); documented here. */
  idempotent?: boolean;
  /** The limiter this route counts against (documents 429 with Retry-After). */
  rateLimit?: MiddlewareHandler<AppEnv>;
  ok: Success;
  /** The refusals this route answers with, beyond those implied by access, body and idempotency. */
  errors?: readonly ErrorCode[];
}

/** `/holds/{holdId}` as Hono spells it, `/holds/:holdId`. */
type HonoPath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}`
  ? `${Head}:${Name}${HonoPath<Tail>}`
  : P;

/** An empty set of validated targets. */
type Nothing = Record<never, never>;

/** What the validators hand the handler, per target, as `c.req.valid(target)` reads it. */
type Validated<S extends RouteSpec, Side extends 'in' | 'out'> = (S['params'] extends ParamSchema
  ? { param: Side extends 'in' ? z.input<S['params']> : z.output<S['params']> }
  : Nothing) &
  (S['query'] extends ParamSchema
    ? { query: Side extends 'in' ? z.input<S['query']> : z.output<S['query']> }
    : Nothing) &
  (S['body'] extends z.ZodType
    ? { json: Side extends 'in' ? z.input<S['body']> : z.output<S['body']> }
    : Nothing);

/** The context a handler of `S` gets: `c.req.valid('param' | 'query' | 'json')` are typed. */
export type RouteContext<S extends RouteSpec> = Context<
  AppEnv,
  HonoPath<S['path']>,
  { in: Validated<S, 'in'>; out: Validated<S, 'out'> }
>;

/** What a handler returns: the success body as its schema reads it, or a Response for a stream. */
export type Reply<S extends RouteSpec> = S['ok'] extends { schema: infer Z extends z.ZodType }
  ? z.input<Z>
  : Response;

/** A router whose routes are declared with `declareRoute`; bad input answers VALIDATION_FAILED. */
export function apiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: answerInvalidInput });
}

/** The library's defaultHook: a request that fails its schema gets the one error shape. */
function answerInvalidInput(result: { success: true } | { success: false; error: z.ZodError }, c: Context) {
  if (!result.success) {
    return c.json(errorBody('VALIDATION_FAILED', { issues: describeIssues(result.error) }), 400);
  }
  return undefined;
}

/** Registers `spec` and its handler on `app`; the OpenAPI document is derived from the same spec. */
export function declareRoute<const S extends RouteSpec>(
  app: OpenAPIHono<AppEnv>,
  spec: S,
  handler: (c: RouteContext<S>) => Promise<Reply<S>> | Reply<S>,
): void {
  const middleware: MiddlewareHandler<AppEnv>[] = [];
  if (spec.rateLimit) middleware.push(spec.rateLimit);
  if (spec.body) middleware.push(rejectLargeBody);
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    security: SECURITY[spec.access],
    ...(middleware.length > 0 ? { middleware } : {}),
    ...(spec.idempotent ? { parameters: [IDEMPOTENCY_KEY_PARAMETER] } : {}),
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } }
        : {}),
    },
    responses: { ...successResponse(spec.ok), ...errorResponses(spec) },
  });
  const status = spec.ok.status;
  const isStream = 'stream' in spec.ok;
  // The one untyped seam: the library types each handler's answers from `responses`; here the
  // handler's return value is already typed by `Reply<S>` against the same schema.
  app.openapi(route, (async (c: RouteContext<S>) => {
    const reply = await handler(c);
    return isStream ? reply : c.json(reply as object, status);
  }) as never);
}

function successResponse(ok: Success) {
  if ('stream' in ok) {
    return {
      [ok.status]: {
        description: `${ok.description} (server-sent events; each event's data is this JSON)`,
        content: { 'text/event-stream': { schema: ok.stream } },
      },
    };
  }
  return {
    [ok.status]: { description: ok.description, content: { 'application/json': { schema: ok.schema } } },
  };
}

/** Every refusal the route may answer with, grouped by HTTP status, each status with its codes. */
function refusalsOf(spec: RouteSpec): ErrorCode[] {
  const codes = new Set<ErrorCode>(spec.errors ?? []);
  if (spec.params || spec.query || spec.body || spec.idempotent) codes.add('VALIDATION_FAILED');
  if (spec.body) {
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  if (spec.idempotent) {
    codes.add('IDEMPOTENCY_KEY_MISSING');
    codes.add('IDEMPOTENCY_KEY_REUSED');
  }
  if (spec.rateLimit) codes.add('RATE_LIMITED');
  if (spec.access === 'staff') {
    codes.add('UNAUTHENTICATED');
    codes.add('DEVICE_REVOKED');
    codes.add('FORBIDDEN');
  }
  if (spec.access === 'admin') codes.add('UNAUTHENTICATED');
  codes.add('INTERNAL');
  return [...codes];
}

function errorResponses(spec: RouteSpec) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of refusalsOf(spec)) {
    const status = HTTP_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      status,
      {
        description: codes.join(' | '),
        ...(codes.includes('RATE_LIMITED') ? { headers: RETRY_AFTER_HEADER } : {}),
        content: {
          'application/json': {
            schema: errorBodySchema.extend({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]) }),
          },
        },
      },
    ]),
  );
}

const SECURITY: Record<Access, { [scheme: string]: string[] }[]> = {
  public: [],
  customer: [{ manageToken: [] }],
  staff: [{ deviceCredential: [] }],
  admin: [{ adminToken: [] }],
};

/** The bearer schemes `SECURITY` names, for the document's components. */
export const SECURITY_SCHEMES = {
  manageToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The manageToken from creating the hold or booking',
  },
  deviceCredential: {
    type: 'http',
    scheme: 'bearer',
    description: 'An enrolled tablet’s credential (dev_…)',
  },
  adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or the first-run token' },
} as const;

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'Made when the person acted. A replay returns the first result; the same key with another body is 422.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
} as const;

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
} as const;
