import { z } from 'zod';

/** `POST /api/enroll`: a tablet trades an admin's one-time code for its credential. */
export const enrollSchema = z
  .object({ code: z.string().trim().min(5).max(20), deviceName: z.string().trim().min(1).max(60) })
  .strict();

/** The answer to `POST /api/enroll`: the credential the tablet keeps (shown once). */
export const enrolledDeviceSchema = z.object({
  deviceId: z.string(),
  storeId: z.string(),
  credential: z.string().describe('dev_<deviceId>.<secret>: the bearer credential of staff routes'),
});
export type EnrolledDevice = z.infer<typeof enrolledDeviceSchema>;

/** A one-time code an admin reads out to a tablet. */
export const enrollmentCodeSchema = z.object({ code: z.string(), expiresAt: z.number().int() });
export type EnrollmentCode = z.infer<typeof enrollmentCodeSchema>;

/** An enrolled tablet as admins see it. */
export const deviceSchema = z.object({
  deviceId: z.string(),
  storeId: z.string(),
  name: z.string(),
  enrolledAt: z.number().int(),
  revokedAt: z.number().int().optional(),
});
export type DeviceView = z.infer<typeof deviceSchema>;

export const deviceListSchema = z.object({ devices: z.array(deviceSchema) });

/**
 * The answer to revoking a tablet: the device, and its leased units that now wait for its
 * report or an admin's settlement (issue 15 §1): they stay out of `available`.
 */
export const revokedDeviceSchema = z.object({
  device: deviceSchema,
  unreportedUnits: z.number().int().describe('Leased units kept out of available until reported or settled'),
});

/** `?confirmWaitingPickups=true`: revoke the store's last active tablet although pickups wait. */
export const revokeQuerySchema = z.object({
  confirmWaitingPickups: z.enum(['true', 'false']).optional(),
});
