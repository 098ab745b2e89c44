import { dateInZone } from '../../shared/time.ts';
import { createEvent, generateSlots } from '../appointments/events.ts';
import type { Deps } from '../deps.ts';
import { demoStoreHours } from '../hours/demo-hours.ts';
import { writeStoreHours } from '../hours/store-hours.ts';
import { STORES_INDEX_KEY } from '../redis/keys.ts';
import type { MutationContext } from '../redis/mutation.ts';
import { importProducts } from '../stock/catalog.ts';
import { type Store, upsertStore } from '../stock/stores.ts';
import { demoProducts } from './catalog.ts';

/** The three stores of the seed text (shared/seeds/004), with fictional 555 phone numbers. */
export const DEMO_STORES: Store[] = [
  {
    id: 'aiea',
    name: 'BetterBuy - Aiea',
    address: '98-051 Kam Hwy, Aiea, HI 96701',
    phone: '808-555-0101',
    timeZone: 'Pacific/Honolulu',
    latitude: 21.3836,
    longitude: -157.9376,
  },
  {
    id: 'honolulu',
    name: 'BetterBuy - Honolulu',
    address: '478 Alakawa St, Honolulu, HI 96817',
    phone: '808-555-0102',
    timeZone: 'Pacific/Honolulu',
    latitude: 21.3215,
    longitude: -157.8711,
  },
  {
    id: 'kapolei',
    name: 'BetterBuy - Kapolei',
    address: '694 Komohana St, Kapolei, HI 96707',
    phone: '808-555-0103',
    timeZone: 'Pacific/Honolulu',
    latitude: 21.3347,
    longitude: -158.0614,
  },
];

export const DEMO_EVENT = {
  id: 'iphone-launch-trade-in',
  name: 'iPhone Launch Trade In',
  perCustomerLimit: 1,
};

export async function hasAnyStore(deps: Deps): Promise<boolean> {
  return (await deps.redis.zcard(STORES_INDEX_KEY)) > 0;
}

/** Loads the demo stores, products and the launch event's slots for the next 7 days. */
export async function loadDemoData(deps: Deps): Promise<{ stores: number; products: number; slots: number }> {
  let products = 0;
  for (const [index, store] of DEMO_STORES.entries()) {
    await upsertStore(deps, store);
    await writeStoreHours(
      deps,
      store.id,
      demoStoreHours(Number(dateInZone(Date.now(), store.timeZone).slice(0, 4))),
    );
    const items = demoProducts(index);
    const ctx: MutationContext = {
      idempotencyKey: `demo-seed-${store.id}`,
      payloadHash: 'demo',
      actor: { role: 'admin' },
    };
    await importProducts(deps, store.id, items, ctx);
    products += items.length;
  }
  await createEvent(deps, DEMO_EVENT);
  const { slots } = await generateSlots(deps, {
    eventId: DEMO_EVENT.id,
    storeIds: DEMO_STORES.map((s) => s.id),
    firstDate: dateInZone(Date.now(), 'Pacific/Honolulu'),
    days: 7,
    dayStart: '09:00',
    dayEnd: '17:00',
    slotMinutes: 30,
    capacity: 100,
  });
  return { stores: DEMO_STORES.length, products, slots };
}
