import { z } from 'zod';
import { storeHoursSchema } from '../opening-hours.ts';
import { slugSchema } from './common.ts';

/** A store: where customers pick up and book, and whose clock its day follows. */
export const storeSchema = z
  .object({
    id: slugSchema,
    name: z.string().trim().min(1).max(100),
    address: z.string().trim().min(1).max(250),
    phone: z.string().trim().min(7).max(30),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Pacific/Honolulu'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  })
  .strict();
export type Store = z.infer<typeof storeSchema>;

/** A store as customers list it: with its hours and today's label once an admin set them. */
export const listedStoreSchema = storeSchema.extend({
  hours: storeHoursSchema.optional(),
  /** "Open today 9:00 AM - 9:00 PM HST" or "Closed today: Thanksgiving". */
  today: z.string().optional(),
});
export type ListedStore = z.infer<typeof listedStoreSchema>;

export const storeListSchema = z.object({ stores: z.array(listedStoreSchema) });

/** The answer to creating or updating a store. */
export const savedStoreSchema = z.object({ store: storeSchema });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
