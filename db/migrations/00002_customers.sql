-- Customers, the subscriptions they bought elsewhere, and CSV imports waiting
-- for confirmation. Subscriptions are never deleted: removal sets removed_at,
-- and the audit log says who removed it.

-- +goose Up
CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL, -- lower-cased name: sort key
    domain         TEXT NOT NULL, -- lower-cased primary domain
    tenant_id      TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL,
    admin_name     TEXT NOT NULL,
    admin_email    TEXT NOT NULL,
    is_csp_partner INTEGER NOT NULL DEFAULT 0 CHECK (is_csp_partner IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL -- last change of the customer or its inventory
);
CREATE UNIQUE INDEX customers_domain ON customers (domain);
CREATE INDEX customers_name ON customers (name_key, id);
CREATE INDEX customers_updated ON customers (updated_at, id);

-- Search terms: each word of the name and the whole domain, lower-cased, so
-- that a prefix search is an index range scan.
CREATE TABLE customer_terms (
    term        TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    PRIMARY KEY (term, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_terms_customer ON customer_terms (customer_id);

CREATE TABLE subscriptions (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    product      TEXT NOT NULL,
    service_type TEXT NOT NULL DEFAULT '' CHECK (service_type IN ('', 'licence', 'usage')),
    channel      TEXT NOT NULL DEFAULT '' CHECK (channel IN ('', 'microsoft_direct', 'advisor', 'open', 'ea',
                                                             'third_party', 'syndication', 'other_csp')),
    quantity     INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    term_end     TEXT, -- YYYY-MM-DD
    reference    TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    removed_at   TEXT,
    removed_by   INTEGER REFERENCES users (id)
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, id) WHERE removed_at IS NULL;

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    filename    TEXT NOT NULL,
    rows_json   TEXT NOT NULL, -- the parsed, valid subscriptions
    row_count   INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('preview', 'imported')),
    created_at  TEXT NOT NULL,
    imported_at TEXT
);
CREATE INDEX import_batches_customer ON import_batches (customer_id, id);

ALTER TABLE audit_log ADD COLUMN customer_id INTEGER REFERENCES customers (id);
CREATE INDEX audit_log_customer ON audit_log (customer_id, at);
