import { Hono } from 'hono';
import { slugSchema } from '../../shared/api/common.ts';
import { enrollSchema } from '../../shared/api/enrollment.ts';
import type { AppEnv, Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { parseBody } from '../http/validate.ts';
import { storeMetaKey } from '../redis/keys.ts';
import { returnAllLeasesOfDevice } from '../stock/leases.ts';
import { createEnrollmentCode, enrollDevice, listDevices, markDeviceRevoked } from './devices.ts';

/** POST /api/enroll: a tablet trades a one-time code for its credential. */
export function enrollmentRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.post('/enroll', async (c) => {
    const { code, deviceName } = await parseBody(c, enrollSchema);
    return c.json(await enrollDevice(deps, code, deviceName), 201);
  });
  return app;
}

/** Admin: enrollment codes, the device list, revocation (which also returns the device's leases). */
export function adminDeviceRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.post('/stores/:storeId/enrollments', async (c) => {
    const storeId = slugSchema.parse(c.req.param('storeId'));
    if (!(await deps.redis.exists(storeMetaKey(storeId)))) throw new AppError('STORE_NOT_FOUND');
    return c.json(await createEnrollmentCode(deps, storeId), 201);
  });
  app.get('/devices', async (c) => c.json({ devices: await listDevices(deps) }));
  app.post('/devices/:deviceId/revoke', async (c) => {
    const device = await markDeviceRevoked(deps, c.req.param('deviceId'));
    const returned = await returnAllLeasesOfDevice(deps, device.storeId, device.deviceId, c.get('actor'));
    return c.json({ device, returnedUnits: returned });
  });
  return app;
}
