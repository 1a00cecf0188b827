-- The number of GDAP requests in each stored state, for the GDAP list's
-- tabs (issue 15): a GROUP BY over an expression read every request on each
-- view. Kept by triggers in the same transaction as every change, as
-- relationship_counts (00028) is. An active request past its end without
-- auto-extension is expired, and one waiting for approval too long is
-- lapsed: the store works those out from the two indexes below, which hold
-- the active and the waiting ones in the order of the date that decides.

-- +goose Up
CREATE TABLE gdap_counts (
    status TEXT    PRIMARY KEY,
    n      INTEGER NOT NULL CHECK (n >= 0)
) WITHOUT ROWID;

INSERT INTO gdap_counts (status, n)
SELECT status, COUNT(*) FROM gdap_requests GROUP BY status;

-- +goose StatementBegin
CREATE TRIGGER gdap_counts_insert AFTER INSERT ON gdap_requests
BEGIN
    INSERT INTO gdap_counts (status, n) VALUES (NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER gdap_counts_update AFTER UPDATE OF status ON gdap_requests
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE gdap_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO gdap_counts (status, n) VALUES (NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER gdap_counts_delete AFTER DELETE ON gdap_requests
BEGIN
    UPDATE gdap_counts SET n = n - 1 WHERE status = OLD.status;
END;
-- +goose StatementEnd

CREATE INDEX gdap_requests_lapsing ON gdap_requests (status, link_pasted_at);
-- Only the requests that do not auto-extend can expire: the partial index
-- holds those alone, and stays out of the way of the query for the ones
-- that do (GDAPEndingCandidates), which has gdap_requests_phase.
CREATE INDEX gdap_requests_expiring ON gdap_requests (status, ends_at) WHERE auto_extend = 0;
