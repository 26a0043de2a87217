-- Public results pages (issue 14): an admin publishes an agency's results
-- on /p/{code} and /api/v1/public/scores. Off by default: nothing is public
-- until someone decides it is.
ALTER TABLE agencies ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
