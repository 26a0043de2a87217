-- Mail (issue 14): an official's email address and two opt-ins, off by
-- default: the weekly digest of their scope, and a mail for each new alert.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN digest_weekly INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN alert_mail INTEGER NOT NULL DEFAULT 0;

-- What was sent to whom: the digest of an ISO week ("2026-W49") or an
-- alert (its id), claimed before sending, so a restart never sends the same
-- mail twice; a failed send deletes its row again.
CREATE TABLE mail_sent (
	user_id INTEGER NOT NULL REFERENCES users(id),
	kind    TEXT NOT NULL,
	key     TEXT NOT NULL,
	sent_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, kind, key)
) WITHOUT ROWID;

-- The readers' cursors: "alerts" is the last alert id mailed out.
CREATE TABLE mail_cursors (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
