-- GDAP as its own request: the admin roles asked of a customer, beside the
-- reseller relationship request they go with, with their own state and
-- dates; the role templates GDAP requests start from; and the access
-- assignments recorded after activation. The roles asked for move here from
-- relationship_requests, so they live in one place.

-- +goose Up
CREATE TABLE role_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    days        INTEGER NOT NULL CHECK (days BETWEEN 1 AND 730),
    auto_extend INTEGER NOT NULL DEFAULT 0 CHECK (auto_extend IN (0, 1))
);

-- One row per role of a template, with the partner security group it is
-- assigned to ('' when not decided).
CREATE TABLE role_template_roles (
    template_id INTEGER NOT NULL REFERENCES role_templates (id) ON DELETE CASCADE,
    role        TEXT NOT NULL, -- Entra role code (domain.EntraRoles)
    group_name  TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    PRIMARY KEY (template_id, role)
);

CREATE TABLE gdap_requests (
    id              INTEGER PRIMARY KEY,
    relationship_id INTEGER NOT NULL UNIQUE REFERENCES relationship_requests (id),
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    -- Microsoft: "unique across all delegated admin relationships of the partner".
    display_name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    roles           TEXT NOT NULL, -- comma-separated Entra role codes
    days            INTEGER NOT NULL,
    auto_extend     INTEGER NOT NULL DEFAULT 0 CHECK (auto_extend IN (0, 1)),
    template_id     INTEGER REFERENCES role_templates (id) ON DELETE SET NULL,
    status          TEXT NOT NULL CHECK (status IN ('created', 'approval_pending', 'active', 'expired', 'lapsed', 'terminated')),
    link            TEXT NOT NULL DEFAULT '',
    microsoft_id    TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    link_pasted_by  INTEGER REFERENCES users (id),
    link_pasted_at  TEXT,
    activated_by    INTEGER REFERENCES users (id),
    activated_at    TEXT,
    ends_at         TEXT, -- activation + days: the first end, before any auto-extension
    ended_by        INTEGER REFERENCES users (id),
    ended_at        TEXT,
    reason          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gdap_requests_customer ON gdap_requests (customer_id, id);
-- The dashboard's "ending within 30 days".
CREATE INDEX gdap_requests_ending ON gdap_requests (status, ends_at);

CREATE TABLE gdap_assignments (
    id          INTEGER PRIMARY KEY,
    gdap_id     INTEGER NOT NULL REFERENCES gdap_requests (id),
    group_name  TEXT NOT NULL,
    roles       TEXT NOT NULL, -- comma-separated Entra role codes, among the request's
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX gdap_assignments_gdap ON gdap_assignments (gdap_id, id);

-- The roles asked before GDAP had its own request. Nothing was created at
-- Microsoft for them through the app, so an open request's roles start as
-- 'created' (to create in Partner Center); a closed request's are
-- 'terminated' with the reason. The display name is made unique with the
-- request's number.
INSERT INTO gdap_requests (relationship_id, customer_id, display_name, roles, days, auto_extend, status, created_by, created_at,
    ended_at, reason)
SELECT r.id, r.customer_id, substr(c.name, 1, 40) || ' #' || r.id, r.admin_roles, r.admin_days, r.auto_extend,
    CASE WHEN r.status IN ('pending', 'accepted', 'active') THEN 'created' ELSE 'terminated' END,
    r.created_by, r.created_at,
    CASE WHEN r.status IN ('pending', 'accepted', 'active') THEN NULL ELSE COALESCE(r.ended_at, r.answered_at, r.created_at) END,
    CASE WHEN r.status IN ('pending', 'accepted', 'active') THEN '' ELSE 'The reseller request ended before GDAP had its own record.' END
FROM relationship_requests r JOIN customers c ON c.id = r.customer_id
WHERE r.admin_roles != '';

ALTER TABLE relationship_requests DROP COLUMN admin_roles;
ALTER TABLE relationship_requests DROP COLUMN admin_days;
ALTER TABLE relationship_requests DROP COLUMN auto_extend;
