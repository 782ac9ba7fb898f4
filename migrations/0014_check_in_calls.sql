-- Caredesk schema 14: lone-worker monitoring. Check-in and check-out calls
-- for visits to homes whose risk assessment asks for them (typed by hand or
-- imported from a call-monitoring system), and each escalation step taken
-- when a call is overdue, with who took it and when.
CREATE TABLE visit_calls (
    id           TEXT PRIMARY KEY,
    visit_id     TEXT NOT NULL REFERENCES visits (id),
    client_id    TEXT NOT NULL REFERENCES clients (id),
    kind         TEXT NOT NULL CHECK (kind IN ('check_in', 'check_out')),
    at           TEXT NOT NULL,                      -- UTC
    source       TEXT NOT NULL CHECK (source IN ('by_hand', 'import')),
    deleted_at   TEXT
) STRICT;
CREATE UNIQUE INDEX visit_calls_once ON visit_calls (visit_id, kind) WHERE deleted_at IS NULL;

CREATE TABLE escalation_steps (
    id               TEXT PRIMARY KEY,
    visit_id         TEXT NOT NULL REFERENCES visits (id),
    client_id        TEXT NOT NULL REFERENCES clients (id),
    step             TEXT NOT NULL CHECK (step IN ('call_carer', 'on_call_manager', 'registered_manager',
                         'emergency_services')),
    acknowledged_by  TEXT NOT NULL CHECK (length(acknowledged_by) > 0),
    acknowledged_at  TEXT NOT NULL,                  -- UTC
    note             TEXT NOT NULL,
    deleted_at       TEXT
) STRICT;
CREATE UNIQUE INDEX escalation_steps_once ON escalation_steps (visit_id, step) WHERE deleted_at IS NULL;
