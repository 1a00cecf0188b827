-- The outbox says why a message was withdrawn (issue 14): the customer
-- answered, a new link replaced it, the request was revoked or expired, the
-- password was set. Messages withdrawn before keep an empty reason, which
-- reads as "its link no longer works".

-- +goose Up
ALTER TABLE outbox ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
