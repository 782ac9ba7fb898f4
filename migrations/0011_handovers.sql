-- Caredesk schema 11: handovers between the office and on call. The sheet
-- as it was given is kept with the record, so what the receiver was told can
-- be read back later; the receiver's acknowledgement completes it.
CREATE TABLE handovers (
    id                   TEXT PRIMARY KEY,
    direction            TEXT NOT NULL CHECK (direction IN ('office_to_on_call', 'on_call_to_office')),
    handed_over_at       TEXT NOT NULL,               -- UTC: the moment the sheet is about
    covers_until         TEXT NOT NULL,               -- UTC
    given_by             TEXT NOT NULL CHECK (length(given_by) > 0),
    summary              TEXT NOT NULL,
    document             TEXT NOT NULL CHECK (json_valid(document)),
    acknowledged_by      TEXT NOT NULL,
    acknowledged_at      TEXT,                        -- UTC; NULL until acknowledged
    acknowledgement_note TEXT NOT NULL,
    deleted_at           TEXT,
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by = ''))
) STRICT;
CREATE INDEX handovers_by_time ON handovers (handed_over_at);
-- A handover acknowledged is a record of what was said: it is not changed.
CREATE TRIGGER handovers_acknowledged_are_kept BEFORE UPDATE ON handovers
WHEN OLD.acknowledged_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an acknowledged handover cannot be changed'); END;
