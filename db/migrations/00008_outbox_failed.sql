-- The outbox gets a `failed` state: a message the SMTP sender gave up on,
-- because the server refused it for good (a 5xx reply) or it kept failing
-- until the retry limit. last_error keeps the server's reason; staff can
-- send it again. SQLite cannot change a CHECK constraint in place, so the
-- table is rebuilt with its rows, its version columns (00007) and indexes;
-- nothing references it.

-- +goose Up
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    relationship_id INTEGER REFERENCES relationship_requests (id),
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'queued', 'sent', 'cancelled', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    version         INTEGER NOT NULL DEFAULT 1, -- migration 00007
    changed_by      INTEGER REFERENCES users (id),
    changed_at      TEXT
);
INSERT INTO outbox_new (id, relationship_id, to_addr, subject, body, status, attempts, last_error, next_attempt_at, created_at, sent_at,
                        version, changed_by, changed_at)
    SELECT id, relationship_id, to_addr, subject, body, status, attempts, last_error, next_attempt_at, created_at, sent_at,
           version, changed_by, changed_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_relationship ON outbox (relationship_id);
