-- fiscald schema v1: the journal and the state derived from it.
-- Money columns are integer minor units (cents); times are ISO-8601 UTC strings.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE devices (
  device_id     TEXT PRIMARY KEY,
  authority     TEXT NOT NULL,
  environment   TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
  key_algorithm TEXT NOT NULL,
  public_key    BLOB NOT NULL,
  certificate   BLOB,
  settings      TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TABLE secrets (
  name       TEXT PRIMARY KEY,
  sealed     BLOB NOT NULL,
  updated_at TEXT NOT NULL
);

-- Append-only hash chain: hash = SHA-256(prev_hash || seq || kind || created_at || payload), see docs/JOURNAL.md.
CREATE TABLE journal (
  seq        INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  prev_hash  BLOB NOT NULL,
  hash       BLOB NOT NULL,
  signature  BLOB NOT NULL
);

CREATE TABLE fiscal_days (
  day_no     INTEGER PRIMARY KEY,
  status     TEXT NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
  opened_at  TEXT NOT NULL,
  closed_at  TEXT,
  open_seq   INTEGER NOT NULL REFERENCES journal (seq),
  close_seq  INTEGER REFERENCES journal (seq),
  z_report   TEXT
);

-- Named monotonic counters: receipt.global, receipt.invoice.<TYPE>, day.number.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE receipts (
  id              INTEGER PRIMARY KEY,
  receipt_number  TEXT NOT NULL UNIQUE,
  type            TEXT NOT NULL,
  day_no          INTEGER NOT NULL REFERENCES fiscal_days (day_no),
  day_counter     INTEGER NOT NULL,
  global_no       INTEGER NOT NULL UNIQUE,
  invoice_no      INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  total_minor     INTEGER NOT NULL,
  tax_minor       INTEGER NOT NULL,
  issued_at       TEXT NOT NULL,
  journal_seq     INTEGER NOT NULL UNIQUE REFERENCES journal (seq),
  original_number TEXT REFERENCES receipts (receipt_number),
  body            TEXT NOT NULL,
  UNIQUE (day_no, day_counter)
);
CREATE INDEX receipts_by_original ON receipts (original_number);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  receipt_id      INTEGER REFERENCES receipts (id),
  journal_seq     INTEGER NOT NULL REFERENCES journal (seq),
  authority       TEXT NOT NULL,
  message_type    TEXT NOT NULL,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'REJECTED')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT,
  response        TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT
);
CREATE INDEX outbox_pending ON outbox (status, id);

CREATE TABLE print_jobs (
  id         INTEGER PRIMARY KEY,
  receipt_id INTEGER NOT NULL REFERENCES receipts (id),
  copy       INTEGER NOT NULL DEFAULT 0,
  status     TEXT NOT NULL CHECK (status IN ('PENDING', 'PRINTED', 'FAILED')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  printed_at TEXT
);
CREATE INDEX print_jobs_pending ON print_jobs (status, id);
