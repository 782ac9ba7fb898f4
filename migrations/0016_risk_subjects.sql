-- Caredesk schema 16: a risk assessment is of a client's home, of a carer
-- (the worker's own health or circumstances), or of an activity (the work
-- that needs a skill, such as hoisting), each with its own versions.
-- SQLite cannot relax a NOT NULL column, so the table is rebuilt; the
-- hazards and controls keep pointing at it by name, and deferring the
-- foreign keys lets the rows be copied across inside this one transaction.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE risk_assessments_new (
    id              TEXT PRIMARY KEY,
    client_id       TEXT REFERENCES clients (id),
    carer_id        TEXT REFERENCES carers (id),
    skill_code      TEXT REFERENCES skills (code),
    version         INTEGER NOT NULL CHECK (version >= 1),
    assessed_on     TEXT NOT NULL CHECK (date(assessed_on) = assessed_on),
    assessor        TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
    next_review_on  TEXT NOT NULL CHECK (date(next_review_on) = next_review_on),
    summary         TEXT NOT NULL,
    deleted_at      TEXT,
    CHECK (next_review_on > assessed_on),
    CHECK ((client_id IS NOT NULL) + (carer_id IS NOT NULL) + (skill_code IS NOT NULL) = 1)
) STRICT;

INSERT INTO risk_assessments_new (id, client_id, version, assessed_on, assessor, next_review_on, summary, deleted_at)
    SELECT id, client_id, version, assessed_on, assessor, next_review_on, summary, deleted_at FROM risk_assessments;
DROP TABLE risk_assessments;
ALTER TABLE risk_assessments_new RENAME TO risk_assessments;

CREATE UNIQUE INDEX risk_assessments_one_version ON risk_assessments (client_id, version) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX risk_assessments_one_carer_version ON risk_assessments (carer_id, version) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX risk_assessments_one_activity_version ON risk_assessments (skill_code, version) WHERE deleted_at IS NULL;

CREATE TRIGGER risk_assessments_are_versions BEFORE UPDATE ON risk_assessments
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL
BEGIN SELECT RAISE(ABORT, 'a risk assessment is not changed: review it to make a new version'); END;
