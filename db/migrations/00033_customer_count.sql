-- The customer list says how many customers there are: COUNT(*) read the
-- whole customers table on each view (issue 15). customer_count is one row
-- kept by triggers in the same transaction as every insert or delete.

-- +goose Up
CREATE TABLE customer_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL CHECK (n >= 0)
);

INSERT INTO customer_count (id, n) SELECT 1, COUNT(*) FROM customers;

-- +goose StatementBegin
CREATE TRIGGER customer_count_insert AFTER INSERT ON customers
BEGIN
    UPDATE customer_count SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER customer_count_delete AFTER DELETE ON customers
BEGIN
    UPDATE customer_count SET n = n - 1 WHERE id = 1;
END;
-- +goose StatementEnd
