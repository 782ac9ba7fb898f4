-- Caredesk schema 15: the agency's own risk rating bands (the lowest score
-- of Medium, High and Very high) and lone-worker monitoring's grace period
-- and escalation interval. One row, with a fixed id.
CREATE TABLE risk_settings (
    id              TEXT PRIMARY KEY,
    medium_from     INTEGER NOT NULL,
    high_from       INTEGER NOT NULL,
    very_high_from  INTEGER NOT NULL CHECK (very_high_from <= 25),
    grace_min       INTEGER NOT NULL CHECK (grace_min BETWEEN 1 AND 120),
    step_min        INTEGER NOT NULL CHECK (step_min BETWEEN 1 AND 120),
    deleted_at      TEXT,
    CHECK (2 <= medium_from AND medium_from < high_from AND high_from < very_high_from)
) STRICT;
