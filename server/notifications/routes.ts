import { z } from 'zod';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { listMessages, MESSAGE_STATUSES } from './messages-db.ts';
import type { NotificationsHandle } from './start.ts';

const filterSchema = z.object({
  storeId: z.string().max(64).optional(),
  kind: z.string().max(64).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
});

const messageSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  storeId: z.string(),
  subjectId: z.string(),
  kind: z.string(),
  channel: z.enum(['email', 'sms']),
  recipient: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  ics: z.string().nullable(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int(),
  providerAnswer: z.string().nullable(),
  madeAt: z.union([z.string(), z.date()]),
  sentAt: z.union([z.string(), z.date()]).nullable(),
});

/**
 * The admin's Messages page API (issue 19). Mount at /api/admin (admins only: contacts are in
 * it). Without a ledger, or before its Postgres answered, they answer LEDGER_UNAVAILABLE.
 */
export function notificationRoutes(deps: Deps, notifications: NotificationsHandle | undefined) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'get',
      path: '/messages',
      summary: 'Messages to customers, newest first, by store, kind and status (with contacts)',
      access: 'admin',
      query: filterSchema,
      errors: ['LEDGER_UNAVAILABLE'],
      ok: {
        status: 200,
        schema: z.object({ messages: z.array(messageSchema) }),
        description: 'Up to 200 messages',
      },
    },
    async (c) => {
      const ledger = deps.ledger;
      if (!ledger || !(await ledger.ping())) throw new AppError('LEDGER_UNAVAILABLE');
      const f = c.req.valid('query');
      const messages = await listMessages(ledger.pool, {
        ...(f.storeId ? { storeId: f.storeId } : {}),
        ...(f.kind ? { kind: f.kind } : {}),
        ...(f.status ? { status: f.status } : {}),
      });
      return { messages };
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/messages/{id}/resend',
      summary: 'Sends a message again (a dead letter, an unknown outcome, or one kept without a provider)',
      access: 'admin',
      params: z.object({ id: z.string().regex(/^[1-9]\d{0,15}$/, 'a message id') }),
      errors: ['LEDGER_UNAVAILABLE', 'ROUTE_NOT_FOUND'],
      ok: {
        status: 200,
        schema: z.object({ resent: z.number().int() }),
        description: 'It will be sent again',
      },
    },
    async (c) => {
      const id = Number(c.req.valid('param').id);
      const running = notifications?.current();
      if (!running) throw new AppError('LEDGER_UNAVAILABLE');
      if (!(await running.queue.resend(id))) throw new AppError('ROUTE_NOT_FOUND', { messageId: id });
      return { resent: id };
    },
  );
  return app;
}
