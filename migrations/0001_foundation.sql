-- Caredesk schema 1: the change log and the people domain (carers, clients,
-- care packages). Every synced table has a UUID v7 text id and a tombstone
-- column `deleted_at`; rows are never deleted, so deletions sync too.

-- Local, per-file settings that never sync (device id, hybrid logical clock).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The audit trail and the future sync outbox: one row per changed record.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY,           -- local order only; never synced
    id        TEXT NOT NULL UNIQUE,          -- UUID v7
    hlc       TEXT NOT NULL,                 -- hybrid logical clock, sortable text
    entity    TEXT NOT NULL,                 -- table name of the changed record
    record_id TEXT NOT NULL,
    root_id   TEXT NOT NULL,                 -- the record page it belongs to (a carer for a skill)
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    changes   TEXT NOT NULL CHECK (json_valid(changes)), -- {"field": {"before": x, "after": y}}
    actor     TEXT NOT NULL CHECK (length(actor) > 0),
    device_id TEXT NOT NULL CHECK (length(device_id) > 0),
    at_utc    TEXT NOT NULL                  -- RFC 3339, UTC
) STRICT;
CREATE INDEX change_log_by_root ON change_log (root_id, seq);
CREATE INDEX change_log_by_record ON change_log (record_id, seq);

CREATE TRIGGER change_log_is_append_only_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_is_append_only_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

CREATE TABLE skills (
    code TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND length(code) <= 40),
    name TEXT NOT NULL CHECK (length(name) > 0),
    -- How long a certificate usually lasts; NULL when it does not expire.
    renew_after_months INTEGER CHECK (renew_after_months IS NULL OR renew_after_months BETWEEN 1 AND 120)
) STRICT;

CREATE TABLE carers (
    id                       TEXT PRIMARY KEY,
    given_name               TEXT NOT NULL CHECK (length(trim(given_name)) > 0),
    family_name              TEXT NOT NULL CHECK (length(trim(family_name)) > 0),
    gender                   TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unspecified')),
    phone                    TEXT NOT NULL,
    email                    TEXT NOT NULL,
    address_line1            TEXT NOT NULL,
    address_line2            TEXT NOT NULL,
    town                     TEXT NOT NULL,
    postcode                 TEXT NOT NULL,
    home_lat                 REAL NOT NULL CHECK (home_lat BETWEEN 49.8 AND 60.9),
    home_lon                 REAL NOT NULL CHECK (home_lon BETWEEN -8.7 AND 1.8),
    transport                TEXT NOT NULL CHECK (transport IN ('car', 'foot', 'bicycle', 'public_transport')),
    languages                TEXT NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'),
    started_on               TEXT NOT NULL CHECK (date(started_on) = started_on),
    left_on                  TEXT CHECK (left_on IS NULL OR (date(left_on) = left_on AND left_on >= started_on)),
    dbs_expires_on           TEXT CHECK (dbs_expires_on IS NULL OR date(dbs_expires_on) = dbs_expires_on),
    right_to_work_expires_on TEXT CHECK (right_to_work_expires_on IS NULL OR date(right_to_work_expires_on) = right_to_work_expires_on),
    contracted_hours         REAL NOT NULL CHECK (contracted_hours BETWEEN 0 AND 60),
    max_hours                REAL NOT NULL CHECK (max_hours BETWEEN contracted_hours AND 90),
    wtr_opt_out              INTEGER NOT NULL CHECK (wtr_opt_out IN (0, 1)),
    notes                    TEXT NOT NULL,
    deleted_at               TEXT
) STRICT;
CREATE INDEX carers_by_name ON carers (family_name, given_name) WHERE deleted_at IS NULL;

