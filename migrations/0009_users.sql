-- Users and roles (product brief §10): local accounts, each with one role.
-- There is no default account: the first start asks for the first
-- registered manager. Every change in the change log names the user.

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    user_name       TEXT NOT NULL CHECK (length(user_name) BETWEEN 2 AND 40 AND user_name = lower(user_name)),
    full_name       TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    role            TEXT NOT NULL
                    CHECK (role IN ('coordinator', 'on_call_manager', 'registered_manager', 'read_only')),
    -- Argon2id in PHC form ($argon2id$v=19$m=…,t=…,p=…$salt$hash). The change
    -- log records that it changed, never the value.
    password_hash   TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    -- Wrong passwords in a row and when the last one was typed: each one
    -- after the third doubles the wait before the next try.
    failed_sign_ins INTEGER NOT NULL CHECK (failed_sign_ins >= 0),
    last_failed_at  TEXT,                                   -- UTC instant
    deleted_at      TEXT
) STRICT;
CREATE UNIQUE INDEX users_by_name ON users (user_name) WHERE deleted_at IS NULL;

-- The agency's security settings: one row, with a fixed id.
CREATE TABLE security_settings (
    id                 TEXT PRIMARY KEY,
    idle_lock_minutes  INTEGER NOT NULL CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    deleted_at         TEXT
) STRICT;
