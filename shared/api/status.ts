import { z } from 'zod';

/** What a tablet reports about itself, for the admin sync-status page. */
export const deviceStatusSchema = z
  .object({
    appVersion: z.string().max(40),
    pending: z.number().int().min(0),
    failed: z.number().int().min(0),
    oldestPendingAgeMs: z.number().int().min(0),
    lastSyncedAt: z.number().int().min(0),
    lastError: z.string().max(300).optional(),
  })
  .strict();
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** One tablet's last report beside its identity; the report fields are absent until it reports. */
export const deviceStatusViewSchema = deviceStatusSchema.partial().extend({
  deviceId: z.string(),
  storeId: z.string(),
  name: z.string(),
  revoked: z.boolean(),
  reportedAt: z.number().int().optional(),
});
export type DeviceStatusView = z.infer<typeof deviceStatusViewSchema>;

export const deviceStatusListSchema = z.object({ devices: z.array(deviceStatusViewSchema) });

/** The answer to a status report. */
export const statusReceivedSchema = z.object({ ok: z.literal(true) });
