-- Reseller relationship requests (invitations) and the outbox of e-mail.
-- A request's token is kept only as its SHA-256 and cleared when it is used
-- or replaced; the raw token exists only in the body of an outbox message
-- that has not been delivered yet.

-- +goose Up
CREATE TABLE relationship_requests (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'active', 'declined', 'rejected', 'revoked', 'expired', 'removed')),
    token_hash       BLOB UNIQUE, -- NULL once used, revoked or replaced
    recipient_name   TEXT NOT NULL,
    recipient_email  TEXT NOT NULL,
    admin_roles      TEXT NOT NULL DEFAULT '', -- comma-separated Entra role codes; empty for none
    admin_days       INTEGER NOT NULL DEFAULT 0,
    auto_extend      INTEGER NOT NULL DEFAULT 0 CHECK (auto_extend IN (0, 1)),
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    sent_count       INTEGER NOT NULL DEFAULT 1,
    accepted_name    TEXT NOT NULL DEFAULT '',
    accepted_email   TEXT NOT NULL DEFAULT '',
    answered_at      TEXT, -- when the customer accepted or declined
    reviewed_by      INTEGER REFERENCES users (id),
    reviewed_at      TEXT,
    ended_by         INTEGER REFERENCES users (id), -- who revoked or removed it
    ended_at         TEXT,
    reason           TEXT NOT NULL DEFAULT '' -- why it was rejected or removed
);
-- One open request (pending, accepted) or active relationship per customer.
CREATE UNIQUE INDEX relationship_requests_open ON relationship_requests (customer_id)
    WHERE status IN ('pending', 'accepted', 'active');
CREATE INDEX relationship_requests_customer ON relationship_requests (customer_id, id);
CREATE INDEX relationship_requests_status ON relationship_requests (status, expires_at, id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    relationship_id INTEGER REFERENCES relationship_requests (id),
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'queued', 'sent', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_relationship ON outbox (relationship_id);
