import { z } from 'zod';
import { ALL_AUDIT_EVENT_TYPES } from '../audit-event-types.ts';

/**
 * Webhooks out (issue 20 §1). An endpoint subscribes to event types by exact name
 * (`hold.created`), by prefix (`hold.*`) or to everything (`*`).
 */
export const EVENT_FILTER_PATTERN = /^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/;

/** Whether a filter names something that can happen: `*`, a known type, or a prefix of one. */
function matchesSomeEventType(filter: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*'))
    return ALL_AUDIT_EVENT_TYPES.some((type) => type.startsWith(filter.slice(0, -1)));
  return (ALL_AUDIT_EVENT_TYPES as readonly string[]).includes(filter);
}

export const eventFilterSchema = z
  .string()
  .max(100)
  .regex(EVENT_FILTER_PATTERN, 'an event type (hold.created), a prefix (hold.*) or *')
  // A misspelt type (hold.craeted) would subscribe to nothing, silently.
  .refine(matchesSomeEventType, 'no event type has this name or prefix');

const webhookUrlSchema = z.url({ protocol: /^https?$/, message: 'an http or https URL' }).max(2000);

export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  events: z.array(eventFilterSchema).min(1).max(50),
  description: z.string().trim().max(200).default(''),
});
export type CreateWebhook = z.infer<typeof createWebhookSchema>;

/** `PATCH /api/admin/webhooks/{id}`: any of these; `paused` pauses or resumes, `enabled: true` re-enables. */
export const updateWebhookSchema = z
  .strictObject({
    url: webhookUrlSchema.optional(),
    events: z.array(eventFilterSchema).min(1).max(50).optional(),
    description: z.string().trim().max(200).optional(),
    paused: z.boolean().optional(),
    enabled: z.literal(true).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });
export type UpdateWebhook = z.infer<typeof updateWebhookSchema>;

export const webhookIdParamsSchema = z.object({ id: z.string().regex(/^wh_[A-Za-z0-9_-]{8,40}$/) });
export const deliveryParamsSchema = webhookIdParamsSchema.extend({
  deliveryId: z.string().regex(/^\d{1,18}$/),
});

/** An endpoint as admins see it; the secret only in the answer to create and rotate. */
export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  paused: z.boolean(),
  /** When and why it was disabled (410, or failing for 5 days); null while enabled. */
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable(),
  /** Until when the secret before the last rotation still signs; null when none. */
  previousSecretUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookWithSecretSchema = webhookSchema.extend({
  /** `whsec_` + base64 of 32 random bytes: shown once. */
  secret: z.string(),
});
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

export const webhookAttemptSchema = z.object({
  at: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  /** The HTTP status, or null when no answer came (refused address, timeout, connection error). */
  status: z.number().int().nullable(),
  responseExcerpt: z.string(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

export const webhookDeliverySchema = z.object({
  id: z.string(),
  messageId: z.string(),
  eventType: z.string(),
  sequence: z.string(),
  /** The zone of the event's store (times on the log are shown in it), or null. */
  timeZone: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  attemptLog: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const deliveryQuerySchema = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const webhookDeliveryListSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });

/** `POST /api/admin/webhooks/{id}/deliveries/resend-failed`: every failed delivery made at or after `since`. */
export const resendFailedSchema = z.strictObject({ since: z.iso.datetime({ offset: true }) });
export const resentSchema = z.object({ resent: z.number().int() });

export const deletedSchema = z.object({ deleted: z.literal(true) });

/** Whether an event type is matched by an endpoint's filters. */
export function matchesEventFilters(type: string, filters: readonly string[]): boolean {
  return filters.some(
    (filter) =>
      filter === '*' || filter === type || (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );
}
