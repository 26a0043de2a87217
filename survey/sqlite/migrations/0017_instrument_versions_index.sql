-- The instrument versions stored, for the check at start-up
-- (checkInstruments): counted responses are in stats_monthly, flagged ones
-- only in responses. With these indexes the check finds each distinct
-- (instrument, version) with one seek instead of scanning responses, which
-- took about 25 s at 10M responses. The partial index holds flagged
-- responses only, so storing a counted response does not touch it.
CREATE INDEX responses_flagged_version ON responses(instrument, instrument_version) WHERE flag != '';
CREATE INDEX stats_monthly_version ON stats_monthly(instrument, instrument_version);
