import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Deps } from '../../server/deps.ts';
import { operationIdOf } from '../../server/http/openapi.ts';

// Building the app touches no Redis; the routes table is all this test reads.
const app = createApp(
  { redis: undefined, config: testConfig({ rateLimitPerMinute: 0 }) } as unknown as Deps,
  { webRoot: '/nonexistent' },
);

interface Operation {
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  enum?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

const document = async () => (await (await app.request('/api/openapi.json')).json()) as Document;

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })),
  );

describe('GET /api/openapi.json', () => {
  it('documents exactly the endpoints the server has', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    const documented = operations(doc)
      .map((o) => o.route)
      .sort();
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && r.path !== '/api/*')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((route) => !['GET /api/openapi.json', 'GET /api/health', 'GET /api/ready'].includes(route));
    expect(documented).toEqual([...new Set(served)].sort());
    expect(documented.length).toBeGreaterThan(40);
  });

  it('gives every operation a success body schema and a typed error body for each refusal status', async () => {
    for (const { route, op } of operations(await document())) {
      const statuses = Object.keys(op.responses);
      const success = statuses.filter((s) => s.startsWith('2'));
      expect(success, route).toHaveLength(1);
      const ok = op.responses[success[0] ?? ''];
      const okSchema =
        ok?.content?.['application/json']?.schema ?? ok?.content?.['text/event-stream']?.schema;
      expect(okSchema, `${route} success schema`).toBeDefined();
      expect(ok?.description, route).not.toBe('Done');
      for (const status of statuses.filter((s) => !s.startsWith('2'))) {
        const schema = op.responses[status]?.content?.['application/json']?.schema;
        // The error body's `code` lists exactly the codes this status may carry here.
        const codes = schema?.properties?.code?.enum;
        expect(codes?.length, `${route} ${status}`).toBeGreaterThan(0);
        expect(schema?.properties?.message?.type, `${route} ${status}`).toBe('string');
      }
      expect(statuses, route).toContain('500');
    }
  });

  it('says which credential each route takes, matching the path prefix that enforces it', async () => {
    const doc = await document();
    for (const { route, path, op } of operations(doc)) {
      const schemes = op.security.flatMap((s) => Object.keys(s));
      if (path.startsWith('/api/staff/')) expect(schemes, route).toEqual(['deviceCredential']);
      else if (path.startsWith('/api/admin/')) expect(schemes, route).toEqual(['adminToken']);
      else expect(['manageToken', undefined], route).toContain(schemes[0]);
      for (const scheme of schemes) expect(doc.components.securitySchemes).toHaveProperty([scheme]);
    }
  });

  it('documents the Idempotency-Key header and its refusals on the routes that read it', async () => {
    const doc = await document();
    const confirm = doc.paths['/api/holds/{holdId}/confirm']?.post;
    expect(confirm?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    const codes400 = confirm?.responses['400']?.content?.['application/json']?.schema?.properties?.code?.enum;
    expect(codes400).toContain('IDEMPOTENCY_KEY_MISSING');
    expect(confirm?.responses['422']?.content?.['application/json']?.schema?.properties?.code?.enum).toEqual([
      'IDEMPOTENCY_KEY_REUSED',
    ]);
  });

  it('names the public customer endpoints other clients rely on', async () => {
    const doc = await document();
    for (const path of [
      '/api/stores',
      '/api/stores/{storeId}/products',
      '/api/holds',
      '/api/holds/{holdId}',
      '/api/holds/{holdId}/confirm',
      '/api/events',
      '/api/events/{eventId}/slots',
      '/api/bookings',
      '/api/bookings/{bookingId}',
      '/api/bookings/{bookingId}/reschedule',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });

  it('names every operation from its method and path, once, and says where the API is served', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Document & {
      servers: { url: string }[];
    };
    const ids = operations(doc).map(({ route, path }) => {
      const method = route.split(' ')[0]?.toLowerCase() ?? '';
      const op = doc.paths[path]?.[method] as Operation & { operationId?: string };
      expect(op.operationId, route).toBe(operationIdOf(method, path));
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('spells an operationId in camel case, a path parameter as By<Name>', () => {
    expect(operationIdOf('get', '/api/holds/{holdId}')).toBe('getHoldsByHoldId');
    expect(operationIdOf('post', '/api/staff/{storeId}/holds/{holdId}/hand-over')).toBe(
      'postStaffByStoreIdHoldsByHoldIdHandOver',
    );
    expect(operationIdOf('put', '/api/admin/events/{eventId}/waiting-room')).toBe(
      'putAdminEventsByEventIdWaitingRoom',
    );
  });
});
