-- fiscald schema v4: the local API's tokens (hashes only) and webhook subscriptions with their
-- durable delivery queue.

CREATE TABLE api_tokens (
  name         TEXT PRIMARY KEY,
  role         TEXT NOT NULL CHECK (role IN ('cashier', 'technician', 'admin')),
  token_hash   BLOB NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  revoked_at   TEXT
);

-- The signing secret of a subscription is sealed in `secrets` under webhook.<id>.
CREATE TABLE webhook_subscriptions (
  id          INTEGER PRIMARY KEY,
  url         TEXT NOT NULL,
  events      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  deleted_at  TEXT
);

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id),
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  delivered_at    TEXT,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
