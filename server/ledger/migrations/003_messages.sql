-- 003_messages.sql: messages to customers (issue 19), one row per message, made once. `key`
-- is the hold or booking, the message kind and its revision: a replayed event or a second instance inserts
-- nothing (ON CONFLICT DO NOTHING), and a row is sent only by whoever moves it to 'sending'.
CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  key text NOT NULL UNIQUE,
  store_id text NOT NULL,
  subject_id text NOT NULL,
  kind text NOT NULL,
  channel text NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  ics text,
  status text NOT NULL DEFAULT 'made',
  attempts integer NOT NULL DEFAULT 0,
  provider_answer text,
  made_at timestamptz NOT NULL DEFAULT now(),
  sending_since timestamptz,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_store_made ON messages (store_id, made_at DESC);
CREATE INDEX messages_status ON messages (status);
