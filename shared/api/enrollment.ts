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

/** The answer to revoking a tablet: the device and how many leased units went back to the store. */
export const revokedDeviceSchema = z.object({ device: deviceSchema, returnedUnits: z.number().int() });
