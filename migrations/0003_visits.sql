-- Caredesk schema 3: concrete visits, rolled forward from care packages.
-- A visit copies what its package said on the day it was generated, so a
-- later change to the package does not silently rewrite the past.
CREATE TABLE visits (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    package_id      TEXT REFERENCES care_packages (id),  -- NULL for a one-off visit
    local_date      TEXT NOT NULL CHECK (date(local_date) = local_date),      -- Europe/London
    local_time      TEXT NOT NULL CHECK (time(local_time) = local_time || ':00'), -- as planned, wall clock
    starts_at       TEXT NOT NULL,                                           -- UTC, RFC 3339
    duration_min    INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 1440),
    carers_required INTEGER NOT NULL CHECK (carers_required IN (1, 2)),
    required_skills TEXT NOT NULL CHECK (json_valid(required_skills) AND json_type(required_skills) = 'array'),
    tasks           TEXT NOT NULL CHECK (json_valid(tasks) AND json_type(tasks) = 'array'),
    time_critical   INTEGER NOT NULL CHECK (time_critical IN (0, 1)),
    flex_min        INTEGER NOT NULL CHECK (flex_min BETWEEN 0 AND 240),
    short_task      INTEGER NOT NULL CHECK (short_task IN (0, 1)),
    status          TEXT NOT NULL CHECK (status IN ('planned', 'cancelled')),
    cancel_reason   TEXT NOT NULL,
    edited_by_hand  INTEGER NOT NULL CHECK (edited_by_hand IN (0, 1)),
    -- Why the time differs from the package's, on the nights the clocks change.
    time_note       TEXT NOT NULL,
    deleted_at      TEXT,
    CHECK (status = 'planned' OR length(cancel_reason) > 0)
) STRICT;
-- Roll-forward's idempotence key: a package makes at most one visit a day.
CREATE UNIQUE INDEX visits_once_per_package_and_day
    ON visits (package_id, local_date) WHERE package_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX visits_by_start ON visits (starts_at) WHERE deleted_at IS NULL;
CREATE INDEX visits_by_client ON visits (client_id, local_date);
