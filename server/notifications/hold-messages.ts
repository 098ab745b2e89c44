import type { Store } from '../../shared/api/stores.ts';
import { type MessageContent, storeDateTime, storeTime } from './compose.ts';

/** The hold as its record says, with the product's name. */
export interface HoldFacts {
  id: string;
  sku: string;
  productName: string;
  quantity: number;
  expiresAt: number;
  customerName: string;
}

export type HoldMessageKind =
  | 'hold_made'
  | 'hold_received'
  | 'hold_unreachable'
  | 'hold_ready'
  | 'hold_expired'
  | 'hold_cancelled';

const mapLink = (s: Store) => `https://www.openstreetmap.org/?mlat=${s.latitude}&mlon=${s.longitude}#map=17`;

/** What each message about a pickup hold says. */
export function holdMessage(
  kind: HoldMessageKind,
  hold: HoldFacts,
  store: Store,
  link: string | undefined,
): MessageContent {
  const what = `${hold.quantity} × ${hold.productName}`;
  const base = { subjectId: hold.id, kind, revision: '0', store, ...(link ? { link } : {}) };
  const zone = store.timeZone;
  switch (kind) {
    case 'hold_made': {
      const by = storeTime(hold.expiresAt, zone);
      return {
        ...base,
        subject: `Held for you: ${what} at ${store.name}`,
        lines: [
          `Hello ${hold.customerName}, we are holding ${what} for you at ${store.name}, ${store.address}.`,
          `Confirm by ${by}, or the units go back on the shelf.`,
        ],
        sms: `${store.name}: ${what} held for you. Confirm by ${by}:`,
      };
    }
    case 'hold_received':
      return {
        ...base,
        subject: `${store.name} has received your hold`,
        lines: [`${store.name} has received your hold of ${what}. We will tell you when it is ready.`],
        sms: `${store.name} has received your hold of ${what}.`,
      };
    case 'hold_unreachable':
      return {
        ...base,
        subject: `${store.name} has not seen your hold yet`,
        lines: [
          `Your hold of ${what} is safe, but ${store.name} has not received it yet.`,
          `If you are on your way, please call the store at ${store.phone}.`,
        ],
        sms: `${store.name} has not received your hold of ${what} yet. Please call ${store.phone}.`,
      };
    case 'hold_ready':
      return {
        ...base,
        subject: `Ready for pickup: ${what} at ${store.name}`,
        lines: [
          `${what} is ready for pickup at ${store.name}, ${store.address}.`,
          `Map: ${mapLink(store)}`,
          `Give the name ${hold.customerName} at the counter.`,
        ],
        sms: `${store.name}: ${what} is ready for pickup at ${store.address}. Give the name ${hold.customerName}.`,
      };
    case 'hold_expired':
      return {
        ...base,
        subject: `Your hold of ${what} has ended`,
        lines: [
          `Your hold of ${what} at ${store.name} was not confirmed by ${storeDateTime(hold.expiresAt, zone)}, so the units went back on the shelf.`,
          'You are welcome to reserve again if there are units left.',
        ],
        sms: `${store.name}: your hold of ${what} ended unconfirmed; the units went back on the shelf.`,
      };
    case 'hold_cancelled':
      return {
        ...base,
        subject: `Your hold of ${what} is cancelled`,
        lines: [
          `Your hold of ${what} at ${store.name} is cancelled and the units went back on the shelf.`,
          `Questions? Call ${store.phone}.`,
        ],
        sms: `${store.name}: your hold of ${what} is cancelled.`,
      };
  }
}
