import type { LeaseAction } from '../../shared/api/stock.ts';

/** Staff steps on a pickup hold, as the staff routes spell them. */
export type HoldStepName = 'ack' | 'accept' | 'pick' | 'hand-over' | 'cancel';
/** Staff steps on an appointment booking. */
export type BookingStepName = 'ack' | 'check-in' | 'no-show' | 'undo';

/**
 * Everything a tablet asks the server to do, as a name and its arguments. The outbox stores
 * these (not HTTP methods and paths), so a route can move without stranding queued actions.
 */
export interface CommandArgs {
  'stock.receive': { sku: string; quantity: number };
  'stock.count': { sku: string; counted: number; lastSeen: number; reason?: string };
  'stock.sell': { sku: string; quantity: number };
  'stock.write-off': { sku: string; quantity: number; reason?: string };
  'lease.take': { sku: string; quantity: number };
  'lease.report': { sku: string; actions: LeaseAction[]; returnQuantity: number };
  'hold.step': { holdId: string; step: HoldStepName };
  'booking.step': { bookingId: string; step: BookingStepName };
}
export type CommandName = keyof CommandArgs;
export type Command = { [N in CommandName]: { name: N; args: CommandArgs[N] } }[CommandName];

export interface CommandRequest {
  method: 'POST';
  path: string;
  body?: unknown;
}

const enc = encodeURIComponent;

/** The one table that maps a command to its request under `/api/staff/<storeId>`. */
const REQUESTS: { [N in CommandName]: (args: CommandArgs[N]) => CommandRequest } = {
  'stock.receive': ({ sku, quantity }) => post(`/stock/${enc(sku)}/receive`, { quantity }),
  'stock.count': ({ sku, ...body }) => post(`/stock/${enc(sku)}/count`, body),
  'stock.sell': ({ sku, quantity }) => post(`/stock/${enc(sku)}/sell`, { quantity }),
  'stock.write-off': ({ sku, ...body }) => post(`/stock/${enc(sku)}/write-off`, body),
  'lease.take': (body) => post('/leases', body),
  'lease.report': ({ sku, ...body }) => post(`/leases/${enc(sku)}/report`, body),
  'hold.step': ({ holdId, step }) => post(`/holds/${enc(holdId)}/${step}`),
  'booking.step': ({ bookingId, step }) => post(`/bookings/${enc(bookingId)}/${step}`),
};

function post(path: string, body?: unknown): CommandRequest {
  return body === undefined ? { method: 'POST', path } : { method: 'POST', path, body };
}

/** The HTTP request that carries `command` for the tablet's store. */
export function requestFor(storeId: string, command: Command): CommandRequest {
  const build = REQUESTS[command.name] as (args: Command['args']) => CommandRequest;
  const request = build(command.args);
  return { ...request, path: `/api/staff/${enc(storeId)}${request.path}` };
}

/**
 * Reads an action queued by an app version that stored method and path (database version 1),
 * so an update never strands what staff did offline. Unknown shapes give undefined.
 */
export function commandFromLegacyRequest(path: string, body: unknown): Command | undefined {
  const rest = /^\/api\/staff\/[^/]+(\/.*)$/.exec(path)?.[1];
  if (!rest) return undefined;
  const b = (body ?? {}) as Record<string, unknown>;
  const num = (key: string) => Number(b[key] ?? 0);
  let m = /^\/stock\/([^/]+)\/(receive|count|sell|write-off)$/.exec(rest);
  if (m?.[1] && m[2]) {
    const sku = decodeURIComponent(m[1]);
    if (m[2] === 'receive') return { name: 'stock.receive', args: { sku, quantity: num('quantity') } };
    if (m[2] === 'count')
      return { name: 'stock.count', args: { sku, counted: num('counted'), lastSeen: num('lastSeen') } };
    if (m[2] === 'sell') return { name: 'stock.sell', args: { sku, quantity: num('quantity') } };
    const reason = typeof b.reason === 'string' ? { reason: b.reason } : {};
    return { name: 'stock.write-off', args: { sku, quantity: num('quantity'), ...reason } };
  }
  if (rest === '/leases')
    return { name: 'lease.take', args: { sku: String(b.sku), quantity: num('quantity') } };
  m = /^\/leases\/([^/]+)\/report$/.exec(rest);
  if (m?.[1]) {
    const actions = Array.isArray(b.actions) ? (b.actions as LeaseAction[]) : [];
    const args = { sku: decodeURIComponent(m[1]), actions, returnQuantity: num('returnQuantity') };
    return { name: 'lease.report', args };
  }
  m = /^\/holds\/([^/]+)\/(ack|accept|pick|hand-over|cancel)$/.exec(rest);
  if (m?.[1] && m[2])
    return { name: 'hold.step', args: { holdId: decodeURIComponent(m[1]), step: m[2] as HoldStepName } };
  m = /^\/bookings\/([^/]+)\/(ack|check-in|no-show)$/.exec(rest);
  if (m?.[1] && m[2])
    return {
      name: 'booking.step',
      args: { bookingId: decodeURIComponent(m[1]), step: m[2] as BookingStepName },
    };
  return undefined;
}
