-- Caredesk schema 22: the weekly rest taken over a fortnight, as the
-- Working Time Regulations allow an employer to choose (regulation 11(2)):
-- 48 hours, or two rests of 24, in each fortnight instead of 24 hours in
-- each week.
--
-- The agency's choice: one row, with a fixed id; until a registered manager
-- saves it, each week. Fortnights run two weeks at a time from a Monday.
CREATE TABLE working_time_settings (
    id              TEXT PRIMARY KEY,
    weekly_rest     TEXT NOT NULL CHECK (weekly_rest IN ('week', 'fortnight')),
    fortnights_from TEXT CHECK (fortnights_from IS NULL
                                OR (date(fortnights_from) IS fortnights_from AND strftime('%w', fortnights_from) = '1')),
    deleted_at      TEXT,
    CHECK (weekly_rest = 'week' OR fortnights_from IS NOT NULL)
) STRICT;

-- The rests in each carer's week of work, for the fortnight's other week:
-- when the week's work begins and ends, how many gaps of 24 hours or more
-- lie between its visits, and the longest gap. Kept beside
-- `carer_week_travel`, by the same recount at each write
-- (`rota::week_travel`), from the same notes; derived, never synced, and
-- never written by a person. A week without work has no row.
CREATE TABLE carer_week_rests (
    carer_id    TEXT NOT NULL,
    week        TEXT NOT NULL,       -- the Monday, YYYY-MM-DD
    first_start TEXT NOT NULL,       -- UTC instants
    last_end    TEXT NOT NULL,
    long_rests  INTEGER NOT NULL CHECK (long_rests >= 0),
    longest_min INTEGER NOT NULL CHECK (longest_min >= 0),
    PRIMARY KEY (carer_id, week)
) STRICT, WITHOUT ROWID;

-- Every week with work in it is counted again when the store next opens.
INSERT OR IGNORE INTO carer_weeks_to_recount (carer_id, week)
SELECT DISTINCT carer_id, date(local_date, 'weekday 0', '-6 days') FROM allocations_by_date;
