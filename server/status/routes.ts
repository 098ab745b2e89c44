import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import {
  type DeviceStatusView,
  deviceStatusListSchema,
  deviceStatusSchema,
  failedActionSchema,
  statusReceivedSchema,
} from '../../shared/api/status.ts';
import { listDevices } from '../auth/devices.ts';
import { authKeys } from '../auth/keys.ts';
import { staffActor } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';

const statusKey = authKeys.deviceStatus;
/** A report older than this is stale by itself: the tablet stopped reporting. */
const STATUS_TTL_S = 7 * 24 * 60 * 60;

/** Tablets report their outbox and sync state; admins read every tablet's. */
export function statusRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'put',
      path: '/staff/{storeId}/status',
      summary: 'The tablet reports its sync state',
      access: 'staff',
      params: z.object({ storeId: slugSchema }),
      body: deviceStatusSchema,
      ok: { status: 200, schema: statusReceivedSchema, description: 'Recorded' },
    },
    async (c) => {
      const actor = staffActor(c);
      const { failedActions, ...status } = c.req.valid('json');
      const key = statusKey(actor.deviceId);
      const stored = failedActions ? { ...status, failedActions: JSON.stringify(failedActions) } : status;
      await deps.redis
        .multi()
        .del(key)
        .hset(key, { ...stored, reportedAt: deps.clock.now() })
        .expire(key, STATUS_TTL_S)
        .exec();
      return { ok: true as const };
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/admin/sync-status',
      summary: 'Every tablet’s last reported sync state',
      access: 'admin',
      ok: { status: 200, schema: deviceStatusListSchema, description: 'One entry per enrolled tablet' },
    },
    async () => {
      const devices = await listDevices(deps);
      const pipeline = deps.redis.pipeline();
      for (const d of devices) pipeline.hgetall(statusKey(d.deviceId));
      const replies = (await pipeline.exec()) ?? [];
      const views: DeviceStatusView[] = devices.map((d, i) => {
        const h = (replies[i]?.[1] ?? {}) as Record<string, string>;
        const view: DeviceStatusView = {
          deviceId: d.deviceId,
          storeId: d.storeId,
          name: d.name,
          revoked: d.revokedAt !== undefined,
        };
        if (h.reportedAt) {
          Object.assign(view, {
            appVersion: h.appVersion,
            pending: Number(h.pending),
            failed: Number(h.failed),
            oldestPendingAgeMs: Number(h.oldestPendingAgeMs),
            lastSyncedAt: Number(h.lastSyncedAt),
            reportedAt: Number(h.reportedAt),
          });
          if (h.lastError) view.lastError = h.lastError;
          if (h.lastErrorAt) view.lastErrorAt = Number(h.lastErrorAt);
          if (h.connection) view.connection = h.connection as NonNullable<DeviceStatusView['connection']>;
          if (h.failedActions) {
            const parsed = z.array(failedActionSchema).safeParse(JSON.parse(h.failedActions));
            if (parsed.success) view.failedActions = parsed.data;
          }
        }
        return view;
      });
      return { devices: views };
    },
  );
  return app;
}
