-- Mergeable statistics of each agency's day beside those of its month
-- (issue 13): a period that starts or ends mid-month is whole months from
-- stats_monthly and days from here, never a scan of responses. The key
-- starts with the instrument and the day, the order scoring reads a range
-- of days in. A rowid table, unlike stats_monthly's first form: rows of a
-- kilobyte or two stay on their leaf page there, where a WITHOUT ROWID
-- table spills them to overflow pages (reading a range took 2-3 times
-- longer). The rows of the responses stored before this migration are
-- built from them once, in Go, in the same transaction (backfillDaily).
CREATE TABLE stats_daily (
	id                 INTEGER PRIMARY KEY,
	instrument         TEXT NOT NULL,
	day                TEXT NOT NULL,   -- YYYY-MM-DD, Vietnam time
	agency_id          INTEGER NOT NULL REFERENCES agencies(id),
	instrument_version INTEGER NOT NULL,
	respondents        INTEGER NOT NULL,
	followups          TEXT NOT NULL DEFAULT '[]', -- JSON counts by follow-up option (index 0 = none)
	data               BLOB NOT NULL,
	UNIQUE (instrument, day, agency_id, instrument_version)
);
