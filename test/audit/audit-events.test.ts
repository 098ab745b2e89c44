import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKeys } from '../../server/appointments/keys.ts';
import { storeAuditStream } from '../../server/audit/streams.ts';
import { scriptAt } from '../../server/redis/lua-script.ts';
import { sweepStore } from '../../server/stock/sweeper.ts';
import { admitWaiting } from '../../server/waiting-room/room.ts';
import {
  ALL_AUDIT_EVENT_TYPES,
  AUDIT_EVENT_VERSION,
  type AuditEvent,
  LUA_AUDIT_EVENT_TYPES,
  parseAuditEvent,
  type RawStreamEntry,
  typeNameOf,
} from '../../shared/audit-events.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { manualClock } from '../helpers/clock.ts';
import { customer, enrollTablet, HNL, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Types another change writes (issue 15 §1, the revocation work): in the union, not produced here. */
const WRITTEN_ELSEWHERE = ['lease.frozen', 'lease.settled', 'tablet.revoked'];

function luaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return luaFiles(path);
    return entry.name.endsWith('.lua') ? [path] : [];
  });
}

describe('audit event type names in Lua', () => {
  it('every audit(...) and return_lease(...) in a script names its type through EV, and every EV name is in the union', () => {
    const calls: string[] = [];
    for (const file of luaFiles(join(ROOT, 'server'))) {
      const source = readFileSync(file, 'utf8');
      for (const [, args = ''] of source.matchAll(/\baudit\(([^,]+),/g)) calls.push(args.trim());
      // return_lease(..., kind, actor): the type is the argument before the last.
      for (const line of source
        .split('\n')
        .filter((l) => /\breturn_lease\(/.test(l) && !/function/.test(l))) {
        calls.push(/, (EV\.\w+|'[^']*'|kind), \w+\)$/.exec(line.trim())?.[1] ?? line);
      }
    }
    // The prelude's own helpers pass their `kind` argument on.
    const named = calls.filter((c) => c !== 'kind');
    expect(named.length).toBeGreaterThan(20);
    const lookups = new Set<string>();
    for (const arg of named) {
      expect(arg, `a type name given as ${arg}`).toMatch(/^EV\.\w+(\[[\w.]+\])?$/);
      const [, field = '', index] = /^EV\.(\w+)(\[[\w.]+\])?$/.exec(arg) ?? [];
      lookups.add(field);
      const value = (LUA_AUDIT_EVENT_TYPES as Record<string, unknown>)[field];
      expect(value, `EV.${field}`).toBeDefined();
      if (index === undefined) expect(ALL_AUDIT_EVENT_TYPES).toContain(value);
      else for (const name of Object.values(value as object)) expect(ALL_AUDIT_EVENT_TYPES).toContain(name);
    }
    expect([...lookups]).toEqual(expect.arrayContaining(['stock', 'holdStep', 'leaseAction', 'bookingMark']));
  });

  it('parses an entry of a type it does not know as unknown, with the reason, instead of failing', () => {
    const future = parseAuditEvent('{st:aiea}:audit', [
      '5-0',
      ['v', '9', 'type', 'stock.teleported', 'actor', '{"role":"admin"}', 'at', '5', 'data', '{"sku":"KIT"}'],
    ]);
    expect(future).toMatchObject({ type: 'unknown', rawType: 'stock.teleported', storeId: 'aiea', v: 9 });
    const misfit = parseAuditEvent('{st:aiea}:audit', [
      '6-0',
      ['type', 'hold.created', 'actor', 'not json', 'at', '6', 'data', '{"sku":"KIT"}'],
    ]);
    expect(misfit).toMatchObject({ type: 'unknown', rawType: 'hold.created', v: 1 });
    expect((misfit as { problem: string }).problem).toContain('holdId');
  });
});

describe('events the revocation work writes (issue 15 §1)', () => {
  it('types lease.frozen and lease.settled as that work writes them, an empty Lua list as []', () => {
    const raw = (type: string, data: object): RawStreamEntry => [
      '7-0',
      ['type', type, 'actor', '{"role":"admin"}', 'at', '7', 'data', JSON.stringify(data), 'v', '2'],
    ];
    const frozen = parseAuditEvent(
      '{st:aiea}:audit',
      raw('lease.frozen', { deviceId: 'D1', revokedAt: 7, unreported: 0, skus: {} }),
    );
    expect(frozen).toMatchObject({ type: 'lease.frozen', data: { skus: [] } });
    const settled = parseAuditEvent(
      '{st:aiea}:audit',
      raw('lease.settled', { deviceId: 'D1', sku: 'KIT', quantity: 2, decision: 'write_off', revokedAt: 7 }),
    );
    expect(settled).toMatchObject({
      type: 'lease.settled',
      storeId: 'aiea',
      data: { decision: 'write_off' },
    });
  });
});

describe('audit events written by the real scripts', () => {
  let redis: TestRedis;
  let server: TestServer;
  const clock = manualClock(Date.UTC(2026, 11, 7, 19, 0));

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startTestServer(redis, {}, { clock });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    call(server.url, method, `/api${path}`, {
      token: TEST_ADMIN_TOKEN,
      idempotencyKey: newKey('admin'),
      ...(body === undefined ? {} : { body }),
    });
  const ok = (r: { status: number; body: unknown }) => {
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body as Record<string, unknown>;
  };

  async function readAll(stream: string): Promise<AuditEvent[]> {
    const raw = (await redis.client().xrange(stream, '-', '+')) as RawStreamEntry[];
    return raw.map((entry) => parseAuditEvent(stream, entry));
  }

  it('produces every type of the union, each parsed as that type, stock events with the numbers after', async () => {
    await seedStore(server.url, 'aiea', [
      { sku: 'KIT', onHand: 20 },
      { sku: 'CAB', onHand: 2 },
    ]);
    await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 5 }]);
    const tablet = await enrollTablet(server.url, 'aiea', 'Front counter');
    const staff = (path: string, body?: unknown) =>
      call(server.url, 'POST', `/api/staff/aiea${path}`, {
        token: tablet.token,
        idempotencyKey: newKey('staff'),
        ...(body === undefined ? {} : { body }),
      });
    ok(await admin('PUT', `/admin/tablets/${tablet.deviceId}/name`, { name: 'Back office' }));
    ok(await admin('PUT', '/admin/products/KIT/hold-limit', { maxPerHold: 3 }));

    // Stock: receive, count, sale, write-off; a count below what is held raises a shortfall.
    ok(await staff('/stock/KIT/receive', { quantity: 3, reason: 'truck' }));
    ok(await staff('/stock/KIT/count', { counted: 22, lastSeen: 23 }));
    ok(await staff('/stock/KIT/sell', { quantity: 1 }));
    ok(await staff('/stock/KIT/write-off', { quantity: 1, reason: 'damaged' }));
    const newHold = async (sku: string, quantity: number) =>
      ok(
        await call(server.url, 'POST', '/api/holds', {
          idempotencyKey: newKey('hold'),
          body: { storeId: 'aiea', sku, quantity, customer: customer(quantity) },
        }),
      ) as { id: string; manageToken: string };
    await newHold('CAB', 2);
    ok(await staff('/stock/CAB/count', { counted: 1, lastSeen: 2 }));

    // A hold through every step, one cancelled by staff, one left to expire.
    const hold = await newHold('KIT', 2);
    ok(
      await call(server.url, 'POST', `/api/holds/${hold.id}/confirm`, {
        token: hold.manageToken,
        idempotencyKey: newKey('confirm'),
      }),
    );
    for (const step of ['ack', 'accept', 'pick', 'hand-over']) ok(await staff(`/holds/${hold.id}/${step}`));
    const cancelled = await newHold('KIT', 1);
    ok(await staff(`/holds/${cancelled.id}/cancel`));
    await newHold('KIT', 1);

    // Leases: taken, sold and written off from, returned, revoked by an admin, expired.
    ok(await staff('/leases', { sku: 'KIT', quantity: 3 }));
    ok(
      await staff('/leases/KIT/report', {
        actions: [
          { id: newKey('sale'), kind: 'sale', quantity: 1, at: clock.now() },
          { id: newKey('lost'), kind: 'write_off', quantity: 1, at: clock.now(), reason: 'broken' },
        ],
        returnQuantity: 1,
      }),
    );
    ok(await staff('/leases', { sku: 'KIT', quantity: 2 }));
    ok(await admin('POST', `/admin/tablets/${tablet.deviceId}/leases/KIT/return`));
    ok(await staff('/leases', { sku: 'KIT', quantity: 1 }));
    clock.advance(
      server.deps.config.holdTtlMs + server.deps.config.leaseTtlMs + server.deps.config.leaseGraceMs,
    );
    await sweepStore(server.deps, 'aiea');

    // An event, its slots, bookings through every step, admin changes to a slot.
    const day = dateInZone(clock.now(), HNL.timeZone);
    ok(await admin('POST', '/admin/events', { id: 'launch', name: 'Launch' }));
    ok(await admin('POST', '/admin/events', { id: 'launch', name: 'Launch night' }));
    ok(await admin('PUT', '/admin/events/launch/booking-limit', { perCustomerLimit: 2 }));
    ok(
      await admin('POST', '/admin/events/launch/slots', {
        storeIds: ['aiea', 'kapolei'],
        firstDate: addDays(day, 1),
        days: 1,
        dayStart: '09:00',
        dayEnd: '10:00',
        capacity: 5,
      }),
    );
    const slot = (store: string, hhmm: string) =>
      `launch.${store}.${addDays(day, 1).replaceAll('-', '')}${hhmm}`;
    const book = async (n: number, slotId: string) =>
      ok(
        await call(server.url, 'POST', '/api/bookings', {
          idempotencyKey: newKey('book'),
          body: { slotId, customer: customer(n) },
        }),
      ) as { id: string; manageToken: string };
    const moved = await book(1, slot('aiea', '0900'));
    ok(
      await call(server.url, 'POST', `/api/bookings/${moved.id}/reschedule`, {
        token: moved.manageToken,
        idempotencyKey: newKey('move'),
        body: { slotId: slot('kapolei', '0930') },
      }),
    );
    const gone = await book(2, slot('aiea', '0900'));
    ok(
      await call(server.url, 'DELETE', `/api/bookings/${gone.id}`, {
        token: gone.manageToken,
        idempotencyKey: newKey('cancel'),
      }),
    );
    const came = await book(3, slot('aiea', '0900'));
    const missed = await book(4, slot('aiea', '0930'));
    ok(await staff(`/bookings/${came.id}/ack`));
    ok(await admin('PUT', `/admin/slots/${slot('aiea', '0900')}/capacity`, { capacity: 4 }));
    ok(await admin('PUT', `/admin/slots/${slot('aiea', '0900')}/closed`, { closed: true }));
    ok(await admin('PUT', `/admin/slots/${slot('aiea', '0900')}/closed`, { closed: false }));
    clock.advance(2 * 24 * 60 * 60 * 1000);
    ok(await staff(`/bookings/${came.id}/check-in`));
    ok(await staff(`/bookings/${missed.id}/no-show`));
    ok(await staff(`/bookings/${missed.id}/undo`));

    // The waiting room: configured, opened by the admission step, sold out and open again.
    ok(
      await admin('PUT', '/admin/events/launch/waiting-room', {
        enabled: true,
        admissionsPerMinute: 60,
        ticketMinutes: 5,
        opensAt: clock.now() - 1_000,
      }),
    );
    await admitWaiting(server.deps, 'launch');
    const soldOut = scriptAt(
      'mark-sold-out',
      new URL('../../server/waiting-room/room.ts', import.meta.url).href,
      {
        keys: ['room', 'queue', 'audit'],
      },
    );
    const k = eventKeys('launch');
    const room = { room: k.room, queue: k.roomQueue, audit: k.audit };
    await soldOut.call(redis.client(), room, [clock.now(), '1']);
    await soldOut.call(redis.client(), room, [clock.now(), '0']);

    const events = [
      ...(await readAll(storeAuditStream('aiea'))),
      ...(await readAll(storeAuditStream('kapolei'))),
      ...(await readAll(k.audit)),
    ];
    const unknown = events.filter((e) => e.type === 'unknown');
    expect(unknown).toEqual([]);
    const seen = new Set(events.map(typeNameOf));
    const expected = ALL_AUDIT_EVENT_TYPES.filter((t) => !WRITTEN_ELSEWHERE.includes(t));
    expect(expected.filter((t) => !seen.has(t))).toEqual([]);
    expect(events.every((e) => e.v === AUDIT_EVENT_VERSION)).toBe(true);

    // Who, when and where on every entry; the numbers after the change on every stock event.
    for (const e of events) {
      expect(e.actor).toHaveProperty('role');
      expect(e.at).toBeGreaterThan(0);
      expect(e.storeId !== undefined || e.eventId !== undefined, typeNameOf(e)).toBe(true);
      if (/^(stock|hold|lease)\./.test(typeNameOf(e)))
        expect(e.data, typeNameOf(e)).toHaveProperty('stockAfter');
    }
    const lastKit = events
      .filter((e) => e.storeId === 'aiea' && (e.data as { sku?: string }).sku === 'KIT')
      .at(-1);
    const { products } = ok(await call(server.url, 'GET', '/api/staff/aiea/stock', { token: tablet.token }));
    const kit = (products as { sku: string; onHand: number; held: number; leased: number }[]).find(
      (p) => p.sku === 'KIT',
    );
    expect(lastKit?.data).toMatchObject({
      stockAfter: { onHand: kit?.onHand, held: kit?.held, leased: kit?.leased },
    });
    const withReason = events.find((e) => e.type === 'stock.write_off');
    expect(withReason).toMatchObject({
      reason: 'damaged',
      actor: { role: 'staff', deviceId: tablet.deviceId },
    });
    const imported = events.find((e) => e.type === 'catalog.imported' && e.storeId === 'aiea');
    expect(imported?.data).toMatchObject({
      products: [
        expect.objectContaining({ sku: 'KIT', created: true, onHand: 20 }),
        expect.objectContaining({ sku: 'CAB' }),
      ],
    });
    expect(
      events
        .filter((e) => e.type === 'product.limits_changed')
        .map((e) => e.storeId)
        .sort(),
    ).toEqual(['aiea', 'kapolei']);
    expect(events.find((e) => e.type === 'event.saved' && e.data.nameBefore)).toMatchObject({
      data: { name: 'Launch night', nameBefore: 'Launch' },
      actor: { role: 'admin' },
    });
    expect(events.find((e) => e.type === 'tablet.renamed')?.data).toMatchObject({
      nameBefore: 'Front counter',
      name: 'Back office',
    });
  });
});
