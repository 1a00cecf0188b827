-- The dashboard's count of usage subscriptions whose new CSP Azure
-- subscription runs beside them (a checklist between recording the CSP
-- subscription and cancelling the old one, steps 3 and 4), by what the rules
-- read and by customer kind (issue 15). It joined every such checklist on
-- each view; these counters are kept by triggers in the same transaction as
-- every change to a checklist, a subscription or a customer's CSP-partner
-- flag, like subscription_counts (migration 00022).

-- +goose Up
CREATE TABLE coexisting_counts (
    channel        TEXT    NOT NULL,
    service_type   TEXT    NOT NULL,
    commerce       TEXT    NOT NULL,
    offer_kind     TEXT    NOT NULL,
    is_csp_partner INTEGER NOT NULL,
    n              INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (channel, service_type, commerce, offer_kind, is_csp_partner)
) WITHOUT ROWID;

INSERT INTO coexisting_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
SELECT s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner, COUNT(*)
FROM azure_migrations m JOIN subscriptions s ON s.id = m.subscription_id JOIN customers c ON c.id = s.customer_id
WHERE s.removed_at IS NULL AND m.step IN (3, 4)
GROUP BY s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner;

-- +goose StatementBegin
CREATE TRIGGER coexisting_counts_checklist_insert AFTER INSERT ON azure_migrations
WHEN NEW.step IN (3, 4)
BEGIN
    INSERT INTO coexisting_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    SELECT s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner, 1
    FROM subscriptions s JOIN customers c ON c.id = s.customer_id
    WHERE s.id = NEW.subscription_id AND s.removed_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coexisting_counts_checklist_delete AFTER DELETE ON azure_migrations
WHEN OLD.step IN (3, 4)
BEGIN
    UPDATE coexisting_counts SET n = n - 1
    WHERE (channel, service_type, commerce, offer_kind, is_csp_partner) IN (
        SELECT s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner
        FROM subscriptions s JOIN customers c ON c.id = s.customer_id
        WHERE s.id = OLD.subscription_id AND s.removed_at IS NULL);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coexisting_counts_checklist_update AFTER UPDATE OF step, subscription_id ON azure_migrations
BEGIN
    UPDATE coexisting_counts SET n = n - 1
    WHERE OLD.step IN (3, 4) AND (channel, service_type, commerce, offer_kind, is_csp_partner) IN (
        SELECT s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner
        FROM subscriptions s JOIN customers c ON c.id = s.customer_id
        WHERE s.id = OLD.subscription_id AND s.removed_at IS NULL);
    INSERT INTO coexisting_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    SELECT s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner, 1
    FROM subscriptions s JOIN customers c ON c.id = s.customer_id
    WHERE NEW.step IN (3, 4) AND s.id = NEW.subscription_id AND s.removed_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coexisting_counts_subscription_update
AFTER UPDATE OF channel, service_type, commerce, offer_kind, removed_at, customer_id ON subscriptions
WHEN EXISTS (SELECT 1 FROM azure_migrations WHERE subscription_id = NEW.id AND step IN (3, 4))
BEGIN
    UPDATE coexisting_counts SET n = n - 1
    WHERE OLD.removed_at IS NULL
      AND channel = OLD.channel AND service_type = OLD.service_type AND commerce = OLD.commerce
      AND offer_kind = OLD.offer_kind
      AND is_csp_partner = (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id);
    INSERT INTO coexisting_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    SELECT NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, c.is_csp_partner, 1
    FROM customers c WHERE c.id = NEW.customer_id AND NEW.removed_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coexisting_counts_customer_kind AFTER UPDATE OF is_csp_partner ON customers
WHEN OLD.is_csp_partner <> NEW.is_csp_partner
BEGIN
    UPDATE coexisting_counts SET n = n - (
        SELECT COUNT(*) FROM subscriptions s JOIN azure_migrations m ON m.subscription_id = s.id
        WHERE s.customer_id = NEW.id AND s.removed_at IS NULL AND m.step IN (3, 4)
          AND s.channel = coexisting_counts.channel AND s.service_type = coexisting_counts.service_type
          AND s.commerce = coexisting_counts.commerce AND s.offer_kind = coexisting_counts.offer_kind)
    WHERE is_csp_partner = OLD.is_csp_partner;
    INSERT INTO coexisting_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    SELECT s.channel, s.service_type, s.commerce, s.offer_kind, NEW.is_csp_partner, COUNT(*)
    FROM subscriptions s JOIN azure_migrations m ON m.subscription_id = s.id
    WHERE s.customer_id = NEW.id AND s.removed_at IS NULL AND m.step IN (3, 4)
    GROUP BY s.channel, s.service_type, s.commerce, s.offer_kind
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
