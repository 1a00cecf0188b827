-- The usage workflow: the checklist that replaces an Azure subscription
-- bought elsewhere with a new CSP one, and transfers of Azure subscriptions
-- from another CSP partner. Also an index for the term-end planner.

-- +goose Up
CREATE TABLE azure_migrations (
    subscription_id     INTEGER PRIMARY KEY REFERENCES subscriptions (id), -- the usage-based subscription bought elsewhere
    csp_subscription_id TEXT NOT NULL DEFAULT '', -- the new CSP Azure subscription (a GUID)
    display_name        TEXT NOT NULL DEFAULT '',
    created_on          TEXT, -- YYYY-MM-DD
    created_by_role     TEXT NOT NULL DEFAULT '' CHECK (created_by_role IN ('', 'global_admin', 'admin_agent')),
    moved_note          TEXT NOT NULL DEFAULT '',
    moved_on            TEXT, -- YYYY-MM-DD
    cancel_scope        TEXT NOT NULL DEFAULT '' CHECK (cancel_scope IN ('', 'whole', 'services')),
    cancelled_services  TEXT NOT NULL DEFAULT '', -- one service a line
    cancelled_on        TEXT, -- YYYY-MM-DD
    cancelled_by        TEXT NOT NULL DEFAULT '' CHECK (cancelled_by IN ('', 'customer', 'partner')),
    cancel_reference    TEXT NOT NULL DEFAULT '',
    step                INTEGER NOT NULL DEFAULT 2 CHECK (step BETWEEN 2 AND 5), -- the next step to do; 5 is done
    updated_at          TEXT NOT NULL
);
CREATE INDEX azure_migrations_step ON azure_migrations (step);

CREATE TABLE transfers (
    id                     INTEGER PRIMARY KEY,
    customer_id            INTEGER NOT NULL REFERENCES customers (id),
    status                 TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'complete', 'cancelled', 'expired')),
    other_partner_name     TEXT NOT NULL,
    other_partner_tenant   TEXT NOT NULL DEFAULT '',
    contact_email          TEXT NOT NULL,
    product_types          TEXT NOT NULL, -- comma-separated codes
    line_items             TEXT NOT NULL DEFAULT '',
    reseller_partner_id    TEXT NOT NULL DEFAULT '', -- required when the partner is an indirect provider
    created_by             INTEGER NOT NULL REFERENCES users (id),
    created_at             TEXT NOT NULL,
    expires_at             TEXT NOT NULL, -- 30 days after creation unless accepted
    accepted_on            TEXT, -- YYYY-MM-DD: the other partner accepted
    completed_on           TEXT, -- YYYY-MM-DD
    ended_by               INTEGER REFERENCES users (id),
    ended_at               TEXT,
    updated_at             TEXT NOT NULL
);
CREATE INDEX transfers_customer ON transfers (customer_id, id);
CREATE INDEX transfers_status ON transfers (status, expires_at, id);

CREATE TABLE transfer_subscriptions (
    transfer_id     INTEGER NOT NULL REFERENCES transfers (id),
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    PRIMARY KEY (transfer_id, subscription_id)
) WITHOUT ROWID;
CREATE INDEX transfer_subscriptions_subscription ON transfer_subscriptions (subscription_id);

-- The term-end planner reads licences by term end across all customers.
CREATE INDEX subscriptions_term_end ON subscriptions (term_end, id)
    WHERE removed_at IS NULL AND term_end IS NOT NULL;
