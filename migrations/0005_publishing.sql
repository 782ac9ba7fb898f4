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
