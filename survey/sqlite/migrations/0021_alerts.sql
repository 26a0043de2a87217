-- Alerts (issue 14): the findings of the periodic check (package
-- survey/alert). One row an alert; nothing is deleted. (kind, agency_id,
-- key, period) is unique, so the same thing in the same period is never
-- alerted twice, however often the check runs. Figures are percent points
-- (NULL where the kind has none); times are Unix milliseconds.
CREATE TABLE alerts (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	agency_id   INTEGER NOT NULL REFERENCES agencies(id),
	key         TEXT NOT NULL,
	period      TEXT NOT NULL,
	message     TEXT NOT NULL,
	value       REAL,
	low         REAL,
	high        REAL,
	change      REAL,
	change_low  REAL,
	change_high REAL,
	link        TEXT NOT NULL DEFAULT '',
	plan_id     INTEGER REFERENCES plans(id),
	task_id     INTEGER REFERENCES plan_tasks(id),
	created_at  INTEGER NOT NULL,
	acked_by    TEXT,
	acked_at    INTEGER,
	UNIQUE (kind, agency_id, key, period)
);
-- A scope's alerts, newest first (the dashboard and the API).
CREATE INDEX alerts_agency_created ON alerts(agency_id, created_at);
-- Every agency's alerts newest first, and followers by id, use the
-- primary key; the open ones are few and listed often.
CREATE INDEX alerts_open ON alerts(id) WHERE acked_at IS NULL;
