-- Versions of the records people edit in forms: customers, subscriptions,
-- the partner's settings, invitation drafts and Azure checklists. A form
-- sends back the version it was filled from and a save against a newer one
-- is refused, with who saved that one and when, so that nobody's change is
-- silently overwritten by a stale form.

-- +goose Up
ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN changed_by INTEGER REFERENCES users (id);
ALTER TABLE customers ADD COLUMN changed_at TEXT;

ALTER TABLE subscriptions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE subscriptions ADD COLUMN changed_by INTEGER REFERENCES users (id);
ALTER TABLE subscriptions ADD COLUMN changed_at TEXT;

ALTER TABLE partner ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE partner ADD COLUMN changed_by INTEGER REFERENCES users (id);
ALTER TABLE partner ADD COLUMN changed_at TEXT;

ALTER TABLE outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outbox ADD COLUMN changed_by INTEGER REFERENCES users (id);
ALTER TABLE outbox ADD COLUMN changed_at TEXT;

ALTER TABLE azure_migrations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE azure_migrations ADD COLUMN changed_by INTEGER REFERENCES users (id);
ALTER TABLE azure_migrations ADD COLUMN changed_at TEXT;
