-- Aggregated audit entries: failed sign-ins are counted in one row per
-- minute and channel instead of one row per attempt, so an attack cannot
-- flood the log. bucket names the row an event is added to ('signin.failed
-- <channel> <minute in ms>'); NULL for every ordinary entry. n is the
-- number of events the row stands for (0 for ordinary entries).
ALTER TABLE audit_log ADD COLUMN bucket TEXT;
ALTER TABLE audit_log ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX audit_log_bucket ON audit_log(bucket) WHERE bucket IS NOT NULL;
