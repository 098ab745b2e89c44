import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { createBookingSchema, rescheduleBookingSchema, slotQuerySchema } from '../../shared/api/bookings.ts';
import { dateSchema } from '../../shared/api/common.ts';
import { createHoldSchema } from '../../shared/api/holds.ts';
import {
  auditQuerySchema,
  countStockSchema,
  productImportSchema,
  productQuerySchema,
  receiveStockSchema,
  removeStockSchema,
  reportLeaseSchema,
  takeLeaseSchema,
} from '../../shared/api/stock.ts';
import { ERROR_MESSAGES } from '../../shared/errors.ts';
import { createEventSchema, generateSlotsSchema } from '../appointments/events.ts';
import type { AppEnv } from '../deps.ts';
import { storeSchema } from '../stock/stores.ts';
import { HTTP_STATUS } from './errors.ts';
import { SECURITY_SCHEMES } from './route.ts';

type Access = 'public' | 'customer' | 'staff' | 'admin';

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType;
  /** Query parameters, one per property. */
  query?: z.ZodObject;
  /** Mutations take an Idempotency-Key (DESIGN rule 2). */
  idempotent?: boolean;
  success: number;
}

/** Every endpoint, in one list; the document is derived from it and the shared zod schemas. */
const OPERATIONS: Operation[] = [
  { method: 'get', path: '/api/stores', summary: 'The stores', access: 'public', success: 200 },
  {
    method: 'get',
    path: '/api/stores/{storeId}/products',
    summary: 'A store’s products with live availability',
    access: 'public',
    query: productQuerySchema,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/holds',
    summary: 'Reserve units for pickup',
    access: 'public',
    body: createHoldSchema,
    idempotent: true,
    success: 201,
  },
  {
    method: 'get',
    path: '/api/holds/{holdId}',
    summary: 'A hold (send its manage token as the bearer credential)',
    access: 'customer',
    success: 200,
  },
  {
    method: 'post',
    path: '/api/holds/{holdId}/confirm',
    summary: 'Confirm a hold before it expires',
    access: 'customer',
    idempotent: true,
    success: 200,
  },
  {
    method: 'delete',
    path: '/api/holds/{holdId}',
    summary: 'Cancel a hold (units released)',
    access: 'customer',
    idempotent: true,
    success: 200,
  },
  { method: 'get', path: '/api/events', summary: 'Appointment events', access: 'public', success: 200 },
  {
    method: 'get',
    path: '/api/events/{eventId}/slots',
    summary: 'Slots with remaining seats',
    access: 'public',
    query: slotQuerySchema,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/bookings',
    summary: 'Book a seat',
    access: 'public',
    body: createBookingSchema,
    idempotent: true,
    success: 201,
  },
  {
    method: 'get',
    path: '/api/bookings/{bookingId}',
    summary: 'A booking (send its manage token as the bearer credential)',
    access: 'customer',
    success: 200,
  },
  {
    method: 'post',
    path: '/api/bookings/{bookingId}/reschedule',
    summary: 'Move to another slot (new seat taken first)',
    access: 'customer',
    body: rescheduleBookingSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'delete',
    path: '/api/bookings/{bookingId}',
    summary: 'Cancel a booking',
    access: 'customer',
    idempotent: true,
    success: 200,
  },
  {
    method: 'get',
    path: '/api/staff/{storeId}/stock',
    summary: 'The store’s numbers, shortfalls included',
    access: 'staff',
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/stock/{sku}/receive',
    summary: 'Receive stock',
    access: 'staff',
    body: receiveStockSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/stock/{sku}/count',
    summary: 'Count: set to n given the value last seen',
    access: 'staff',
    body: countStockSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/stock/{sku}/sell',
    summary: 'Sell from what is available',
    access: 'staff',
    body: removeStockSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/stock/{sku}/write-off',
    summary: 'Write off from what is available',
    access: 'staff',
    body: removeStockSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'get',
    path: '/api/staff/{storeId}/holds',
    summary: 'The pickup queue',
    access: 'staff',
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/holds/{holdId}/{step}',
    summary: 'ack | accept | pick | hand-over | cancel',
    access: 'staff',
    idempotent: true,
    success: 200,
  },
  {
    method: 'get',
    path: '/api/staff/{storeId}/leases',
    summary: 'This tablet’s leases',
    access: 'staff',
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/leases',
    summary: 'Take units for offline selling',
    access: 'staff',
    body: takeLeaseSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/leases/{sku}/report',
    summary: 'Report offline sales and return the rest',
    access: 'staff',
    body: reportLeaseSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'get',
    path: '/api/staff/{storeId}/appointments',
    summary: 'The day’s bookings',
    access: 'staff',
    query: z.object({ date: dateSchema.optional() }),
    success: 200,
  },
  {
    method: 'post',
    path: '/api/staff/{storeId}/bookings/{bookingId}/{step}',
    summary: 'ack | check-in | no-show | cancel',
    access: 'staff',
    idempotent: true,
    success: 200,
  },
  {
    method: 'get',
    path: '/api/staff/{storeId}/audit',
    summary: 'The store’s audit log, newest first',
    access: 'staff',
    query: auditQuerySchema,
    success: 200,
  },
  {
    method: 'put',
    path: '/api/admin/stores/{storeId}',
    summary: 'Create or update a store',
    access: 'admin',
    body: storeSchema,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/admin/stores/{storeId}/products',
    summary: 'Import products and shelf counts',
    access: 'admin',
    body: productImportSchema,
    idempotent: true,
    success: 200,
  },
  {
    method: 'get',
    path: '/api/admin/stores/{storeId}/audit',
    summary: 'A store’s audit log',
    access: 'admin',
    query: auditQuerySchema,
    success: 200,
  },
  {
    method: 'post',
    path: '/api/admin/events',
    summary: 'Create an event',
    access: 'admin',
    body: createEventSchema,
    success: 201,
  },
  {
    method: 'post',
    path: '/api/admin/events/{eventId}/slots',
    summary: 'Generate slots in store time',
    access: 'admin',
    body: generateSlotsSchema,
    success: 201,
  },
];

