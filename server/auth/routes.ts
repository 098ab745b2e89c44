import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import {
  deviceListSchema,
  enrolledDeviceSchema,
  enrollmentCodeSchema,
  enrollSchema,
  revokedDeviceSchema,
} from '../../shared/api/enrollment.ts';
import { recordTabletEnrolled } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { storeMetaKey } from '../redis/keys.ts';
import { returnAllLeasesOfDevice } from '../stock/leases.ts';
import { createEnrollmentCode, enrollDevice, listDevices, markDeviceRevoked } from './devices.ts';

/** POST /api/enroll: a tablet trades a one-time code for its credential. */
export function enrollmentRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'post',
      path: '/enroll',
      summary: 'A tablet trades a one-time code for its credential',
      access: 'public',
      body: enrollSchema,
      ok: { status: 201, schema: enrolledDeviceSchema, description: 'The tablet’s credential' },
      errors: ['ENROLLMENT_CODE_INVALID'],
    },
    async (c) => {
      const { code, deviceName } = c.req.valid('json');
      const enrolled = await enrollDevice(deps, code, deviceName);
      await recordTabletEnrolled(deps, enrolled, deviceName);
      return enrolled;
    },
  );
  return app;
}

/** Admin: enrollment codes, the device list, revocation (which also returns the device's leases). */
export function adminDeviceRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'post',
      path: '/stores/{storeId}/enrollments',
      summary: 'A one-time tablet enrollment code',
      access: 'admin',
      params: z.object({ storeId: slugSchema }),
      ok: { status: 201, schema: enrollmentCodeSchema, description: 'The code and when it expires' },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => {
      const { storeId } = c.req.valid('param');
      if (!(await deps.redis.exists(storeMetaKey(storeId)))) throw new AppError('STORE_NOT_FOUND');
      return await createEnrollmentCode(deps, storeId);
    },
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/devices',
      summary: 'Enrolled tablets',
      access: 'admin',
      ok: { status: 200, schema: deviceListSchema, description: 'Every enrolled tablet, revoked ones too' },
    },
    async () => ({ devices: await listDevices(deps) }),
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/devices/{deviceId}/revoke',
      summary: 'Revoke a tablet and return its leases',
      access: 'admin',
      params: z.object({ deviceId: z.string() }),
      ok: { status: 200, schema: revokedDeviceSchema, description: 'The revoked tablet' },
      errors: ['DEVICE_NOT_FOUND'],
    },
    async (c) => {
      const device = await markDeviceRevoked(deps, c.req.valid('param').deviceId);
      const returned = await returnAllLeasesOfDevice(deps, device.storeId, device.deviceId, c.get('actor'));
      return { device, returnedUnits: returned };
    },
  );
  return app;
}
