-- Incident records (product brief §7; standard 003 P38–P42): what happened,
-- who was involved, which notifications the law asks for and what was
-- decided about each, the follow-up, and addenda once an incident is closed.
-- A closed incident is never edited: the triggers at the end refuse it here
-- as well as in the core.

CREATE TABLE incidents (
    id                     TEXT PRIMARY KEY,
    occurred_at            TEXT NOT NULL,               -- UTC instant
    reported_at            TEXT NOT NULL,               -- when the office learnt of it
    reported_by            TEXT NOT NULL CHECK (length(reported_by) > 0),
    reported_how           TEXT NOT NULL CHECK (reported_how IN ('phone', 'in_person', 'email', 'text', 'app', 'letter')),
    kind                   TEXT NOT NULL CHECK (kind IN ('fall', 'injury', 'medication_error', 'missed_visit',
                               'aggression', 'safeguarding', 'near_miss', 'property', 'data_breach', 'death', 'other')),
    severity               TEXT NOT NULL CHECK (severity IN ('no_harm', 'low', 'moderate', 'severe', 'death')),
    location               TEXT NOT NULL,
    description            TEXT NOT NULL CHECK (length(description) > 0),
    immediate_action       TEXT NOT NULL,
    body_map               TEXT NOT NULL,               -- "Front: left forearm", or empty
    attachments            TEXT NOT NULL CHECK (json_valid(attachments) AND json_type(attachments) = 'array'),
    visit_id               TEXT REFERENCES visits (id),
    worker_off_over_7_days INTEGER NOT NULL CHECK (worker_off_over_7_days IN (0, 1)),
    status                 TEXT NOT NULL CHECK (status IN ('open', 'under_review', 'closed')),
    closed_at              TEXT,
    closed_by              TEXT NOT NULL,
    deleted_at             TEXT,
    CHECK (reported_at >= occurred_at),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;
CREATE INDEX incidents_by_time ON incidents (occurred_at) WHERE deleted_at IS NULL;

-- The people involved: a carer or a client linked to their record, or
-- someone else by name.
CREATE TABLE incident_people (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    role        TEXT NOT NULL CHECK (role IN ('carer', 'client', 'other')),
    carer_id    TEXT REFERENCES carers (id),
    client_id   TEXT REFERENCES clients (id),
    name        TEXT NOT NULL,
    involvement TEXT NOT NULL,                          -- "injured", "witness"
    deleted_at  TEXT,
    CHECK ((role = 'carer') = (carer_id IS NOT NULL)),
    CHECK ((role = 'client') = (client_id IS NOT NULL)),
    CHECK (role <> 'other' OR length(name) > 0)
) STRICT;
CREATE INDEX incident_people_by_incident ON incident_people (incident_id);
CREATE INDEX incident_people_by_carer ON incident_people (carer_id) WHERE carer_id IS NOT NULL;
CREATE INDEX incident_people_by_client ON incident_people (client_id) WHERE client_id IS NOT NULL;

-- Each notification is a decision: to notify (then when it was sent, by
-- whom, the reference given) or not to (with the reason), by a deadline.
CREATE TABLE incident_notifications (
    id              TEXT PRIMARY KEY,
    incident_id     TEXT NOT NULL REFERENCES incidents (id),
    kind            TEXT NOT NULL CHECK (kind IN ('cqc_incident', 'cqc_death', 'riddor', 'riddor_over_7_days',
                        'safeguarding', 'police', 'family', 'commissioner', 'ico')),
    proposed        INTEGER NOT NULL CHECK (proposed IN (0, 1)),
    why_proposed    TEXT NOT NULL,
    due_at          TEXT NOT NULL,                      -- UTC instant
    decision        TEXT NOT NULL CHECK (decision IN ('undecided', 'notify', 'not_notify')),
    decision_reason TEXT NOT NULL,
    decided_by      TEXT NOT NULL,
    decided_at      TEXT,
    sent_at         TEXT,
    sent_by         TEXT NOT NULL,
    reference       TEXT NOT NULL,
    deleted_at      TEXT,
    CHECK (decision <> 'not_notify' OR length(decision_reason) > 0),
    CHECK (sent_at IS NULL OR decision = 'notify')
) STRICT;
CREATE INDEX incident_notifications_by_incident ON incident_notifications (incident_id);
CREATE INDEX incident_notifications_waiting ON incident_notifications (due_at)
    WHERE deleted_at IS NULL AND sent_at IS NULL AND decision <> 'not_notify';

-- Follow-up actions, and the support offered to a worker afterwards.
CREATE TABLE incident_actions (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL CHECK (kind IN ('action', 'debrief', 'supervision', 'occupational_health')),
    description TEXT NOT NULL CHECK (length(description) > 0),
    owner       TEXT NOT NULL CHECK (length(owner) > 0),
    carer_id    TEXT REFERENCES carers (id),            -- the worker supported
    due_on      TEXT NOT NULL,
    done_on     TEXT,
    deleted_at  TEXT
) STRICT;
CREATE INDEX incident_actions_by_incident ON incident_actions (incident_id);

-- Corrections and later facts, once written never changed.
CREATE TABLE incident_addenda (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    text        TEXT NOT NULL CHECK (length(text) > 0),
    written_by  TEXT NOT NULL,
    written_at  TEXT NOT NULL,
    deleted_at  TEXT CHECK (deleted_at IS NULL)
) STRICT;
CREATE INDEX incident_addenda_by_incident ON incident_addenda (incident_id);

CREATE TRIGGER closed_incident_is_not_changed BEFORE UPDATE ON incidents WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_is_not_deleted BEFORE DELETE ON incidents WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;

CREATE TRIGGER closed_incident_people_insert BEFORE INSERT ON incident_people
WHEN (SELECT status FROM incidents WHERE id = NEW.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_people_update BEFORE UPDATE ON incident_people
WHEN (SELECT status FROM incidents WHERE id = OLD.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_people_delete BEFORE DELETE ON incident_people
WHEN (SELECT status FROM incidents WHERE id = OLD.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;

CREATE TRIGGER closed_incident_notifications_insert BEFORE INSERT ON incident_notifications
WHEN (SELECT status FROM incidents WHERE id = NEW.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_notifications_update BEFORE UPDATE ON incident_notifications
WHEN (SELECT status FROM incidents WHERE id = OLD.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_notifications_delete BEFORE DELETE ON incident_notifications
WHEN (SELECT status FROM incidents WHERE id = OLD.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;

CREATE TRIGGER closed_incident_actions_insert BEFORE INSERT ON incident_actions
WHEN (SELECT status FROM incidents WHERE id = NEW.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_actions_update BEFORE UPDATE ON incident_actions
WHEN (SELECT status FROM incidents WHERE id = OLD.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;
CREATE TRIGGER closed_incident_actions_delete BEFORE DELETE ON incident_actions
WHEN (SELECT status FROM incidents WHERE id = OLD.incident_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed incident cannot be changed: add an addendum instead'); END;

CREATE TRIGGER incident_addenda_are_not_changed BEFORE UPDATE ON incident_addenda
BEGIN SELECT RAISE(ABORT, 'An addendum is never changed: add another'); END;
CREATE TRIGGER incident_addenda_are_not_deleted BEFORE DELETE ON incident_addenda
BEGIN SELECT RAISE(ABORT, 'An addendum is never changed: add another'); END;
