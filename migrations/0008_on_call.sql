-- On call (product brief §5–§6): who is on call when, the log of calls taken,
-- a carer off from a given moment, and why a visit was left without a carer.

-- A carer can go off part-way through a day ("sick from 06:30"): the time on
-- the first day the absence starts, London wall clock; NULL means all day.
ALTER TABLE carer_absences ADD COLUMN from_time TEXT
    CHECK (from_time IS NULL OR (length(from_time) = 5 AND time(from_time) IS NOT NULL));

-- An on-call shift. First line takes the calls; second line backs them up.
CREATE TABLE on_call_shifts (
    id          TEXT PRIMARY KEY,
    person      TEXT NOT NULL CHECK (length(trim(person)) > 0),
    phone       TEXT NOT NULL CHECK (length(trim(phone)) > 0),
    tier        TEXT NOT NULL CHECK (tier IN ('first', 'second')),
    starts_at   TEXT NOT NULL,                          -- UTC instant
    ends_at     TEXT NOT NULL,                          -- UTC instant
    pattern_id  TEXT REFERENCES on_call_patterns (id),  -- made from a pattern, if it was
    note        TEXT NOT NULL,                          -- "Swapped with Ann Lee: holiday"
    deleted_at  TEXT,
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX on_call_shifts_by_time ON on_call_shifts (starts_at) WHERE deleted_at IS NULL;

-- A recurring shift: every week (or every N weeks) on a weekday, London
-- wall-clock times; an end not after the start runs into the next day.
CREATE TABLE on_call_patterns (
    id          TEXT PRIMARY KEY,
    person      TEXT NOT NULL CHECK (length(trim(person)) > 0),
    phone       TEXT NOT NULL CHECK (length(trim(phone)) > 0),
    tier        TEXT NOT NULL CHECK (tier IN ('first', 'second')),
    weekday     TEXT NOT NULL CHECK (weekday IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')),
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 8),
    from_date   TEXT NOT NULL CHECK (date(from_date) = from_date),
    until_date  TEXT NOT NULL CHECK (date(until_date) = until_date AND until_date >= from_date),
    deleted_at  TEXT
) STRICT;

-- The on-call log: each call taken. Append-only: a mistake is put right by
-- an addendum, and a follow-up is closed by one.
CREATE TABLE on_call_calls (
    id            TEXT PRIMARY KEY,
    at            TEXT NOT NULL,                        -- UTC instant of the call
    taken_by      TEXT NOT NULL CHECK (length(taken_by) > 0),
    caller        TEXT NOT NULL CHECK (length(trim(caller)) > 0),
    what_happened TEXT NOT NULL CHECK (length(trim(what_happened)) > 0),
    action_taken  TEXT NOT NULL,
    visit_id      TEXT REFERENCES visits (id),
    carer_id      TEXT REFERENCES carers (id),
    client_id     TEXT REFERENCES clients (id),
    incident_id   TEXT REFERENCES incidents (id),
    follow_up     TEXT NOT NULL,                        -- empty: nothing to follow up
    deleted_at    TEXT
) STRICT;
CREATE INDEX on_call_calls_by_time ON on_call_calls (at);

CREATE TABLE on_call_addenda (
    id         TEXT PRIMARY KEY,
    call_id    TEXT NOT NULL REFERENCES on_call_calls (id),
    kind       TEXT NOT NULL CHECK (kind IN ('correction', 'follow_up_done')),
    text       TEXT NOT NULL CHECK (length(trim(text)) > 0),
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX on_call_addenda_by_call ON on_call_addenda (call_id);

CREATE TRIGGER on_call_calls_are_not_changed BEFORE UPDATE ON on_call_calls
BEGIN SELECT RAISE(ABORT, 'A logged call is never changed: add a correction'); END;
CREATE TRIGGER on_call_calls_are_not_deleted BEFORE DELETE ON on_call_calls
BEGIN SELECT RAISE(ABORT, 'A logged call is never changed: add a correction'); END;
CREATE TRIGGER on_call_addenda_are_not_changed BEFORE UPDATE ON on_call_addenda
BEGIN SELECT RAISE(ABORT, 'An addendum is never changed: add another'); END;
CREATE TRIGGER on_call_addenda_are_not_deleted BEFORE DELETE ON on_call_addenda
BEGIN SELECT RAISE(ABORT, 'An addendum is never changed: add another'); END;

-- Why a visit was left in the unallocated queue when its carer went off
-- and no one fitted ("No carer with Insulin is free 07:00–08:00").
CREATE TABLE queue_notes (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visits (id),
    client_id  TEXT NOT NULL REFERENCES clients (id),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    noted_at   TEXT NOT NULL,
    noted_by   TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX queue_notes_by_visit ON queue_notes (visit_id);
