-- Each customer's subscriptions counted by what the rules read (issue 15):
-- the heading of every customer page, the inventory, the plan and each row
-- of the customer list grouped the customer's subscriptions on each view,
-- thousands for the largest customers. Kept by triggers in the same
-- transaction as every change to a subscription; a count that reaches zero
-- stays as a row with n = 0, which adds nothing.

-- +goose Up
CREATE TABLE customer_class_counts (
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    channel      TEXT    NOT NULL,
    service_type TEXT    NOT NULL,
    commerce     TEXT    NOT NULL,
    offer_kind   TEXT    NOT NULL,
    n            INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (customer_id, channel, service_type, commerce, offer_kind)
) WITHOUT ROWID;

INSERT INTO customer_class_counts (customer_id, channel, service_type, commerce, offer_kind, n)
SELECT customer_id, channel, service_type, commerce, offer_kind, COUNT(*)
FROM subscriptions WHERE removed_at IS NULL
GROUP BY customer_id, channel, service_type, commerce, offer_kind;

-- +goose StatementBegin
CREATE TRIGGER customer_class_counts_insert AFTER INSERT ON subscriptions
WHEN NEW.removed_at IS NULL
BEGIN
    INSERT INTO customer_class_counts (customer_id, channel, service_type, commerce, offer_kind, n)
    VALUES (NEW.customer_id, NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER customer_class_counts_delete AFTER DELETE ON subscriptions
WHEN OLD.removed_at IS NULL
BEGIN
    UPDATE customer_class_counts SET n = n - 1
    WHERE customer_id = OLD.customer_id AND channel = OLD.channel AND service_type = OLD.service_type
      AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER customer_class_counts_update
AFTER UPDATE OF channel, service_type, commerce, offer_kind, removed_at, customer_id ON subscriptions
BEGIN
    UPDATE customer_class_counts SET n = n - 1
    WHERE OLD.removed_at IS NULL AND customer_id = OLD.customer_id AND channel = OLD.channel
      AND service_type = OLD.service_type AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind;
    INSERT INTO customer_class_counts (customer_id, channel, service_type, commerce, offer_kind, n)
    SELECT NEW.customer_id, NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, 1
    WHERE NEW.removed_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
