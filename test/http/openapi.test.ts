import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Deps } from '../../server/deps.ts';

// Building the app touches no Redis; the routes table is all this test reads.
const app = createApp(
  { redis: undefined, config: testConfig({ rateLimitPerMinute: 0 }) } as unknown as Deps,
  { webRoot: '/nonexistent' },
);

describe('GET /api/openapi.json', () => {
  it('documents exactly the endpoints the server has', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && r.path !== '/api/*')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((route) => !['GET /api/openapi.json', 'GET /api/health', 'GET /api/ready'].includes(route));
    expect(documented).toEqual([...new Set(served)].sort());
  });

  it('names the public customer endpoints other clients rely on', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
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
});
