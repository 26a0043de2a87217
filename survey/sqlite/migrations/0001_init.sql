-- sipas schema, version 1. Times are stored as Unix milliseconds (UTC);
-- local_date is the calendar date in Vietnam (UTC+7), YYYY-MM-DD.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE agencies (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	parent_id  INTEGER REFERENCES agencies(id),
	closed_at  INTEGER,
	created_at INTEGER NOT NULL
);
CREATE INDEX agencies_parent ON agencies(parent_id);

CREATE TABLE counters (
	id            INTEGER PRIMARY KEY,
	agency_id     INTEGER NOT NULL REFERENCES agencies(id),
	code          TEXT NOT NULL,
	name          TEXT NOT NULL,
	instrument    TEXT NOT NULL,
	token_version INTEGER NOT NULL DEFAULT 1,
	closed_at     INTEGER,
	created_at    INTEGER NOT NULL,
	UNIQUE (agency_id, code)
);

-- Every rename, closure, reopening and token rotation of an agency or a
-- counter: history is kept, nothing is deleted.
CREATE TABLE history (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	entity     TEXT NOT NULL,   -- 'agency' or 'counter'
	entity_id  INTEGER NOT NULL,
	field      TEXT NOT NULL,
	old_value  TEXT,
	new_value  TEXT,
	user_name  TEXT NOT NULL
);
CREATE INDEX history_entity ON history(entity, entity_id);

-- One row a response. answers holds one byte per item of the instrument
-- version (1..5, 6 = no opinion, 0 = blank), in the version's item order;
-- versions are immutable, so old rows keep their meaning.
CREATE TABLE responses (
	id                 INTEGER PRIMARY KEY,
	submission_id      TEXT NOT NULL UNIQUE,
	counter_id         INTEGER NOT NULL REFERENCES counters(id),
	agency_id          INTEGER NOT NULL REFERENCES agencies(id),
	instrument         TEXT NOT NULL,
	instrument_version INTEGER NOT NULL,
	submitted_at       INTEGER NOT NULL,
	local_date         TEXT NOT NULL,
	answers            BLOB NOT NULL,
	followup           INTEGER NOT NULL DEFAULT 0,
	comment            TEXT NOT NULL DEFAULT '',
	channel            TEXT NOT NULL,
	lang               TEXT NOT NULL DEFAULT 'vi',
	flag               TEXT NOT NULL DEFAULT ''
);
CREATE INDEX responses_agency_date ON responses(agency_id, local_date);
CREATE INDEX responses_counter ON responses(counter_id);

-- Mergeable sufficient statistics (scoring.Stats) per agency, month and
-- instrument version, kept up to date in the same transaction as each
-- response that is not flagged. Indices for any set of months and any
-- subtree are sums of these rows.
CREATE TABLE stats_monthly (
	agency_id          INTEGER NOT NULL REFERENCES agencies(id),
	instrument         TEXT NOT NULL,
	instrument_version INTEGER NOT NULL,
	month              TEXT NOT NULL,   -- YYYY-MM, Vietnam time
	respondents        INTEGER NOT NULL,
	followups          TEXT NOT NULL DEFAULT '[]', -- JSON counts by follow-up option (index 0 = none)
	data               BLOB NOT NULL,
	PRIMARY KEY (agency_id, instrument, instrument_version, month)
) WITHOUT ROWID;

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'official')),
	agency_id     INTEGER REFERENCES agencies(id),
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	user_name TEXT NOT NULL,
	action    TEXT NOT NULL,
	detail    TEXT NOT NULL DEFAULT ''
);
