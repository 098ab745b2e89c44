import { z } from 'zod';

/** `POST /api/staff/:storeId/sync-ticket`: a one-time ticket that opens `/sync/:storeId?ticket=` once. */
export const syncTicketSchema = z.object({
  ticket: z.string(),
  /** The ticket is refused after this long (ms). */
  expiresInMs: z.number().int().positive(),
});
export type SyncTicket = z.infer<typeof syncTicketSchema>;
