-- Caredesk schema 12: where the evening emergency pack is written. One row,
-- with a fixed id; an empty folder means `emergency-packs` beside the data.
CREATE TABLE document_settings (
    id                     TEXT PRIMARY KEY,
    emergency_pack_folder  TEXT NOT NULL,
    deleted_at             TEXT
) STRICT;
