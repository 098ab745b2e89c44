import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCsvHeader, auditCsvRow, csvField } from '../../client/admin/pages/audit-csv.ts';
import { SCAN_BUDGET } from '../../server/admin/controls/audit.ts';
import type { AdminAuditEntry } from '../../shared/api/admin-controls.ts';
import { typeNameOf } from '../../shared/audit-events.ts';
import { customer, enrollTablet, HNL, seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from '../http/contract.ts';

let redis: TestRedis;
let server: TestServer;
let db: Redis;
let contract: ReturnType<typeof routeContract>;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  contract = routeContract(server.app);
  db = redis.client();
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

type Entry = AdminAuditEntry & { actor: { role: string; deviceId?: string } };

/** An admin read whose answer must match what its route declares (test/http/contract.ts). */
async function admin(path: string) {
  const res = await call(server.url, 'GET', `/api/admin${path}`, { token: TEST_ADMIN_TOKEN });
  contract.check('GET', `/api/admin${path}`, res.status, res.body);
  return res;
}

/** Every page of a query, following the cursor to the end. */
async function readAll(query: string, limit: number): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await admin(`/audit?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    entries.push(...res.body.entries);
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor !== null && pages < 1000);
  return { entries, pages };
}

async function addStore(id: string) {
  const res = await call(server.url, 'PUT', `/api/admin/stores/${id}`, {
    token: TEST_ADMIN_TOKEN,
    body: { id, name: id, address: '1 Test St', phone: '808-555-0100', ...HNL },
  });
  expect(res.status).toBe(200);
}

describe('the merged audit log', () => {
  it('pages through every stream, newest first, equal ids in two streams included once each', async () => {
    await addStore('page-a');
    await addStore('page-b');
    const event = await call(server.url, 'POST', '/api/admin/events', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'ev-x', name: 'X' },
    });
    expect(event.status).toBe(201);
    // Creating the event wrote event.saved at the clock's time: the hand-made ids below are older.
    await db.del('{ev:ev-x}:audit');
    const pipeline = db.pipeline();
    for (let i = 1; i <= 300; i++) {
      const type = i % 10 === 0 ? 'stock.received' : 'hold.created';
      for (const store of ['page-a', 'page-b']) {
        pipeline.xadd(
          `{st:${store}}:audit`,
          `${i}-0`,
          'type',
          type,
          'actor',
          '{"role":"system"}',
          'at',
          i,
          'data',
          `{"sku":"S${i % 7}"}`,
        );
      }
      if (i % 2 === 0) {
        pipeline.xadd(
          '{ev:ev-x}:audit',
          `${i}-0`,
          'type',
          'booking.created',
          'actor',
          '{"role":"customer"}',
          'at',
          i,
          'data',
          '{"storeId":"page-a"}',
        );
      }
    }
    await pipeline.exec();

    const { entries, pages } = await readAll('source=all', 100);
    expect(entries).toHaveLength(750);
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(new Set(entries.map((e) => `${e.source}/${e.id}`)).size).toBe(750);
    const order = entries.map((e) => [Number(e.id.split('-')[0]), e.source] as const);
    const sorted = [...order].sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]));
    expect(order).toEqual(sorted);
    // Hand-written entries without a booking's data: shown, typed as unknown, filtered by their type.
    expect(entries[0]).toMatchObject({
      id: '300-0',
      source: 'ev:ev-x',
      type: 'unknown',
      rawType: 'booking.created',
    });

    const received = await readAll('source=stores&type=stock.received', 7);
    expect(received.entries).toHaveLength(60);
    expect(received.entries.every((e) => typeNameOf(e) === 'stock.received')).toBe(true);
    const byPrefix = await readAll('type=stock', 500);
    expect(byPrefix.entries).toHaveLength(60);
    const ranged = await readAll('storeId=page-a&from=101&to=200', 50);
    // page-a's own 100 entries, and the event's 50 at page-a.
    expect(ranged.entries).toHaveLength(150);
    expect(ranged.entries.every((e) => e.at >= 101 && e.at <= 200)).toBe(true);
    const sku = await readAll('storeId=page-b&sku=S3', 100);
    expect(sku.entries.length).toBe(43);
  });

  it('a rare match past the scan budget is reached by following the cursor, not lost', async () => {
    await addStore('deep');
    const pipeline = db.pipeline();
    pipeline.xadd(
      '{st:deep}:audit',
      '1-0',
      'type',
      'stock.count',
      'actor',
      '{"role":"admin"}',
      'at',
      1,
      'data',
      '{"sku":"RARE"}',
    );
    for (let i = 2; i <= SCAN_BUDGET + 100; i++) {
      pipeline.xadd(
        '{st:deep}:audit',
        `${i}-0`,
        'type',
        'hold.created',
        'actor',
        '{"role":"system"}',
        'at',
        i,
        'data',
        '{}',
      );
    }
    await pipeline.exec();
    const first = await admin('/audit?source=stores&storeId=deep&sku=RARE');
    expect(first.body).toMatchObject({ entries: [], scanned: SCAN_BUDGET });
    expect(first.body.nextCursor).toBe(`${SCAN_BUDGET + 100 - SCAN_BUDGET + 1}-0_st:deep`);
    const second = await admin(`/audit?source=stores&storeId=deep&sku=RARE&cursor=${first.body.nextCursor}`);
    expect(second.body.entries).toEqual([expect.objectContaining({ id: '1-0', rawType: 'stock.count' })]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('filters real entries by store, sku, tablet, actor and type', async () => {
    await seedStore(server.url, 'aiea', [
      { sku: 'KIT', onHand: 5 },
      { sku: 'CAB', onHand: 2 },
    ]);
    await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 5 }]);
    const tablet = await enrollTablet(server.url, 'aiea');
    const received = await call(server.url, 'POST', '/api/staff/aiea/stock/KIT/receive', {
      token: tablet.token,
      idempotencyKey: newKey('recv'),
      body: { quantity: 3, reason: 'truck, "late"' },
    });
    expect(received.status).toBe(200);
    const slotId = await slotTomorrow(server.url, 'launch', 'aiea');
    const booked = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId, customer: customer(1) },
    });
    expect(booked.status).toBe(201);

    const atAiea = (await readAll('storeId=aiea', 100)).entries;
    expect(atAiea.map((e) => e.type)).toEqual([
      'booking.created',
      'slots.generated',
      'stock.receive',
      'tablet.enrolled',
      'catalog.imported',
    ]);
    expect(atAiea[0]).toMatchObject({ source: 'ev:launch', data: { storeId: 'aiea', slotId } });
    const byTablet = (await readAll(`deviceId=${tablet.deviceId}`, 100)).entries;
    expect(byTablet).toEqual([
      expect.objectContaining({
        type: 'stock.receive',
        source: 'st:aiea',
        names: { actor: 'Tablet', product: 'Product KIT' },
      }),
      expect.objectContaining({ type: 'tablet.enrolled', source: 'st:aiea' }),
    ]);
    expect((await readAll('actor=customer&source=events&eventId=launch', 100)).entries).toHaveLength(1);
    // The import lists its products, so filtering by SKU finds it too (issue 15 §5).
    expect((await readAll('sku=KIT&storeId=aiea', 100)).entries.map((e) => e.type)).toEqual([
      'stock.receive',
      'catalog.imported',
    ]);
    expect((await readAll('sku=CAB&storeId=aiea', 100)).entries.map((e) => e.type)).toEqual([
      'catalog.imported',
    ]);
    expect((await readAll('storeId=kapolei', 100)).entries.map((e) => e.type)).toEqual(['catalog.imported']);
    const since = booked.body.createdAt as number;
    expect((await readAll(`from=${since}&storeId=aiea`, 100)).entries.map((e) => e.type)).toEqual([
      'booking.created',
    ]);
  });

  it('exports the filtered log as CSV: the instant and the store time, the actor by id and by name, in words', async () => {
    const { entries } = await readAll('storeId=aiea', 100);
    const csv = auditCsvHeader() + entries.map((e) => `${auditCsvRow(e, HNL.timeZone)}\r\n`).join('');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,source,time,storeTime,type,actor,actorName,storeId,sku,deviceId,summary,data');
    // booking.created, slots.generated, stock.receive, tablet.enrolled, catalog.imported.
    expect(lines).toHaveLength(6);
    const stock = lines.find((l) => l.includes('stock.receive')) ?? '';
    expect(stock).toMatch(
      /,st:aiea,\d{4}-\d\d-\d\dT[^,]+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d HST,stock\.receive,staff:[0-9A-Z]{26},Tablet,aiea,KIT,[0-9A-Z]{26},"Received 3 x Product KIT \(KIT\): truck, ""late""","\{/,
    );
    // The reason's quotes are doubled inside the quoted JSON field.
    expect(stock).toContain('truck, \\""late\\""');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a\nb')).toBe('"a\nb"');
  });

  it('refuses a bad cursor, and callers that are not admins', async () => {
    expect((await admin('/audit?cursor=nonsense')).body.code).toBe('VALIDATION_FAILED');
    expect((await admin('/audit?actor=robot')).body.code).toBe('VALIDATION_FAILED');
    const anonymous = await call(server.url, 'GET', '/api/admin/audit');
    expect(anonymous.status).toBe(401);
  });
});

describe('the live audit feed', () => {
  /** Reads server-sent events from the live endpoint until `enough` says stop. */
  async function readLive(
    query: string,
    act: () => Promise<void>,
    enough: (events: { event: string; id?: string | undefined; data: string }[]) => boolean,
  ) {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/admin/audit/live?${query}`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const events: { event: string; id?: string | undefined; data: string }[] = [];
    let buffer = '';
    let acted = false;
    const deadline = Date.now() + 10_000;
    while (!enough(events) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        );
        events.push({ event: fields.event ?? 'message', id: fields.id, data: fields.data ?? '' });
        cut = buffer.indexOf('\n\n');
      }
      if (!acted && events.some((e) => e.event === 'ready')) {
        acted = true;
        await act();
      }
    }
    controller.abort();
    return events;
  }

  it('pushes new entries that pass the filters, each with its cursor as the event id', async () => {
    const tablet = await enrollTablet(server.url, 'aiea', 'Live one');
    const receive = (storeId: string, token: string) =>
      call(server.url, 'POST', `/api/staff/${storeId}/stock/KIT/receive`, {
        token,
        idempotencyKey: newKey('recv'),
        body: { quantity: 1 },
      });
    const other = await enrollTablet(server.url, 'kapolei', 'Elsewhere');
    const events = await readLive(
      'storeId=aiea&type=stock',
      async () => {
        expect((await receive('kapolei', other.token)).status).toBe(200);
        expect((await receive('aiea', tablet.token)).status).toBe(200);
      },
      (list) => list.some((e) => e.event === 'entry'),
    );
    const entries = events.filter((e) => e.event === 'entry');
    expect(entries).toHaveLength(1);
    const entry = JSON.parse(entries[0]?.data ?? '{}');
    expect(entry).toMatchObject({ source: 'st:aiea', type: 'stock.receive', data: { sku: 'KIT' } });
    expect(entries[0]?.id).toBe(`${entry.id}_st:aiea`);
    // The event id works as a cursor: the page after it holds older entries only.
    const older = await admin(`/audit?storeId=aiea&cursor=${entries[0]?.id}`);
    expect(older.body.entries.every((e: { id: string }) => e.id !== entry.id)).toBe(true);
  });
});
