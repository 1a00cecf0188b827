-- Licences a completed transfer brought to us are ours and renew with us:
-- the planner leaves them out. It used to find them on each view from the
-- completed transfers, which grow with the book of business (issue 15). A
-- flag on the subscription, kept by triggers on transfers and on what they
-- carry, lets term_end_counts leave them out as they change, and the
-- planner's list filter them per row.

-- +goose Up
ALTER TABLE subscriptions ADD COLUMN transferred_in INTEGER NOT NULL DEFAULT 0 CHECK (transferred_in IN (0, 1));

UPDATE subscriptions SET transferred_in = 1
WHERE id IN (SELECT ts.subscription_id FROM transfer_subscriptions ts JOIN transfers t ON t.id = ts.transfer_id WHERE t.status = 'complete');

-- +goose StatementBegin
CREATE TRIGGER transferred_in_status AFTER UPDATE OF status ON transfers
WHEN (OLD.status = 'complete') <> (NEW.status = 'complete')
BEGIN
    UPDATE subscriptions SET transferred_in = EXISTS (
        SELECT 1 FROM transfer_subscriptions ts JOIN transfers t ON t.id = ts.transfer_id
        WHERE ts.subscription_id = subscriptions.id AND t.status = 'complete')
    WHERE id IN (SELECT subscription_id FROM transfer_subscriptions WHERE transfer_id = NEW.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER transferred_in_carried AFTER INSERT ON transfer_subscriptions
WHEN (SELECT status FROM transfers WHERE id = NEW.transfer_id) = 'complete'
BEGIN
    UPDATE subscriptions SET transferred_in = 1 WHERE id = NEW.subscription_id AND transferred_in = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER transferred_in_uncarried AFTER DELETE ON transfer_subscriptions
BEGIN
    UPDATE subscriptions SET transferred_in = EXISTS (
        SELECT 1 FROM transfer_subscriptions ts JOIN transfers t ON t.id = ts.transfer_id
        WHERE ts.subscription_id = OLD.subscription_id AND t.status = 'complete')
    WHERE id = OLD.subscription_id;
END;
-- +goose StatementEnd

-- term_end_counts (migration 00023) now counts only the licences not
-- transferred in: recounted, and its triggers watch the flag.
DELETE FROM term_end_counts;
INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
SELECT s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind, COUNT(*)
FROM subscriptions s JOIN customers c ON c.id = s.customer_id
WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND s.transferred_in = 0 AND c.is_csp_partner = 0
GROUP BY s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind;

DROP TRIGGER term_end_counts_insert;
DROP TRIGGER term_end_counts_delete;
DROP TRIGGER term_end_counts_update;
DROP TRIGGER term_end_counts_customer_kind;

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_insert AFTER INSERT ON subscriptions
WHEN NEW.removed_at IS NULL AND NEW.term_end IS NOT NULL AND NEW.transferred_in = 0
BEGIN
    INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
    SELECT NEW.term_end, NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.is_csp_partner = 0
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_delete AFTER DELETE ON subscriptions
WHEN OLD.removed_at IS NULL AND OLD.term_end IS NOT NULL AND OLD.transferred_in = 0
BEGIN
    UPDATE term_end_counts SET n = n - 1
    WHERE term_end = OLD.term_end AND channel = OLD.channel AND service_type = OLD.service_type
      AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind
      AND (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id) = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_update
AFTER UPDATE OF term_end, channel, service_type, commerce, offer_kind, removed_at, customer_id, transferred_in ON subscriptions
BEGIN
    UPDATE term_end_counts SET n = n - 1
    WHERE OLD.removed_at IS NULL AND OLD.term_end IS NOT NULL AND OLD.transferred_in = 0
      AND term_end = OLD.term_end AND channel = OLD.channel AND service_type = OLD.service_type
      AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind
      AND (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id) = 0;
    INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
    SELECT NEW.term_end, NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, 1
    FROM customers c
    WHERE c.id = NEW.customer_id AND c.is_csp_partner = 0 AND NEW.removed_at IS NULL AND NEW.term_end IS NOT NULL
      AND NEW.transferred_in = 0
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_customer_kind AFTER UPDATE OF is_csp_partner ON customers
WHEN OLD.is_csp_partner <> NEW.is_csp_partner
BEGIN
    -- Becoming a CSP partner takes the customer's licences out of the counts,
    -- ceasing to be one puts them back.
    UPDATE term_end_counts SET n = n - (
        SELECT COUNT(*) FROM subscriptions s
        WHERE s.customer_id = NEW.id AND s.removed_at IS NULL AND s.transferred_in = 0 AND s.term_end = term_end_counts.term_end
          AND s.channel = term_end_counts.channel AND s.service_type = term_end_counts.service_type
          AND s.commerce = term_end_counts.commerce AND s.offer_kind = term_end_counts.offer_kind)
    WHERE NEW.is_csp_partner = 1 AND (term_end, channel, service_type, commerce, offer_kind) IN (
        SELECT term_end, channel, service_type, commerce, offer_kind FROM subscriptions
        WHERE customer_id = NEW.id AND removed_at IS NULL AND transferred_in = 0 AND term_end IS NOT NULL);
    INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
    SELECT s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind, COUNT(*)
    FROM subscriptions s
    WHERE NEW.is_csp_partner = 0 AND s.customer_id = NEW.id AND s.removed_at IS NULL AND s.transferred_in = 0 AND s.term_end IS NOT NULL
    GROUP BY s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
