-- Improvement plans (issue 12): an agency's plan for a year, its tasks and
-- their progress, and the official yearly results the ministries publish.
-- Nothing here is deleted. Changes to a plan's title and targets are kept
-- in history (entity 'plan'); every change is in the audit log. Times are
-- Unix milliseconds; start and due are calendar dates in Vietnam,
-- YYYY-MM-DD.

-- One row a plan. targets is the JSON list of survey.PlanTarget (indicator,
-- instrument, target in percent), checked by survey.ParseTargets;
-- instrument is the one its tasks' criteria are read in.
CREATE TABLE plans (
	id         INTEGER PRIMARY KEY,
	agency_id  INTEGER NOT NULL REFERENCES agencies(id),
	year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	title      TEXT NOT NULL,
	instrument TEXT NOT NULL,
	targets    TEXT NOT NULL DEFAULT '[]',
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);
-- A subtree's plans are listed by agency, then filtered by year.
CREATE INDEX plans_agency_year ON plans(agency_id, year);
CREATE INDEX plans_year ON plans(year);

-- One row a task of a plan. responsible_id is the unit whose head answers
-- for it: the plan's agency or one beneath it (checked when the task is
-- created). criteria is the JSON list of indicator codes of the plan's
-- instrument the task is meant to move. status is the latest progress
-- entry's, kept here so that open tasks can be listed without reading the
-- entries.
CREATE TABLE plan_tasks (
	id             INTEGER PRIMARY KEY,
	plan_id        INTEGER NOT NULL REFERENCES plans(id),
	title          TEXT NOT NULL,
	responsible_id INTEGER NOT NULL REFERENCES agencies(id),
	criteria       TEXT NOT NULL DEFAULT '[]',
	start          TEXT NOT NULL,
	due            TEXT NOT NULL,
	description    TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done')),
	created_at     INTEGER NOT NULL,
	created_by     TEXT NOT NULL,
	updated_at     INTEGER NOT NULL,
	CHECK (due >= start)
);
CREATE INDEX plan_tasks_plan ON plan_tasks(plan_id, due);
CREATE INDEX plan_tasks_responsible ON plan_tasks(responsible_id, due);
-- What falls due: the open tasks by due date.
CREATE INDEX plan_tasks_due ON plan_tasks(due) WHERE status != 'done';

-- A task's progress: one row an entry (who set which status, with what
-- note), the first written with the task. Entries are appended, never
-- changed or deleted: the triggers refuse both.
CREATE TABLE task_progress (
	id        INTEGER PRIMARY KEY,
	task_id   INTEGER NOT NULL REFERENCES plan_tasks(id),
	at        INTEGER NOT NULL,
	user_name TEXT NOT NULL,
	status    TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
	note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_progress_task ON task_progress(task_id, id);
CREATE TRIGGER task_progress_no_update BEFORE UPDATE ON task_progress
BEGIN
	SELECT RAISE(ABORT, 'task_progress is append-only');
END;
CREATE TRIGGER task_progress_no_delete BEFORE DELETE ON task_progress
BEGIN
	SELECT RAISE(ABORT, 'task_progress is append-only');
END;

-- Official yearly results (SIPAS, PAR INDEX, PAPI) of an agency: score in
-- the index's own unit (percent, or PAPI's points), and the rank among
-- of_units when published. One row an agency, index and year; recording it
-- again replaces it (the audit log keeps the value replaced).
CREATE TABLE official_results (
	agency_id   INTEGER NOT NULL REFERENCES agencies(id),
	index_name  TEXT NOT NULL CHECK (index_name IN ('SIPAS', 'PAR INDEX', 'PAPI')),
	year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	score       REAL NOT NULL,
	rank        INTEGER CHECK (rank IS NULL OR rank >= 1),
	of_units    INTEGER CHECK (of_units IS NULL OR (rank IS NOT NULL AND of_units >= rank)),
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	UNIQUE (agency_id, index_name, year)
);
