-- Caredesk schema 13: lone-working risk assessments of clients' homes
-- (HSE INDG73). A review makes a new version; older versions stay as they
-- were. Each hazard is scored likelihood x severity before and after its
-- control measures; the controls the rota obeys are rows of their own.
CREATE TABLE risk_assessments (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    assessed_on     TEXT NOT NULL CHECK (date(assessed_on) = assessed_on),
    assessor        TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
    next_review_on  TEXT NOT NULL CHECK (date(next_review_on) = next_review_on),
    summary         TEXT NOT NULL,
    deleted_at      TEXT,
    CHECK (next_review_on > assessed_on)
) STRICT;
CREATE UNIQUE INDEX risk_assessments_one_version ON risk_assessments (client_id, version) WHERE deleted_at IS NULL;

CREATE TABLE risk_hazards (
    id                   TEXT PRIMARY KEY,
    assessment_id        TEXT NOT NULL REFERENCES risk_assessments (id),
    category             TEXT NOT NULL CHECK (category IN ('environment', 'animals', 'aggression', 'area',
                             'lighting_parking', 'infection', 'manual_handling', 'worker_health')),
    description          TEXT NOT NULL CHECK (length(trim(description)) > 0),
    likelihood           INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    severity             INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
    control_measures     TEXT NOT NULL,
    residual_likelihood  INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_severity    INTEGER NOT NULL CHECK (residual_severity BETWEEN 1 AND 5),
    deleted_at           TEXT
) STRICT;
CREATE INDEX risk_hazards_by_assessment ON risk_hazards (assessment_id);

CREATE TABLE risk_controls (
    id             TEXT PRIMARY KEY,
    assessment_id  TEXT NOT NULL REFERENCES risk_assessments (id),
    kind           TEXT NOT NULL CHECK (kind IN ('double_up', 'no_visits_after', 'no_visits_in_darkness',
                       'check_in_required', 'carer_gender', 'no_new_starters')),
    -- "19:00" for no_visits_after, "female"/"male" for carer_gender, days for no_new_starters.
    value          TEXT NOT NULL,
    enforcement    TEXT NOT NULL CHECK (enforcement IN ('block', 'warn')),
    deleted_at     TEXT
) STRICT;
CREATE INDEX risk_controls_by_assessment ON risk_controls (assessment_id);

-- A version is a record of what was assessed: changing it means a review.
CREATE TRIGGER risk_assessments_are_versions BEFORE UPDATE ON risk_assessments
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL
BEGIN SELECT RAISE(ABORT, 'a risk assessment is not changed: review it to make a new version'); END;
