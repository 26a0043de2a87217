-- Integrity (issue 11): the signals that set aside manufactured ratings.

-- The client's daily keyed hash (survey.RateLimiter.ClientTag): the same
-- address gives the same tag on one Vietnam date only, so tags of
-- different days cannot be linked. Erased (NULL) once the date is
-- integrity.KeepClientDays old.
ALTER TABLE responses ADD COLUMN client INTEGER;
-- Why a rating was set aside (comma list of integrity signals) and the
-- window that triggered.
ALTER TABLE responses ADD COLUMN integrity_reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN integrity_window INTEGER REFERENCES integrity_windows(id);
CREATE INDEX responses_client_date ON responses(local_date) WHERE client IS NOT NULL;
CREATE INDEX responses_window ON responses(integrity_window) WHERE integrity_window IS NOT NULL;

-- The windows in which ratings were set aside: bounds rounded to ten
-- minutes, nothing about any client.
CREATE TABLE integrity_windows (
	id         INTEGER PRIMARY KEY,
	agency_id  INTEGER NOT NULL REFERENCES agencies(id),
	counter_id INTEGER REFERENCES counters(id),
	day        TEXT NOT NULL,
	from_at    INTEGER NOT NULL,
	to_at      INTEGER NOT NULL,
	reasons    TEXT NOT NULL,
	ratings    INTEGER NOT NULL,
	observed   INTEGER NOT NULL,
	expected   REAL NOT NULL,
	p          REAL NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX integrity_windows_agency_day ON integrity_windows(agency_id, day);

-- Ratings left out of the indices, by agency, instrument, date and flag,
-- kept in the transactions that flag, accept or set aside: the set_aside
-- of every score object.
CREATE TABLE excluded_daily (
	agency_id  INTEGER NOT NULL REFERENCES agencies(id),
	instrument TEXT NOT NULL,
	day        TEXT NOT NULL,
	flag       TEXT NOT NULL,
	n          INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (agency_id, instrument, day, flag)
) WITHOUT ROWID;
CREATE INDEX excluded_daily_instrument_day ON excluded_daily(instrument, day);
INSERT INTO excluded_daily(agency_id, instrument, day, flag, n)
	SELECT agency_id, instrument, local_date, flag, count(*) FROM responses WHERE flag != '' GROUP BY 1, 2, 3, 4;

-- Opening hours of an agency (JSON of integrity.Hours); an agency without
-- a row has its nearest ancestor's, else the default.
CREATE TABLE opening_hours (
	agency_id  INTEGER PRIMARY KEY REFERENCES agencies(id),
	hours      TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by TEXT NOT NULL
);

-- Public holidays: every office closed; or, working = 1, a make-up
-- working day (open with Monday's hours).
CREATE TABLE holidays (
	day     TEXT PRIMARY KEY,
	name    TEXT NOT NULL DEFAULT '',
	working INTEGER NOT NULL DEFAULT 0 CHECK (working IN (0, 1))
) WITHOUT ROWID;
