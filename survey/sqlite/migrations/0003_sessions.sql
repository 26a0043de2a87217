-- Officials' browser sessions. Only the SHA-256 of the session token is
-- stored, so a copy of the database does not let anyone sign in. expires_at
-- slides forward with use (idle timeout) but never past the maximum age,
-- which the web layer enforces from created_at.
CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);
