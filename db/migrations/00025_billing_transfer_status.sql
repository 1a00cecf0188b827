-- The dashboard counts the billing transfers in progress on every view
-- (issue 15): by an index on the state, not a scan of every customer's.

-- +goose Up
CREATE INDEX billing_transfers_status ON billing_transfers (status);
