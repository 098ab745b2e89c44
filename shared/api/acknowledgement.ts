/**
 * Whether the store itself has received a hold or booking (DESIGN "Store acknowledgement"):
 * received once a tablet of the store acknowledged it; overdue when none did in time, and
 * then the customer gets the store's phone number.
 */
export type StoreAcknowledgement =
  | { status: 'received'; at: number }
  | { status: 'waiting'; overdueAt: number }
  | { status: 'overdue'; since: number; storePhone: string; storeName: string };

export function storeAcknowledgement(
  record: { createdAt: number; acknowledgedAt?: number },
  now: number,
  timeoutMs: number,
  store: { phone: string; name: string },
): StoreAcknowledgement {
  if (record.acknowledgedAt !== undefined) return { status: 'received', at: record.acknowledgedAt };
  const overdueAt = record.createdAt + timeoutMs;
  if (now < overdueAt) return { status: 'waiting', overdueAt };
  return { status: 'overdue', since: overdueAt, storePhone: store.phone, storeName: store.name };
}
