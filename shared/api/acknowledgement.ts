import { z } from 'zod';

/**
 * Whether the store itself has received a hold or booking (DESIGN "Store acknowledgement"):
 * received once a tablet of the store acknowledged it; overdue when none did in time, and
 * then the customer gets the store's phone number.
 */
export const storeAcknowledgementSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('received'), at: z.number() }),
  z.object({ status: z.literal('waiting'), overdueAt: z.number() }),
  z.object({
    status: z.literal('overdue'),
    since: z.number(),
    storePhone: z.string(),
    storeName: z.string(),
  }),
]);
export type StoreAcknowledgement = z.infer<typeof storeAcknowledgementSchema>;

export function storeAcknowledgement(
  record: { createdAt: number; acknowledgedAt?: number | undefined },
  now: number,
  timeoutMs: number,
  store: { phone: string; name: string },
): StoreAcknowledgement {
  if (record.acknowledgedAt !== undefined) return { status: 'received', at: record.acknowledgedAt };
  const overdueAt = record.createdAt + timeoutMs;
  if (now < overdueAt) return { status: 'waiting', overdueAt };
  return { status: 'overdue', since: overdueAt, storePhone: store.phone, storeName: store.name };
}
