-- Transfers as Microsoft's transfer API has them today: one request for
-- Azure subscriptions, reservations, savings plans and new-commerce
-- licences; Microsoft's own transfer id; the rejected state with the other
-- partner's reason; and, for an indirect reseller, who at the indirect
-- provider submitted it. SQLite cannot alter a CHECK, so the table is
-- rebuilt. With foreign keys on, no parent may be dropped while a child
-- references it: the new child references the new parent, the old tables
-- go child first, and the renames (legacy_alter_table off) rewrite the
-- child's reference to the new name.

-- +goose Up
CREATE TABLE transfers_new (
    id                     INTEGER PRIMARY KEY,
    customer_id            INTEGER NOT NULL REFERENCES customers (id),
    status                 TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'complete', 'rejected', 'cancelled', 'expired')),
    other_partner_name     TEXT NOT NULL,
    other_partner_tenant   TEXT NOT NULL DEFAULT '', -- required for new requests; older ones may have none
    microsoft_transfer_id  TEXT NOT NULL DEFAULT '', -- Partner Center's GUID, once recorded
    contact_email          TEXT NOT NULL,
    product_types          TEXT NOT NULL, -- comma-separated codes
    line_items             TEXT NOT NULL DEFAULT '',
    reseller_partner_id    TEXT NOT NULL DEFAULT '', -- required when the partner is an indirect provider
    submitted_by           TEXT NOT NULL DEFAULT '', -- who at the indirect provider submitted it, for an indirect reseller
    rejection_reason       TEXT NOT NULL DEFAULT '', -- the other partner's, when rejected
    created_by             INTEGER NOT NULL REFERENCES users (id),
    created_at             TEXT NOT NULL,
    expires_at             TEXT NOT NULL, -- 30 days after creation unless accepted
    accepted_on            TEXT, -- YYYY-MM-DD: the other partner accepted
    completed_on           TEXT, -- YYYY-MM-DD
    ended_by               INTEGER REFERENCES users (id), -- who cancelled it, or recorded the rejection
    ended_at               TEXT,
    updated_at             TEXT NOT NULL
);
INSERT INTO transfers_new (id, customer_id, status, other_partner_name, other_partner_tenant, contact_email, product_types, line_items,
    reseller_partner_id, created_by, created_at, expires_at, accepted_on, completed_on, ended_by, ended_at, updated_at)
SELECT id, customer_id, status, other_partner_name, other_partner_tenant, contact_email, product_types, line_items,
    reseller_partner_id, created_by, created_at, expires_at, accepted_on, completed_on, ended_by, ended_at, updated_at
FROM transfers;

CREATE TABLE transfer_subscriptions_new (
    transfer_id     INTEGER NOT NULL REFERENCES transfers_new (id),
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    PRIMARY KEY (transfer_id, subscription_id)
) WITHOUT ROWID;
INSERT INTO transfer_subscriptions_new (transfer_id, subscription_id) SELECT transfer_id, subscription_id FROM transfer_subscriptions;

DROP TABLE transfer_subscriptions;
DROP TABLE transfers;
ALTER TABLE transfers_new RENAME TO transfers;
ALTER TABLE transfer_subscriptions_new RENAME TO transfer_subscriptions;

CREATE INDEX transfers_customer ON transfers (customer_id, id);
CREATE INDEX transfers_status ON transfers (status, expires_at, id);
CREATE INDEX transfer_subscriptions_subscription ON transfer_subscriptions (subscription_id);
