import { z } from 'zod';
import { ERROR_MESSAGES } from '../errors.ts';

/** Most refused actions a report carries; the count (`failed`) is always whole. */
export const MAX_REPORTED_FAILURES = 20;

/** One action the server refused, as staff see it on the tablet. */
export const failedActionSchema = z
  .object({
    /** What the person did, in their words ("Sell 3 × KIT"). */
    label: z.string().max(200),
    /** An error code of shared/errors.ts. */
    code: z.enum(Object.keys(ERROR_MESSAGES) as [keyof typeof ERROR_MESSAGES]),
    message: z.string().max(300),
    /** When they did it and when the server refused it (ms since epoch, tablet clock). */
    createdAt: z.number().int().min(0),
    refusedAt: z.number().int().min(0),
  })
  .strict();
export type FailedAction = z.infer<typeof failedActionSchema>;

/** The tablet's connection as its header shows it. */
export const TABLET_CONNECTIONS = ['offline', 'connecting', 'loading', 'synced', 'removed'] as const;

/**
 * What a tablet reports about itself, for the admin sync-status page: while connected,
 * within seconds of a change, and every 30 s. Fields after `lastError` were added later
 * and are optional, so older tablets still report.
 */
export const deviceStatusSchema = z
  .object({
    appVersion: z.string().max(40),
    pending: z.number().int().min(0),
    failed: z.number().int().min(0),
    oldestPendingAgeMs: z.number().int().min(0),
    lastSyncedAt: z.number().int().min(0),
    lastError: z.string().max(300).optional(),
    /** The refused actions themselves, newest first, at most MAX_REPORTED_FAILURES. */
    failedActions: z.array(failedActionSchema).max(MAX_REPORTED_FAILURES).optional(),
    /** When the last error happened (ms since epoch, tablet clock). */
    lastErrorAt: z.number().int().min(0).optional(),
    connection: z.enum(TABLET_CONNECTIONS).optional(),
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
