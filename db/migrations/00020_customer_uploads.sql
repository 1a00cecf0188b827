-- Customers in bulk (issue 13): an uploaded list of customers is kept, for
-- the user who sent it, from its upload through its mapping step to its
-- confirmation, which reads it again and applies it once (used_at).

-- +goose Up
CREATE TABLE customer_uploads (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    filename     TEXT    NOT NULL,
    content      BLOB    NOT NULL CHECK (length(content) <= 5242880), -- the 5 MB limit of an upload
    sheet        TEXT    NOT NULL DEFAULT '', -- of a workbook, the sheet chosen; '' for the first
    country      TEXT    NOT NULL DEFAULT '', -- the country of customers whose row has none
    mapping_json TEXT,                        -- domain.ImportMapping once chosen; NULL for a header of ours
    created_at   TEXT    NOT NULL,            -- RFC 3339 UTC
    used_at      TEXT                         -- when it was applied
);
CREATE INDEX customer_uploads_created_at ON customer_uploads (created_at);

