-- sipas:foreign-keys-off
-- Dossiers, monthly volumes and the integration role (issue 10). Tables are
-- rebuilt the way SQLite documents (new table, copy, drop, rename) with
-- foreign keys off, and checked before the commit: users for the new role,
-- responses so that a dossier's rating may name no counter.

CREATE TABLE users_new (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'official', 'integration')),
	agency_id     INTEGER REFERENCES agencies(id),
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	disabled_at   INTEGER
);
INSERT INTO users_new(id, name, role, agency_id, password_hash, created_at, disabled_at)
	SELECT id, name, role, agency_id, password_hash, created_at, disabled_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- One row a registered dossier. The dossier code (mã hồ sơ) is never
-- stored: code_hash is its HMAC-SHA256 under the server's secret. Times are
-- Unix milliseconds; received_date and returned_date are the calendar dates
-- in Vietnam that the volumes and on-time counts are dated by.
CREATE TABLE dossiers (
	id             INTEGER PRIMARY KEY,
	code_hash      BLOB NOT NULL UNIQUE,
	agency_id      INTEGER NOT NULL REFERENCES agencies(id),
	counter_id     INTEGER REFERENCES counters(id),
	procedure      TEXT NOT NULL DEFAULT '',
	procedure_name TEXT NOT NULL DEFAULT '',
	received_at    INTEGER NOT NULL,
	received_date  TEXT NOT NULL,
	due_at         INTEGER,
	returned_at    INTEGER,
	returned_date  TEXT,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	CHECK (due_at IS NULL OR due_at >= received_at),
	CHECK (returned_at IS NULL OR returned_at >= received_at)
);
CREATE INDEX dossiers_agency ON dossiers(agency_id, received_date);

-- Registered dossiers per agency and day, kept in the same transaction as
-- each registration and change: received by received_date; returned (with a
-- due date) and on_time by returned_date. Volumes of any period are sums.
CREATE TABLE dossier_daily (
	agency_id INTEGER NOT NULL REFERENCES agencies(id),
	day       TEXT NOT NULL,
	received  INTEGER NOT NULL DEFAULT 0,
	returned  INTEGER NOT NULL DEFAULT 0,
	on_time   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (agency_id, day)
) WITHOUT ROWID;
CREATE INDEX dossier_daily_day ON dossier_daily(day);

-- Imported monthly volumes, for agencies whose software does not register
-- each dossier: they replace the registered count of the same month.
CREATE TABLE volumes (
	agency_id   INTEGER NOT NULL REFERENCES agencies(id),
	month       TEXT NOT NULL,
	dossiers    INTEGER NOT NULL CHECK (dossiers >= 0),
	imported_at INTEGER NOT NULL,
	imported_by TEXT NOT NULL,
	PRIMARY KEY (agency_id, month)
) WITHOUT ROWID;

CREATE TABLE responses_new (
	id                 INTEGER PRIMARY KEY,
	submission_id      TEXT NOT NULL UNIQUE,
	counter_id         INTEGER REFERENCES counters(id),
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
	flag               TEXT NOT NULL DEFAULT '',
	flagged_as         TEXT NOT NULL DEFAULT '',
	review             TEXT NOT NULL DEFAULT '' CHECK (review IN ('', 'accepted', 'rejected')),
	reviewed_at        INTEGER,
	reviewed_by        TEXT,
	-- The dossier rated (NULL: an open QR code) and its timeliness class
	-- when it was rated.
	dossier_id         INTEGER REFERENCES dossiers(id),
	timeliness         TEXT NOT NULL DEFAULT '' CHECK (timeliness IN ('', 'on_time', 'late', 'pending'))
);
INSERT INTO responses_new(id, submission_id, counter_id, agency_id, instrument, instrument_version, submitted_at,
	local_date, answers, followup, comment, channel, lang, flag, flagged_as, review, reviewed_at, reviewed_by)
	SELECT id, submission_id, counter_id, agency_id, instrument, instrument_version, submitted_at,
	local_date, answers, followup, comment, channel, lang, flag, flagged_as, review, reviewed_at, reviewed_by FROM responses;
DROP TABLE responses;
ALTER TABLE responses_new RENAME TO responses;
CREATE INDEX responses_agency_date ON responses(agency_id, local_date);
CREATE INDEX responses_counter ON responses(counter_id);
CREATE INDEX responses_flagged ON responses(id) WHERE flag != '' OR review != '';
CREATE INDEX responses_instrument_date ON responses(instrument, local_date);
-- One rating a dossier.
CREATE UNIQUE INDEX responses_dossier ON responses(dossier_id) WHERE dossier_id IS NOT NULL;
