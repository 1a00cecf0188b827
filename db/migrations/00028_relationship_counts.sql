-- The number of relationship requests in each stored state, for the review
-- queue's tabs and the dashboard (issue 15): a GROUP BY read every request
-- on each view. Kept by triggers in the same transaction as every change; a
-- pending request past its expiry is expired, which the store works out from
-- the pending ones alone. Also an index for "declined recently" on the
-- dashboard, which read every declined request, and one for the review
-- queue's pages of a state, which sorted every request in it.

-- +goose Up
CREATE TABLE relationship_counts (
    status TEXT    PRIMARY KEY,
    n      INTEGER NOT NULL CHECK (n >= 0)
) WITHOUT ROWID;

INSERT INTO relationship_counts (status, n)
SELECT status, COUNT(*) FROM relationship_requests GROUP BY status;

-- +goose StatementBegin
CREATE TRIGGER relationship_counts_insert AFTER INSERT ON relationship_requests
BEGIN
    INSERT INTO relationship_counts (status, n) VALUES (NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER relationship_counts_update AFTER UPDATE OF status ON relationship_requests
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE relationship_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO relationship_counts (status, n) VALUES (NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER relationship_counts_delete AFTER DELETE ON relationship_requests
BEGIN
    UPDATE relationship_counts SET n = n - 1 WHERE status = OLD.status;
END;
-- +goose StatementEnd

CREATE INDEX relationship_requests_answered ON relationship_requests (status, answered_at);
-- The review queue lists a state's requests newest first: read in that
-- order from the index, instead of sorting every request in the state.
CREATE INDEX relationship_requests_status_id ON relationship_requests (status, id);
