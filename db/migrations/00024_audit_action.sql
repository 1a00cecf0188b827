-- The audit log's filter by action reads an index too (issue 15), in time
-- order like the others, instead of the whole log.

-- +goose Up
CREATE INDEX audit_log_action ON audit_log (action, at);
