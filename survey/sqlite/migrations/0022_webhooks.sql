-- Webhooks (issue 14): other systems subscribe to events; deliveries are
-- queued here so that a restart loses none.

-- A subscription. The secret signs each delivery, so it is kept (the API
-- never shows it again after creation). last_response and last_alert are
-- the cursor: the largest response and alert ids already queued for it; a
-- new webhook starts at the end (no history is sent).
CREATE TABLE webhooks (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL,
	events        TEXT NOT NULL,   -- JSON list of event names
	secret        TEXT NOT NULL,
	created_by    TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	disabled_at   INTEGER,
	last_response INTEGER NOT NULL DEFAULT 0,
	last_alert    INTEGER NOT NULL DEFAULT 0
);

-- One event for one webhook: queued once (the unique key), its body fixed
-- when queued (so every attempt sends the same bytes and signature), tried
-- until delivered or 24 hours old.
CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY,
	uid             TEXT NOT NULL UNIQUE,  -- the delivery id sent to the receiver
	webhook_id      INTEGER NOT NULL REFERENCES webhooks(id),
	event           TEXT NOT NULL,
	event_key       TEXT NOT NULL,         -- "response:<id>", "alert:<id>"
	payload         BLOB NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	last_status     INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	last_attempt_at INTEGER,
	delivered_at    INTEGER,
	UNIQUE (webhook_id, event, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(webhook_id, id);
