-- Caredesk schema 23: a carer's hours in the weeks before the agency's
-- records in Caredesk begin, typed in from the old rota or payroll, so the
-- 48-hour average is taken over the regulations' full 17 weeks from the
-- agency's first day on Caredesk rather than over the few weeks it holds.
-- A real record, entered by a person: logged, synced and exported.
CREATE TABLE carer_hours_before_caredesk (
    id         TEXT PRIMARY KEY,
    carer_id   TEXT NOT NULL REFERENCES carers (id),
    week       TEXT NOT NULL CHECK (date(week) IS week AND strftime('%w', week) = '1'),  -- the Monday
    minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 10080),                  -- at most a week
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX carer_hours_before_caredesk_once
    ON carer_hours_before_caredesk (carer_id, week) WHERE deleted_at IS NULL;
-- The rota reads every carer's hours in its 16 earlier weeks at once.
CREATE INDEX carer_hours_before_caredesk_by_week
    ON carer_hours_before_caredesk (week, carer_id, minutes) WHERE deleted_at IS NULL;
