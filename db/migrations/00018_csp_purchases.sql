-- The partner's own new-commerce purchases in CSP, from which the 7-day
-- prorated-refund window is counted: each a licence bought for a customer,
-- optionally the replacement of one of its subscriptions bought elsewhere.

-- +goose Up
CREATE TABLE csp_purchases (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    product           TEXT    NOT NULL CHECK (length(product) BETWEEN 1 AND 200),
    quantity          INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    purchased_at      TEXT    NOT NULL, -- RFC 3339 UTC, as formatTime writes it
    term_length       TEXT    NOT NULL CHECK (term_length IN ('monthly', 'annual', 'three_years')),
    billing_frequency TEXT    NOT NULL CHECK (billing_frequency IN ('monthly', 'annual', 'triennial')),
    replaces_id       INTEGER REFERENCES subscriptions (id),
    recorded_by       INTEGER REFERENCES users (id),
    recorded_at       TEXT    NOT NULL
);
-- The dashboard reads the purchases still inside their window by time.
CREATE INDEX csp_purchases_purchased_at ON csp_purchases (purchased_at, id);
-- A customer's plan reads its purchases, newest first.
CREATE INDEX csp_purchases_customer ON csp_purchases (customer_id, purchased_at, id);
-- The planner's chart counts term ends by date and class key: in the order
-- of this index, without sorting, however many subscriptions there are.
CREATE INDEX subscriptions_term_end_key ON subscriptions (term_end, channel, service_type, commerce, offer_kind)
    WHERE removed_at IS NULL AND term_end IS NOT NULL;
