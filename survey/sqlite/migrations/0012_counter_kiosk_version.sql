-- A counter's tablet can be given a new kiosk key without reprinting its QR
-- codes: the kiosk key signs the token version and this kiosk version, and
-- rotating either one refuses the old key. 1 is the key issued before kiosk
-- keys had versions.
ALTER TABLE counters ADD COLUMN kiosk_version INTEGER NOT NULL DEFAULT 1;
