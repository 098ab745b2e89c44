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

export interface DeviceStatusView extends Partial<DeviceStatus> {
  deviceId: string;
  storeId: string;
  name: string;
  revoked: boolean;
  reportedAt?: number;
}
