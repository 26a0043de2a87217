-- An account can be disabled (by an admin) instead of deleted, so the audit
-- log keeps naming a real account. NULL: active; else when it was disabled.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