const SECURITY: Record<Access, { [scheme: string]: string[] }[]> = {
  public: [],
  customer: [{ manageToken: [] }],
  staff: [{ deviceCredential: [] }],
  admin: [{ adminToken: [] }],
};

/** A schema embedded in the document, whose dialect (JSON Schema 2020-12) is OpenAPI 3.1's own. */
function toJsonSchema(schema: z.ZodType) {
  const { $schema: _dialect, ...embedded } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return embedded;
}

/** The routes not yet declared with `declareRoute`, in the document's shape. */
function legacyPaths() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters: unknown[] = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    for (const [name, schema] of Object.entries(op.query?.shape ?? {})) {
      parameters.push({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: toJsonSchema(schema as z.ZodType),
      });
    }
    if (op.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description:
          'Made when the person acted. A replay returns the first result; the same key with another body is 422.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,100}$' },
      });
    }
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = {
      summary: op.summary,
      security: SECURITY[op.access],
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJsonSchema(op.body) } },
            },
          }
        : {}),
      responses: {
        [op.success]: { description: 'Done' },
        '4XX': {
          description: 'Refused: see the error codes',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  return paths;
}

/** The OpenAPI 3.1 document of `app`, derived from its declared routes. */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Holdfast API', version: '1' },
  });
  const paths: Record<string, object> = { ...generated.paths };
  for (const [path, ops] of Object.entries(legacyPaths())) paths[path] = { ...paths[path], ...ops };
  return {
    ...generated,
    paths,
    components: {
      ...generated.components,
      securitySchemes: SECURITY_SCHEMES,
      schemas: {
        ...generated.components?.schemas,
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', enum: Object.keys(ERROR_MESSAGES) },
            message: { type: 'string' },
            details: { type: 'object' },
          },
        },
        ErrorCodes: {
          description: 'Every error code, its HTTP status and its message',
          type: 'object',
          properties: Object.fromEntries(
            Object.entries(ERROR_MESSAGES).map(([code, message]) => [
              code,
              { const: message, description: `HTTP ${HTTP_STATUS[code as keyof typeof HTTP_STATUS]}` },
            ]),
          ),
        },
      },
    },
  };
}

/** Serves the document at `path`; built on first request, after every route is mounted. */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>, path: string): void {
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get(path, (c) => {
    document ??= openApiDocument(app);
    return c.json(document);
  });
}
