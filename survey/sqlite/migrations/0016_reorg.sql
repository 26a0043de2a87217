-- Reorganisations (issue 17): agencies move under another parent, merge
-- into one, or split into several, from a date. Nothing is deleted:
-- agencies.parent_id stays the current parent, and these tables keep how
-- the tree was on every day. Days are calendar dates in Vietnam,
-- YYYY-MM-DD; times are Unix milliseconds.

-- An agency's parent over the days [from_day, to_day); to_day NULL is its
-- current parent (exactly one such row an agency), parent_id NULL a root.
-- An agency that existed before reorganisations were recorded has one row
-- from '0001-01-01'; one created by a merge or a split starts on its date.
-- A move ends the current row on its date and starts the next one there;
-- a move dated the day a row starts replaces that row's parent, so no row
-- is empty (the CHECK). Closing an agency leaves its last row open:
-- agencies.closed_at says when it stopped.
CREATE TABLE agency_parents (
	agency_id INTEGER NOT NULL REFERENCES agencies(id),
	parent_id INTEGER REFERENCES agencies(id),
	from_day  TEXT NOT NULL,
	to_day    TEXT,
	CHECK (to_day IS NULL OR to_day > from_day)
);
CREATE UNIQUE INDEX agency_parents_agency ON agency_parents(agency_id, from_day);
CREATE UNIQUE INDEX agency_parents_current ON agency_parents(agency_id) WHERE to_day IS NULL;

INSERT INTO agency_parents(agency_id, parent_id, from_day, to_day)
	SELECT id, parent_id, '0001-01-01', NULL FROM agencies;

-- Who became whom: one row a predecessor and successor of a merge (each
-- merging agency → the one they form) or a split (the old agency → each
-- new one), on the day it took effect.
CREATE TABLE agency_lineage (
	id             INTEGER PRIMARY KEY,
	kind           TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
	day            TEXT NOT NULL,
	predecessor_id INTEGER NOT NULL REFERENCES agencies(id),
	successor_id   INTEGER NOT NULL REFERENCES agencies(id),
	recorded_at    INTEGER NOT NULL,
	recorded_by    TEXT NOT NULL
);
CREATE INDEX agency_lineage_predecessor ON agency_lineage(predecessor_id);
CREATE INDEX agency_lineage_successor ON agency_lineage(successor_id);