CREATE TABLE carer_skills (
    id         TEXT PRIMARY KEY,
    carer_id   TEXT NOT NULL REFERENCES carers (id),
    skill      TEXT NOT NULL REFERENCES skills (code),
    expires_on TEXT CHECK (expires_on IS NULL OR date(expires_on) = expires_on),
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX carer_skills_once ON carer_skills (carer_id, skill) WHERE deleted_at IS NULL;

-- A weekly pattern; a slot whose end is not after its start runs past midnight.
CREATE TABLE carer_availability (
    id         TEXT PRIMARY KEY,
    carer_id   TEXT NOT NULL REFERENCES carers (id),
    weekday    TEXT NOT NULL CHECK (weekday IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')),
    start_time TEXT NOT NULL CHECK (time(start_time) = start_time || ':00'),
    end_time   TEXT NOT NULL CHECK (time(end_time) = end_time || ':00' AND end_time <> start_time),
    deleted_at TEXT
) STRICT;
CREATE INDEX carer_availability_by_carer ON carer_availability (carer_id);

CREATE TABLE carer_absences (
    id         TEXT PRIMARY KEY,
    carer_id   TEXT NOT NULL REFERENCES carers (id),
    kind       TEXT NOT NULL CHECK (kind IN ('annual_leave', 'sickness', 'training', 'compassionate', 'other')),
    starts_on  TEXT NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on    TEXT NOT NULL CHECK (date(ends_on) = ends_on AND ends_on >= starts_on),
    note       TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX carer_absences_by_carer ON carer_absences (carer_id, starts_on);

CREATE TABLE clients (
    id                     TEXT PRIMARY KEY,
    given_name             TEXT NOT NULL CHECK (length(trim(given_name)) > 0),
    family_name            TEXT NOT NULL CHECK (length(trim(family_name)) > 0),
    preferred_name         TEXT NOT NULL,
    date_of_birth          TEXT CHECK (date_of_birth IS NULL OR date(date_of_birth) = date_of_birth),
    gender                 TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unspecified')),
    phone                  TEXT NOT NULL,
    address_line1          TEXT NOT NULL CHECK (length(trim(address_line1)) > 0),
    address_line2          TEXT NOT NULL,
    town                   TEXT NOT NULL,
    postcode               TEXT NOT NULL,
    lat                    REAL NOT NULL CHECK (lat BETWEEN 49.8 AND 60.9),
    lon                    REAL NOT NULL CHECK (lon BETWEEN -8.7 AND 1.8),
    access_notes           TEXT NOT NULL,   -- key-safe code and the like: sensitive
    preferred_carer_gender TEXT NOT NULL CHECK (preferred_carer_gender IN ('any', 'female', 'male')),
    language               TEXT NOT NULL,   -- '' when English suffices
    status                 TEXT NOT NULL CHECK (status IN ('active', 'in_hospital', 'suspended', 'ended')),
    status_from            TEXT CHECK (status_from IS NULL OR date(status_from) = status_from),
    status_until           TEXT CHECK (status_until IS NULL OR (date(status_until) = status_until AND status_until >= status_from)),
    funding                TEXT NOT NULL CHECK (funding IN ('local_authority', 'nhs_chc', 'private', 'direct_payment', 'mixed')),
    funding_reference      TEXT NOT NULL,
    notes                  TEXT NOT NULL,
    deleted_at             TEXT,
    CHECK (status = 'active' OR status_from IS NOT NULL)
) STRICT;
CREATE INDEX clients_by_name ON clients (family_name, given_name) WHERE deleted_at IS NULL;

CREATE TABLE client_key_people (
    id                   TEXT PRIMARY KEY,
    client_id            TEXT NOT NULL REFERENCES clients (id),
    name                 TEXT NOT NULL CHECK (length(trim(name)) > 0),
    relationship         TEXT NOT NULL,
    phone                TEXT NOT NULL,
    email                TEXT NOT NULL,
    consent_to_inform    INTEGER NOT NULL CHECK (consent_to_inform IN (0, 1)),
    is_emergency_contact INTEGER NOT NULL CHECK (is_emergency_contact IN (0, 1)),
    deleted_at           TEXT
) STRICT;
CREATE INDEX client_key_people_by_client ON client_key_people (client_id);

CREATE TABLE client_carer_preferences (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    carer_id   TEXT NOT NULL REFERENCES carers (id),
    kind       TEXT NOT NULL CHECK (kind IN ('preferred', 'excluded')),
    reason     TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX client_carer_preferences_once
    ON client_carer_preferences (client_id, carer_id) WHERE deleted_at IS NULL;
CREATE INDEX client_carer_preferences_by_carer ON client_carer_preferences (carer_id);

-- A recurring visit template. Times are Europe/London wall-clock times; the
-- rota turns them into UTC instants when it generates visits.
CREATE TABLE care_packages (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    label           TEXT NOT NULL CHECK (length(trim(label)) > 0),
    weekdays        TEXT NOT NULL CHECK (json_valid(weekdays) AND json_array_length(weekdays) BETWEEN 1 AND 7),
    start_time      TEXT NOT NULL CHECK (time(start_time) = start_time || ':00'),
    duration_min    INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 1440),
    carers_required INTEGER NOT NULL CHECK (carers_required IN (1, 2)),
    required_skills TEXT NOT NULL CHECK (json_valid(required_skills) AND json_type(required_skills) = 'array'),
    tasks           TEXT NOT NULL CHECK (json_valid(tasks) AND json_type(tasks) = 'array'),
    time_critical   INTEGER NOT NULL CHECK (time_critical IN (0, 1)),
    -- Minutes either side of start_time the visit may move: a tolerance when
    -- time-critical, a flexible window otherwise.
    flex_min        INTEGER NOT NULL CHECK (flex_min BETWEEN 0 AND 240),
    short_task      INTEGER NOT NULL CHECK (short_task IN (0, 1)), -- a deliberate sub-30-minute task (NICE NG21)
    cycle_weeks     INTEGER NOT NULL CHECK (cycle_weeks BETWEEN 1 AND 8),
    cycle_week_list TEXT NOT NULL CHECK (json_valid(cycle_week_list) AND json_array_length(cycle_week_list) >= 1),
    starts_on       TEXT NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on         TEXT CHECK (ends_on IS NULL OR (date(ends_on) = ends_on AND ends_on >= starts_on)),
    deleted_at      TEXT,
    CHECK (time_critical = 0 OR flex_min <= 60)
) STRICT;
CREATE INDEX care_packages_by_client ON care_packages (client_id);
