import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../app-error.ts';
import type { AppEnv, Deps } from '../deps.ts';
import { listMessages, MESSAGE_STATUSES } from './messages-db.ts';
import type { NotificationsHandle } from './start.ts';

const filterSchema = z.object({
  storeId: z.string().max(64).optional(),
  kind: z.string().max(64).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
});

/**
 * The admin's Messages page API. Mount at /api/admin (admins only: contacts are in it).
 * GET /messages?storeId&kind&status, POST /messages/:id/resend.
 */
export function notificationRoutes(deps: Deps, notifications: NotificationsHandle) {
  const app = new Hono<AppEnv>();
  app.get('/messages', async (c) => {
    const filter = filterSchema.safeParse(c.req.query());
    if (!filter.success) throw new AppError('VALIDATION_FAILED', { issues: filter.error.issues });
    const ledger = deps.ledger;
    if (!ledger || !(await ledger.ping())) throw new AppError('LEDGER_UNAVAILABLE');
    const f = filter.data;
    const messages = await listMessages(ledger.pool, {
      ...(f.storeId ? { storeId: f.storeId } : {}),
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.status ? { status: f.status } : {}),
    });
    return c.json({ messages });
  });
  app.post('/messages/:id/resend', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id <= 0) throw new AppError('VALIDATION_FAILED', { id: c.req.param('id') });
    const running = notifications.current();
    if (!running) throw new AppError('LEDGER_UNAVAILABLE');
    if (!(await running.queue.resend(id))) throw new AppError('ROUTE_NOT_FOUND', { path: c.req.path });
    return c.json({ resent: id }, 202);
  });
  return app;
}
