import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, enrollTablet, seedStore, slotTomorrow, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { openSse } from '../helpers/sse.ts';
import { connectDoc } from '../helpers/tablet-client.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';

let redis: TestRedis;
let server: TestServer;
let scraper: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  // A second instance over the same Redis, scraped with its own token.
  scraper = await startTestServer(redis, { metricsToken: METRICS_TOKEN });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 5 },
    { sku: 'LAST', onHand: 1 },
  ]);
});
afterAll(async () => {
  await scraper?.close();
  await server?.close();
  await redis?.stop();
});

async function scrape(url: string, token = TEST_ADMIN_TOKEN): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample, e.g. `holdfast_holds_created_total` or `x{route="/api/holds",code="SOLD_OUT"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('takes admin credentials, or only METRICS_TOKEN when that is set', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    await scrape(server.url);
    const asAdmin = await fetch(`${scraper.url}/metrics`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(asAdmin.status).toBe(401);
    expect(asAdmin.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await scrape(scraper.url, METRICS_TOKEN);
  });

  it('counts holds, bookings and refusals by code, times requests by route template, and carries no personal data', async () => {
    const url = server.url;
    const hold = await call(url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'LAST', quantity: 1, customer: customer(1) },
    });
    expect(hold.status).toBe(201);
    const key = newKey();
    const replay = {
      idempotencyKey: key,
      body: { storeId: 'aiea', sku: 'LAST', quantity: 1, customer: customer(2) },
    };
    expect((await call(url, 'POST', '/api/holds', replay)).body.code).toBe('SOLD_OUT');
    expect((await call(url, 'POST', '/api/holds', replay)).body.code).toBe('SOLD_OUT');
    await call(url, 'GET', `/api/holds/${hold.body.id}`, { token: hold.body.manageToken });
    const slot = await slotTomorrow(url, 'launch');
    const booking = await call(url, 'POST', '/api/bookings', {
      idempotencyKey: newKey(),
      body: { slotId: slot, customer: customer(3) },
    });
    expect(booking.status).toBe(201);

    const text = await scrape(url);
    expect(sample(text, 'holdfast_holds_created_total')).toBe(1);
    expect(sample(text, 'holdfast_bookings_created_total')).toBe(1);
    // A replayed refusal is still a refusal answered.
    expect(sample(text, 'holdfast_refusals_total{route="/api/holds",code="SOLD_OUT"}')).toBe(2);
    expect(
      sample(
        text,
        'http_request_duration_seconds_count{method="GET",route="/api/holds/:holdId",status="200"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_count{method="POST",route="/api/holds",status="201"}'),
    ).toBe(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(sample(text, 'holdfast_redis_up')).toBe(1);
    expect(sample(text, 'holdfast_redis_round_trip_seconds')).toBeGreaterThan(0);
    for (const personal of [
      'Metric Person',
      'customerMetric',
      '@example.com',
      hold.body.id,
      hold.body.manageToken,
    ])
      expect(text, personal).not.toContain(personal);
  });

  it('says how many event streams and tablets are open now', async () => {
    const url = server.url;
    expect(sample(await scrape(url), 'holdfast_event_streams_open')).toBe(0);
    const stream = openSse(`${url}/api/live/stores/aiea`);
    expect(await stream.status).toBe(200);
    await waitUntil(
      async () => sample(await scrape(url), 'holdfast_event_streams_open'),
      (open) => open === 1,
    );
    stream.close();
    await waitUntil(
      async () => sample(await scrape(url), 'holdfast_event_streams_open'),
      (open) => open === 0,
    );

    const tablet = await enrollTablet(url, 'aiea');
    const doc = connectDoc(url, 'aiea', tablet.token);
    try {
      await doc.synced;
      expect(sample(await scrape(url), 'holdfast_tablets_connected')).toBe(1);
    } finally {
      doc.close();
    }
    await waitUntil(
      async () => sample(await scrape(url), 'holdfast_tablets_connected'),
      (open) => open === 0,
    );
  });

  it('shows a gauge another part registers, read at each scrape', async () => {
    let behind = 3;
    const remove = server.deps.metrics.gauge({
      name: 'holdfast_test_backlog_entries',
      help: 'a backlog, as the archiver would report it',
      labelNames: ['group'],
      aggregator: 'max',
      read: () => [{ labels: { group: 'archiver' }, value: behind }],
    });
    expect(sample(await scrape(server.url), 'holdfast_test_backlog_entries{group="archiver"}')).toBe(3);
    behind = 0;
    expect(sample(await scrape(server.url), 'holdfast_test_backlog_entries{group="archiver"}')).toBe(0);
    remove();
    expect(await scrape(server.url)).not.toContain('holdfast_test_backlog_entries');
  });
});
