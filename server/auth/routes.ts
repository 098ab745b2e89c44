import { z } from 'zod';
import { deviceIdSchema, revocationPreviewSchema } from '../../shared/api/admin-controls.ts';
import { slugSchema } from '../../shared/api/common.ts';
import {
  deviceListSchema,
  enrolledDeviceSchema,
  enrollmentCodeSchema,
  enrollSchema,
  revokedDeviceSchema,
  revokeQuerySchema,
} from '../../shared/api/enrollment.ts';
import { recordTabletEnrolled } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { storeMetaKey } from '../redis/keys.ts';
import { createEnrollmentCode, enrollDevice, listDevices } from './devices.ts';
import { previewRevocation, revokeTablet } from './revocation.ts';

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

/** Admin: enrollment codes, the device list, revocation (its leased units wait for a report or a settlement). */
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
      method: 'get',
      path: '/devices/{deviceId}/revocation',
      summary:
        'What revoking a tablet would mean: last active tablet of its store, pickups waiting, units it keeps',
      access: 'admin',
      params: z.object({ deviceId: deviceIdSchema }),
      ok: {
        status: 200,
        schema: revocationPreviewSchema,
        description: 'For the console to say before it asks',
      },
      errors: ['DEVICE_NOT_FOUND'],
    },
    async (c) => await previewRevocation(deps, c.req.valid('param').deviceId),
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/devices/{deviceId}/revoke',
      summary:
        'Revoke a tablet: its credential stops (but for its lease report); its leased units stay out of available until reported or settled',
      access: 'admin',
      params: z.object({ deviceId: z.string() }),
      query: revokeQuerySchema,
      ok: {
        status: 200,
        schema: revokedDeviceSchema,
        description: 'The revoked tablet and its unreported units',
      },
      errors: ['DEVICE_NOT_FOUND', 'LAST_TABLET_PICKUPS_WAITING'],
    },
    async (c) => {
      const { deviceId } = c.req.valid('param');
      const confirmWaitingPickups = c.req.valid('query').confirmWaitingPickups === 'true';
      return await revokeTablet(deps, deviceId, c.get('actor'), { confirmWaitingPickups });
    },
  );
  return app;
}
