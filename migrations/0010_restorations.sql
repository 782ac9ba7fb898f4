-- Each restore from a backup, recorded in the restored data itself (the
-- change log says who did it and when): which backup, and the safety copy of
-- the data it replaced.
CREATE TABLE restorations (
    id               TEXT PRIMARY KEY,
    backup_name      TEXT NOT NULL,
    backup_taken_at  TEXT NOT NULL,                  -- UTC instant
    safety_copy      TEXT NOT NULL,
    deleted_at       TEXT
) STRICT;
