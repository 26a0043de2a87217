-- Scoring reads the responses of partial months by date across agencies.
CREATE INDEX responses_instrument_date ON responses(instrument, local_date);
