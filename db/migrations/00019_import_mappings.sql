-- The mapping step of an import (issue 13): an upload whose header is not
-- ours is kept until its mapping is confirmed, for the customer and user who
-- sent it, and the confirmed mapping is remembered per header set so that
-- the next file of the same shape goes straight to the preview.

-- +goose Up
CREATE TABLE pending_uploads (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    filename    TEXT    NOT NULL,
    content     BLOB    NOT NULL CHECK (length(content) <= 5242880), -- the 5 MB limit of an upload
    created_at  TEXT    NOT NULL -- RFC 3339 UTC, as formatTime writes it
);
CREATE INDEX pending_uploads_created_at ON pending_uploads (created_at);

-- One installation is one partner, so a header set has one mapping.
CREATE TABLE import_mappings (
    header_key   TEXT PRIMARY KEY,
    mapping_json TEXT NOT NULL, -- domain.ImportMapping: fields per column, channel and service-type values
    saved_by     INTEGER REFERENCES users (id),
    saved_at     TEXT NOT NULL
);

