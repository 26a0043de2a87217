-- Review of flagged responses (honeypot hits, rate-limited bursts). A
-- response counts in the indices exactly when flag = ''. Accepting a flagged
-- response clears flag (and adds it to stats_monthly in the same
-- transaction); rejecting keeps it. Either way the reason it was flagged is
-- kept in flagged_as and the review in review, reviewed_at, reviewed_by.
ALTER TABLE responses ADD COLUMN flagged_as  TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN review      TEXT NOT NULL DEFAULT '' CHECK (review IN ('', 'accepted', 'rejected'));
ALTER TABLE responses ADD COLUMN reviewed_at INTEGER;
ALTER TABLE responses ADD COLUMN reviewed_by TEXT;

-- Flagged responses are few; this index keeps listing them cheap.
CREATE INDEX responses_flagged ON responses(id) WHERE flag != '' OR review != '';
