-- 001_ledger.sql: the ledger, one row per audit-stream entry, for ever.
-- A row is keyed by where it came from (the Redis stream and the entry's id there), so the
-- archiver may write an entry any number of times and the row exists once
-- (INSERT ... ON CONFLICT (stream, entry_id) DO NOTHING).
CREATE TABLE ledger_entries (
  stream        text        NOT NULL,
  entry_id      text        NOT NULL,
  -- The stream id's two parts, for ordering (text order puts 1-10 before 1-9).
  entry_ms      bigint      NOT NULL,
  entry_seq     bigint      NOT NULL,
  type          text        NOT NULL,
  at            timestamptz NOT NULL,
  store_id      text,
  event_id      text,
  sku           text,
  hold_id       text,
  booking_id    text,
  device_id     text,
  actor_role    text,
  -- Units the entry moved, and the quantities after it where the entry says them.
  quantity      integer,
  delta         integer,
  on_hand_after integer,
  held_after    integer,
  leased_after  integer,
  reason        text,
  -- The whole entry as read from Redis: { type, actor, at, data }.
  entry         jsonb       NOT NULL,
  archived_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, entry_id)
);

-- A stream in order (reconciliation replays a store's stream; the archive's newest row).
CREATE INDEX ledger_stream_order ON ledger_entries (stream, entry_ms, entry_seq);
-- A product's history at a store, in order.
CREATE INDEX ledger_store_sku ON ledger_entries (store_id, sku, entry_ms, entry_seq);
-- Reports: per store or event and day, per type.
CREATE INDEX ledger_store_at ON ledger_entries (store_id, at, type);
CREATE INDEX ledger_event_at ON ledger_entries (event_id, at, type) WHERE event_id IS NOT NULL;
CREATE INDEX ledger_type_at ON ledger_entries (type, at);
