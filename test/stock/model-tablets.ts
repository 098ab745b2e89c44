import { expect } from 'vitest';
import { newKey } from '../helpers/server.ts';

/**
 * The tablets' part of the model test (model.property.test.ts), issue 15 §1: what a tablet
 * does in the store that the server learns late (offline sales), its revocation, its late
 * reports and an admin's settlement of what it kept.
 */

/** An offline sale the tablet made and has not delivered: its outbox entry. */
export interface OfflineSale {
  id: string;
  key: string;
  quantity: number;
  at: number;
}

/** One tablet, as the server and the store know it. */
export interface Device {
  /** Set once an admin revoked it (the server's instant). */
  revokedAt?: number;
  /** The tablet learned it was revoked (it reached the server): it sells no more. */
  knows: boolean;
  /** The lease as the tablet last heard it: what it believes it may sell offline. */
  localLease: number;
  /** Offline sales not delivered yet (physically gone from the shelf). */
  unreported: OfflineSale[];
  /** Offline sales the server refused (after the revocation, or beyond what was left): gone, never counted. */
  lost: number;
}

export const newDevice = (): Device => ({ knows: false, localLease: 0, unreported: [], lost: 0 });

/** The model's numbers a tablet's commands move. */
export interface TabletModel {
  onHand: number;
  leases: [number, number];
  physical: number;
  actionIds: string[];
  devices: [Device, Device];
}

export interface Reply {
  status: number;
  reply: unknown;
}

/** How the commands reach the real server. */
export interface TabletWorld {
  now(): number;
  /** A staff request with device d's credential. */
  asTablet(d: 0 | 1, path: string, body: unknown, key: string): Promise<Reply>;
  /** An admin request. */
  asAdmin(method: string, path: string, body: unknown, key: string): Promise<Reply>;
  deviceId(d: 0 | 1): string;
}

const unreportedUnits = (dev: Device) => dev.unreported.reduce((sum, s) => sum + s.quantity, 0);

/** Units a tablet keeps and may still sell: it has not learned it was revoked. */
export function keptBy(dev: Device): number {
  if (dev.revokedAt !== undefined && dev.knows) return 0;
  return Math.max(0, dev.localLease - unreportedUnits(dev));
}

/** The tablet sells offline within what it believes it keeps; the unit leaves the shelf now. */
export function sellOffline(m: TabletModel, d: 0 | 1, n: number, world: TabletWorld): void {
  const dev = m.devices[d];
  if (keptBy(dev) < n) return;
  dev.unreported.push({ id: `offline-${newKey()}`, key: newKey('outbox'), quantity: n, at: world.now() });
  m.physical -= n;
}

/**
 * The tablet is back online and its outbox sends its offline sales, one report each, in order
 * (a revoked tablet with its report-only credential). The server takes a revoked tablet's
 * sale only if it was made before the revocation and within what is left of the lease.
 */
export async function deliver(m: TabletModel, d: 0 | 1, world: TabletWorld): Promise<void> {
  const dev = m.devices[d];
  for (const sale of dev.unreported) {
    const action = { id: sale.id, kind: 'sale', quantity: sale.quantity, at: sale.at };
    const sent = await world.asTablet(
      d,
      'leases/KIT/report',
      { actions: [action], returnQuantity: 0 },
      sale.key,
    );
    const refusal =
      dev.revokedAt === undefined
        ? undefined
        : sale.at > dev.revokedAt
          ? 'ACTION_AFTER_REVOCATION'
          : sale.quantity > m.leases[d]
            ? 'LEASE_EXCEEDED'
            : undefined;
    if (refusal) {
      expect([sent.status, (sent.reply as { code: string }).code]).toEqual([409, refusal]);
      dev.lost += sale.quantity;
      continue;
    }
    expect(sent.status).toBe(200);
    m.actionIds.push(sale.id);
    m.leases[d] -= Math.min(m.leases[d], sale.quantity);
    m.onHand -= Math.min(m.onHand, sale.quantity);
  }
  dev.unreported = [];
  if (dev.revokedAt !== undefined) dev.knows = true;
  else dev.localLease = m.leases[d];
}

/** An admin revokes the tablet; it does not know until it reaches the server. */
export async function revoke(m: TabletModel, d: 0 | 1, world: TabletWorld): Promise<void> {
  const sent = await world.asAdmin(
    'POST',
    `/api/admin/devices/${world.deviceId(d)}/revoke?confirmWaitingPickups=true`,
    undefined,
    newKey('revoke'),
  );
  expect(sent.status).toBe(200);
  expect((sent.reply as { unreportedUnits: number }).unreportedUnits).toBe(m.leases[d]);
  m.devices[d].revokedAt ??= world.now();
}

/**
 * An admin settles what a revoked tablet kept. The admin tells the truth: units go back to the
 * shelf only when they are there (the tablet is in hand, every sale of it reported, none
 * refused); otherwise they are written off.
 */
export async function settle(
  m: TabletModel,
  d: 0 | 1,
  wanted: 'write_off' | 'return',
  world: TabletWorld,
): Promise<{ body: unknown; key: string; sent: Reply }> {
  const dev = m.devices[d];
  const onShelf = dev.knows && dev.unreported.length === 0 && dev.lost === 0;
  const decision = wanted === 'return' && onShelf ? 'return' : 'write_off';
  const key = newKey('settle');
  const body = { decision };
  const sent = await world.asAdmin('POST', `/api/admin/tablets/${world.deviceId(d)}/settle`, body, key);
  if (dev.revokedAt === undefined) {
    expect([sent.status, (sent.reply as { code: string }).code]).toEqual([409, 'DEVICE_NOT_REVOKED']);
    return { body, key, sent };
  }
  expect(sent.status).toBe(200);
  expect(sent.reply).toMatchObject({ decision, units: m.leases[d] });
  if (decision === 'write_off') m.onHand -= Math.min(m.onHand, m.leases[d]);
  m.leases[d] = 0;
  return { body, key, sent };
}
