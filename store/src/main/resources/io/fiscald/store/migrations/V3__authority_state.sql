-- fiscald schema v3: what the authority told us (configuration, status, certificates' metadata),
-- kept per authority as small JSON documents.

CREATE TABLE authority_state (
  authority  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (authority, key)
);
