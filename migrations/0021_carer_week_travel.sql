-- Caredesk schema 21: the travel between visits in each carer's week, so
-- the Working Time Regulations' 17-week average counts the 16 weeks before
-- the rota's as it counts the rota's own: visits and the travel between
-- them (paid working time). `carer_week_minutes` holds the visits alone.
--
-- Travel is worked out by the travel estimates, which SQL cannot do. So the
-- triggers below only note which carer's week changed, in
-- `carer_weeks_to_recount`, and the write path counts those weeks again
-- before it commits (`rota::week_travel`), in the same transaction as the
-- change. Like `carer_week_minutes` it is derived, never synced, and never
-- written by a person.
--
-- A week keeps the travel worked out when its visits last changed: a client
-- who moves house, a carer who buys a car or a new speed in the agency's
-- settings does not rewrite the journeys already made.
CREATE TABLE carer_week_travel (
    carer_id TEXT NOT NULL,
    week     TEXT NOT NULL,       -- the Monday, YYYY-MM-DD
    minutes  INTEGER NOT NULL CHECK (minutes >= 0),
    PRIMARY KEY (carer_id, week)
) STRICT, WITHOUT ROWID;

CREATE TABLE carer_weeks_to_recount (
    carer_id TEXT NOT NULL,
    week     TEXT NOT NULL,
    PRIMARY KEY (carer_id, week)
) STRICT, WITHOUT ROWID;

-- One carer's week of allocations is one range read.
CREATE INDEX allocations_by_carer ON allocations_by_date (carer_id, local_date);

-- Every week with work in it is counted once, when the store next opens.
INSERT INTO carer_weeks_to_recount (carer_id, week)
SELECT DISTINCT carer_id, date(local_date, 'weekday 0', '-6 days') FROM allocations_by_date;

-- `allocations_by_date` changes whenever a carer is given or taken off a
-- visit, or a visit moves to another day.
CREATE TRIGGER carer_week_travel_allocated AFTER INSERT ON allocations_by_date
BEGIN
    INSERT OR IGNORE INTO carer_weeks_to_recount (carer_id, week)
    VALUES (NEW.carer_id, date(NEW.local_date, 'weekday 0', '-6 days'));
END;

CREATE TRIGGER carer_week_travel_unallocated AFTER DELETE ON allocations_by_date
BEGIN
    INSERT OR IGNORE INTO carer_weeks_to_recount (carer_id, week)
    VALUES (OLD.carer_id, date(OLD.local_date, 'weekday 0', '-6 days'));
END;

CREATE TRIGGER carer_week_travel_moved AFTER UPDATE ON allocations_by_date
BEGIN
    INSERT OR IGNORE INTO carer_weeks_to_recount (carer_id, week)
    VALUES (OLD.carer_id, date(OLD.local_date, 'weekday 0', '-6 days')),
           (NEW.carer_id, date(NEW.local_date, 'weekday 0', '-6 days'));
END;

-- A visit's time, length, place or status changes on the same day.
CREATE TRIGGER carer_week_travel_visit_changed
AFTER UPDATE OF starts_at, duration_min, status, deleted_at, client_id ON visits
BEGIN
    INSERT OR IGNORE INTO carer_weeks_to_recount (carer_id, week)
    SELECT carer_id, date(local_date, 'weekday 0', '-6 days') FROM allocations_by_date
    WHERE local_date = NEW.local_date AND visit_id = NEW.id;
END;
