-- Caredesk schema 4: carers allocated to visits (a slot each; two for a
-- double-up), and the reasons a coordinator gave for going past a warning.
CREATE TABLE visit_allocations (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visits (id),
    slot       INTEGER NOT NULL CHECK (slot IN (1, 2)),
    carer_id   TEXT NOT NULL REFERENCES carers (id),
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX visit_allocations_one_carer_per_slot
    ON visit_allocations (visit_id, slot) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX visit_allocations_carer_once_per_visit
    ON visit_allocations (visit_id, carer_id) WHERE deleted_at IS NULL;
CREATE INDEX visit_allocations_by_carer ON visit_allocations (carer_id) WHERE deleted_at IS NULL;

CREATE TABLE rule_overrides (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visits (id),
    carer_id   TEXT REFERENCES carers (id),
    rule       TEXT NOT NULL CHECK (length(rule) > 0),
    message    TEXT NOT NULL,                         -- what the rule said at the time
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    deleted_at TEXT
) STRICT;
CREATE INDEX rule_overrides_by_visit ON rule_overrides (visit_id);
