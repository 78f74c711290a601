-- fiscald schema v2: lookups by day and time, and stored answers for idempotent API retries.

CREATE INDEX receipts_by_day ON receipts (day_no, day_counter);
CREATE INDEX receipts_by_time ON receipts (issued_at);

CREATE TABLE idempotency_keys (
  token_name   TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash BLOB NOT NULL,
  status       INTEGER NOT NULL,
  response     TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (token_name, key)
);
