-- The partner organisation, its staff, their sessions and the audit log.
-- Times are stored as UTC text in RFC 3339 form with nanoseconds, so that
-- they sort as text and read the same in SQLite and PostgreSQL.

-- +goose Up
CREATE TABLE partner (
    id          INTEGER PRIMARY KEY CHECK (id = 1), -- one partner per installation
    name        TEXT NOT NULL,
    partner_id  TEXT NOT NULL,
    csp_model   TEXT NOT NULL CHECK (csp_model IN ('direct_bill', 'indirect_provider', 'indirect_reseller')),
    cloud       TEXT NOT NULL CHECK (cloud IN ('commercial', 'us_government')),
    updated_at  TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL, -- stored lower-cased
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('global_admin', 'admin_agent', 'sales_agent')),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_name ON users (name, id);

CREATE TABLE sessions (
    id_hash          BLOB PRIMARY KEY, -- SHA-256 of the random id in the cookie
    user_id          INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    last_seen_at     TEXT NOT NULL,
    authenticated_at TEXT NOT NULL,
    revoked_at       TEXT,
    client_ip        TEXT NOT NULL,
    user_agent       TEXT NOT NULL,
    flash            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id, revoked_at);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    client_ip  TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
