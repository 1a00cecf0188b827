-- The Azure billing transfer of an Azure Expert MSP: per customer, a
-- checklist of Microsoft's prerequisites, then the one request sent to the
-- customer's billing approver and what came of it, with the subscriptions
-- the request covers.

-- +goose Up
CREATE TABLE billing_transfers (
    id                   INTEGER PRIMARY KEY,
    customer_id          INTEGER NOT NULL REFERENCES customers (id),
    status               TEXT NOT NULL
        CHECK (status IN ('preparing', 'sent', 'approved', 'completed', 'declined', 'expired', 'cancelled')),
    mca_accepted         INTEGER NOT NULL DEFAULT 0 CHECK (mca_accepted IN (0, 1)),
    azure_plan           INTEGER NOT NULL DEFAULT 0 CHECK (azure_plan IN (0, 1)),
    agreement            TEXT NOT NULL DEFAULT ''
        CHECK (agreement IN ('', 'direct_ea', 'mca_enterprise', 'indirect_ea', 'ea_government')),
    same_tenant          INTEGER NOT NULL DEFAULT 0 CHECK (same_tenant IN (0, 1)),
    marketplace_eligible INTEGER NOT NULL DEFAULT 0 CHECK (marketplace_eligible IN (0, 1)),
    none_disabled        INTEGER NOT NULL DEFAULT 0 CHECK (none_disabled IN (0, 1)),
    approver_email       TEXT NOT NULL DEFAULT '',
    approver_role        TEXT NOT NULL DEFAULT ''
        CHECK (approver_role IN ('', 'ea_administrator', 'ea_account_owner', 'mca_owner', 'mca_contributor')),
    sent_on              TEXT, -- YYYY-MM-DD
    approved_on          TEXT, -- YYYY-MM-DD
    completed_on         TEXT, -- YYYY-MM-DD
    ended_on             TEXT, -- YYYY-MM-DD: declined, expired or cancelled
    created_by           INTEGER REFERENCES users (id),
    created_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    changed_by           INTEGER REFERENCES users (id),
    changed_at           TEXT NOT NULL
);
CREATE INDEX billing_transfers_customer ON billing_transfers (customer_id, id);
-- A customer has at most one billing transfer under way.
CREATE UNIQUE INDEX billing_transfers_open ON billing_transfers (customer_id)
    WHERE status IN ('preparing', 'sent', 'approved');

CREATE TABLE billing_transfer_subscriptions (
    billing_transfer_id INTEGER NOT NULL REFERENCES billing_transfers (id),
    subscription_id     INTEGER NOT NULL REFERENCES subscriptions (id),
    PRIMARY KEY (billing_transfer_id, subscription_id)
);
CREATE INDEX billing_transfer_subscriptions_subscription ON billing_transfer_subscriptions (subscription_id);
