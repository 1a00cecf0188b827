-- A customer's Azure checklists were found through its subscriptions: the
-- heading of every customer page counted its finished ones by walking every
-- subscription of the customer, thousands for the largest (issue 15). The
-- checklist now carries its subscription's customer, set by a trigger when
-- it is written, and an index finds a customer's checklists by step.

-- +goose Up
ALTER TABLE azure_migrations ADD COLUMN customer_id INTEGER REFERENCES customers (id);

UPDATE azure_migrations SET customer_id = (SELECT customer_id FROM subscriptions WHERE id = azure_migrations.subscription_id);

-- +goose StatementBegin
CREATE TRIGGER azure_migrations_customer AFTER INSERT ON azure_migrations
BEGIN
    UPDATE azure_migrations SET customer_id = (SELECT customer_id FROM subscriptions WHERE id = NEW.subscription_id)
    WHERE subscription_id = NEW.subscription_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER azure_migrations_subscription_customer AFTER UPDATE OF customer_id ON subscriptions
BEGIN
    UPDATE azure_migrations SET customer_id = NEW.customer_id WHERE subscription_id = NEW.id;
END;
-- +goose StatementEnd

CREATE INDEX azure_migrations_customer ON azure_migrations (customer_id, step);
