-- Caredesk schema 5: publishing the rota, and the people to tell about
-- changes made after it was published (standard 003 P44-P45).

-- A run of dates a coordinator published. A date is published when any
-- live row covers it; until then it is a draft and changes need no telling.
CREATE TABLE rota_publications (
    id           TEXT PRIMARY KEY,
    from_date    TEXT NOT NULL CHECK (date(from_date) = from_date),
    to_date      TEXT NOT NULL CHECK (date(to_date) = to_date AND to_date >= from_date),
    published_at TEXT NOT NULL,                       -- UTC, RFC 3339
    published_by TEXT NOT NULL CHECK (length(published_by) > 0),
    deleted_at   TEXT
) STRICT;
CREATE INDEX rota_publications_by_dates ON rota_publications (from_date, to_date) WHERE deleted_at IS NULL;

-- One person who must hear of one change to a published visit: a carer
-- (carer_id set) or the client and their key people (carer_id NULL).
CREATE TABLE to_tell (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visits (id),
    client_id  TEXT NOT NULL REFERENCES clients (id),
    carer_id   TEXT REFERENCES carers (id),
    what       TEXT NOT NULL CHECK (length(what) > 0),   -- the change, in a sentence
    changed_at TEXT NOT NULL,                            -- UTC, RFC 3339
    told_at    TEXT,                                     -- UTC, RFC 3339; NULL until told
    told_by    TEXT NOT NULL,
    told_how   TEXT NOT NULL CHECK (told_how IN ('', 'phone', 'in_person', 'text', 'email', 'letter')),
    deleted_at TEXT,
    CHECK ((told_at IS NULL AND told_by = '' AND told_how = '')
        OR (told_at IS NOT NULL AND length(told_by) > 0 AND told_how <> ''))
) STRICT;
CREATE INDEX to_tell_untold ON to_tell (changed_at) WHERE told_at IS NULL AND deleted_at IS NULL;
CREATE INDEX to_tell_by_visit ON to_tell (visit_id);

-- A visit's history gathers its allocations' changes, whatever their state.
CREATE INDEX visit_allocations_by_visit ON visit_allocations (visit_id);

-- Opening a week reads its visits by date from this index alone: it holds
-- every column the rules and the board read (all but tasks), so no visit
-- row is looked up. This is what keeps a week quick with years of history.
CREATE INDEX visits_by_date ON visits (
    local_date, status, id, client_id, package_id, starts_at, duration_min, carers_required,
    short_task, time_critical, flex_min, required_skills, time_note, cancel_reason
) WHERE deleted_at IS NULL;
-- And each visit's carers from this one.
CREATE INDEX visit_allocations_carers ON visit_allocations (visit_id, slot, carer_id) WHERE deleted_at IS NULL;

-- Minutes allocated to each carer each week (Monday), for the Working Time
-- Regulations' 17-week average: derived from visits and allocations by the
-- triggers below, like an index, so it is never out of step with them. It
-- is not synced and never written by the application.
CREATE TABLE carer_week_minutes (
    carer_id TEXT NOT NULL,
    week     TEXT NOT NULL,       -- the Monday, YYYY-MM-DD
    minutes  INTEGER NOT NULL,
    PRIMARY KEY (carer_id, week)
) STRICT, WITHOUT ROWID;

INSERT INTO carer_week_minutes (carer_id, week, minutes)
SELECT a.carer_id, date(v.local_date, 'weekday 0', '-6 days'), sum(v.duration_min)
FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.status = 'planned'
GROUP BY 1, 2;

CREATE TRIGGER carer_week_minutes_allocated AFTER INSERT ON visit_allocations
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO carer_week_minutes (carer_id, week, minutes)
    SELECT NEW.carer_id, date(v.local_date, 'weekday 0', '-6 days'), v.duration_min FROM visits v
    WHERE v.id = NEW.visit_id AND v.deleted_at IS NULL AND v.status = 'planned'
    ON CONFLICT (carer_id, week) DO UPDATE SET minutes = minutes + excluded.minutes;
END;

CREATE TRIGGER carer_week_minutes_unallocated AFTER UPDATE OF deleted_at ON visit_allocations
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
BEGIN
    UPDATE carer_week_minutes SET minutes = minutes - (
        SELECT v.duration_min FROM visits v WHERE v.id = OLD.visit_id AND v.deleted_at IS NULL AND v.status = 'planned')
    WHERE carer_id = OLD.carer_id
      AND week = (SELECT date(v.local_date, 'weekday 0', '-6 days') FROM visits v
                  WHERE v.id = OLD.visit_id AND v.deleted_at IS NULL AND v.status = 'planned');
END;

CREATE TRIGGER carer_week_minutes_visit_changed
AFTER UPDATE OF local_date, duration_min, status, deleted_at ON visits
BEGIN
    UPDATE carer_week_minutes SET minutes = minutes - OLD.duration_min
    WHERE OLD.deleted_at IS NULL AND OLD.status = 'planned'
      AND week = date(OLD.local_date, 'weekday 0', '-6 days')
      AND carer_id IN (SELECT carer_id FROM visit_allocations WHERE visit_id = OLD.id AND deleted_at IS NULL);
    INSERT INTO carer_week_minutes (carer_id, week, minutes)
    SELECT a.carer_id, date(NEW.local_date, 'weekday 0', '-6 days'), NEW.duration_min FROM visit_allocations a
    WHERE a.visit_id = NEW.id AND a.deleted_at IS NULL AND NEW.deleted_at IS NULL AND NEW.status = 'planned'
    ON CONFLICT (carer_id, week) DO UPDATE SET minutes = minutes + excluded.minutes;
END;
