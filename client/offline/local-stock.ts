import type { StockView } from '../../shared/api/stock.ts';
import type { OutboxEntry } from './db.ts';

/** Numbers as the tablet sees them: the server's last word with this tablet's unsent changes on top. */
export interface LocalStock {
  onHand: number;
  held: number;
  leased: number;
  available: number;
  /** How much of each number is this tablet's own, not yet confirmed by the server. */
  pending: { onHand: number; leased: number; available: number; actions: number };
  /** The server's numbers these are built on, and when the server changed them. */
  confirmed: StockView;
}

/**
 * Applies the pending commands of one product to the server's numbers (issue 8.6), in the
 * order staff made them, the way the server will apply them. available never shows below 0.
 */
export function localStock(confirmed: StockView, pending: readonly OutboxEntry[]): LocalStock {
  let onHand = 0;
  let leased = 0;
  let available = 0;
  let actions = 0;
  for (const { command } of pending) {
    if (!('sku' in command.args) || command.args.sku !== confirmed.sku) continue;
    actions += 1;
    switch (command.name) {
      case 'stock.receive':
        onHand += command.args.quantity;
        available += command.args.quantity;
        break;
      case 'stock.count': {
        const delta = command.args.counted - command.args.lastSeen;
        onHand += delta;
        available += delta;
        break;
      }
      case 'stock.sell':
      case 'stock.write-off':
        onHand -= command.args.quantity;
        available -= command.args.quantity;
        break;
      case 'lease.take':
        leased += command.args.quantity;
        available -= command.args.quantity;
        break;
      case 'lease.report': {
        const used = command.args.actions.reduce((sum, a) => sum + a.quantity, 0);
        onHand -= used;
        leased -= used + command.args.returnQuantity;
        available += command.args.returnQuantity;
        break;
      }
    }
  }
  return {
    onHand: Math.max(0, confirmed.onHand + onHand),
    held: confirmed.held,
    leased: Math.max(0, confirmed.leased + leased),
    available: Math.max(0, confirmed.available + available),
    pending: { onHand, leased, available, actions },
    confirmed,
  };
}

/** A product is low when this few units are available (and out when none). */
export const LOW_STOCK_UNITS = 3;

export type StockLevel = 'out' | 'low' | 'ok';

export function stockLevel(available: number): StockLevel {
  if (available <= 0) return 'out';
  return available <= LOW_STOCK_UNITS ? 'low' : 'ok';
}
