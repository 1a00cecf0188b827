-- Verification of reseller relationships in Partner Center (DESIGN §4): an
-- accepted request becomes active when a Global admin or Admin agent
-- verifies it, by hand (reviewed_by and reviewed_at, as before) or from
-- Partner Center's customer list export. An applied export is kept as its
-- date, name and SHA-256, what it changed and who applied it: enough for the
-- audit and the requests' history; the file itself is not kept.

-- +goose Up
CREATE TABLE partner_center_exports (
    id          INTEGER PRIMARY KEY,
    exported_on TEXT NOT NULL, -- the day the file was exported from Partner Center, at midnight UTC
    file_name   TEXT NOT NULL,
    file_sha256 BLOB NOT NULL,
    customers   INTEGER NOT NULL, -- tenants listed in the file
    verified    INTEGER NOT NULL, -- requests it made active
    created     INTEGER NOT NULL, -- customers created from it
    skipped     INTEGER NOT NULL, -- requests changed between the preview and the confirmation
    applied_by  INTEGER NOT NULL REFERENCES users (id),
    applied_at  TEXT NOT NULL
);
-- The export that verified the request; NULL when verified by hand.
ALTER TABLE relationship_requests ADD COLUMN verified_by_export INTEGER REFERENCES partner_center_exports (id);
