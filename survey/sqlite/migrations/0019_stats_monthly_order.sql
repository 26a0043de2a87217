-- stats_monthly in stats_daily's key order (issue 13): scoring reads a
-- range of months of an instrument, which the old key (agency first)
-- answered only by reading the whole table, blobs and all, for every piece
-- of a period (most of a province's score at 1M responses); and a rowid
-- table, like stats_daily (see 0018), whose rows stay on their leaf pages.
CREATE TABLE stats_monthly_new (
	id                 INTEGER PRIMARY KEY,
	instrument         TEXT NOT NULL,
	month              TEXT NOT NULL,   -- YYYY-MM, Vietnam time
	agency_id          INTEGER NOT NULL REFERENCES agencies(id),
	instrument_version INTEGER NOT NULL,
	respondents        INTEGER NOT NULL,
	followups          TEXT NOT NULL DEFAULT '[]', -- JSON counts by follow-up option (index 0 = none)
	data               BLOB NOT NULL,
	UNIQUE (instrument, month, agency_id, instrument_version)
);
INSERT INTO stats_monthly_new(instrument, month, agency_id, instrument_version, respondents, followups, data)
	SELECT instrument, month, agency_id, instrument_version, respondents, followups, data FROM stats_monthly
	ORDER BY instrument, month, agency_id, instrument_version;
DROP TABLE stats_monthly;
ALTER TABLE stats_monthly_new RENAME TO stats_monthly;
CREATE INDEX stats_monthly_version ON stats_monthly(instrument, instrument_version);
