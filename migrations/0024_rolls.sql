-- Each roll forward, with the days it covered: how far ahead the packages'
-- visits are made is the last day rolled, which may be a day with no visits
-- (an agency whose packages are weekday-only, rolled to a Sunday). The change
-- log says who rolled and when.
CREATE TABLE rolls (
    id          TEXT PRIMARY KEY,
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL CHECK (to_date >= from_date),
    deleted_at  TEXT
) STRICT;
