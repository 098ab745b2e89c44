import type { z } from 'zod';
import {
  createWebhookSchema,
  deletedSchema,
  deliveryParamsSchema,
  deliveryQuerySchema,
  resendFailedSchema,
  resentSchema,
  updateWebhookSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookIdParamsSchema,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '../../shared/api/webhooks.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { listDeliveries, resendDelivery, resendFailedSince } from './deliveries.ts';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  readEndpoint,
  rotateSecret,
  updateEndpoint,
} from './endpoints.ts';

const ok = <S extends z.ZodType>(schema: S, description: string) => ({
  status: 200 as const,
  schema,
  description,
});

/** Webhook endpoints and their delivery log (issue 20 §1). Mount at /api/admin. */
export function webhookRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'post',
      path: '/webhooks',
      summary: 'Register a webhook endpoint; the answer carries its signing secret, shown this once',
      access: 'admin',
      body: createWebhookSchema,
      errors: ['WEBHOOK_ADDRESS_REFUSED', 'LEDGER_UNAVAILABLE'],
      ok: { status: 201, schema: webhookWithSecretSchema, description: 'The endpoint, with its secret' },
    },
    async (c) => await createEndpoint(deps, c.req.valid('json')),
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/webhooks',
      summary: 'Every webhook endpoint (without secrets)',
      access: 'admin',
      errors: ['LEDGER_UNAVAILABLE'],
      ok: ok(webhookListSchema, 'The endpoints, oldest first'),
    },
    async () => ({ webhooks: await listEndpoints(deps) }),
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/webhooks/{id}',
      summary: 'One webhook endpoint',
      access: 'admin',
      params: webhookIdParamsSchema,
      errors: ['WEBHOOK_NOT_FOUND', 'LEDGER_UNAVAILABLE'],
      ok: ok(webhookSchema, 'The endpoint'),
    },
    async (c) => await readEndpoint(deps, c.req.valid('param').id),
  );
  declareRoute(
    app,
    {
      method: 'patch',
      path: '/webhooks/{id}',
      summary: 'Change an endpoint: its URL, events or description; pause or resume it; enable it again',
      access: 'admin',
      params: webhookIdParamsSchema,
      body: updateWebhookSchema,
      errors: ['WEBHOOK_NOT_FOUND', 'WEBHOOK_ADDRESS_REFUSED', 'LEDGER_UNAVAILABLE'],
      ok: ok(webhookSchema, 'The endpoint as changed'),
    },
    async (c) => await updateEndpoint(deps, c.req.valid('param').id, c.req.valid('json')),
  );
  declareRoute(
    app,
    {
      method: 'delete',
      path: '/webhooks/{id}',
      summary: 'Delete an endpoint and its delivery log',
      access: 'admin',
      params: webhookIdParamsSchema,
      errors: ['WEBHOOK_NOT_FOUND', 'LEDGER_UNAVAILABLE'],
      ok: ok(deletedSchema, 'Deleted'),
    },
    async (c) => {
      await deleteEndpoint(deps, c.req.valid('param').id);
      return { deleted: true as const };
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/webhooks/{id}/rotate-secret',
      summary: 'A new signing secret, shown this once; the old one also signs for 24 hours',
      access: 'admin',
      params: webhookIdParamsSchema,
      errors: ['WEBHOOK_NOT_FOUND', 'LEDGER_UNAVAILABLE'],
      ok: ok(webhookWithSecretSchema, 'The endpoint, with its new secret'),
    },
    async (c) => await rotateSecret(deps, c.req.valid('param').id),
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      summary: 'The delivery log of an endpoint (30 days): each delivery with every attempt, newest first',
      access: 'admin',
      params: webhookIdParamsSchema,
      query: deliveryQuerySchema,
      errors: ['WEBHOOK_NOT_FOUND', 'LEDGER_UNAVAILABLE'],
      ok: ok(webhookDeliveryListSchema, 'The deliveries'),
    },
    async (c) => ({
      deliveries: await listDeliveries(deps, c.req.valid('param').id, c.req.valid('query')),
    }),
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/webhooks/{id}/deliveries/{deliveryId}/resend',
      summary: 'Send one delivery again now, with the same webhook-id',
      access: 'admin',
      params: deliveryParamsSchema,
      errors: ['WEBHOOK_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND', 'LEDGER_UNAVAILABLE'],
      ok: ok(webhookDeliverySchema, 'The delivery, due now'),
    },
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      return await resendDelivery(deps, id, deliveryId);
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/webhooks/{id}/deliveries/resend-failed',
      summary: 'Send again now every failed delivery made since a time, each with its own webhook-id',
      access: 'admin',
      params: webhookIdParamsSchema,
      body: resendFailedSchema,
      errors: ['WEBHOOK_NOT_FOUND', 'LEDGER_UNAVAILABLE'],
      ok: ok(resentSchema, 'How many deliveries are due again'),
    },
    async (c) => ({
      resent: await resendFailedSince(deps, c.req.valid('param').id, c.req.valid('json').since),
    }),
  );
  return app;
}
