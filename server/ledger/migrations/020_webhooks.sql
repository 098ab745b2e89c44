-- Webhooks out (issue 20 §1): the endpoints admins register, one delivery per (endpoint,
-- audit entry) that is also the durable queue (next_attempt_at, claimed with SKIP LOCKED), and
-- every attempt made (the delivery log, kept 30 days).
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  description text NOT NULL DEFAULT '',
  secret text NOT NULL,
  -- After a rotation the old secret signs too, until previous_secret_until.
  previous_secret text,
  previous_secret_until timestamptz,
  paused boolean NOT NULL DEFAULT false,
  disabled_at timestamptz,
  disabled_reason text,
  -- The first failure of the current run of failures; null while deliveries succeed.
  failing_since timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  -- The webhook-id header: the same on every attempt, so receivers drop duplicates.
  message_id text NOT NULL,
  stream text NOT NULL,
  entry_id text NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  -- pending (queued or retrying), delivered, failed (no attempt left, or the endpoint said 410).
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  UNIQUE (endpoint_id, stream, entry_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  request_headers jsonb NOT NULL,
  status integer,
  response_excerpt text NOT NULL DEFAULT '',
  error text,
  duration_ms integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);
