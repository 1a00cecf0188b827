-- The dashboard's count of every live subscription by what the rules read
-- (channel, service type, commerce kind, offer kind) and whether its
-- customer is a CSP partner (issue 15). It was a GROUP BY over all
-- subscriptions on every view, which grows with the book of business; these
-- counters are a few dozen rows, kept by triggers in the same transaction as
-- every change to a subscription or to a customer's CSP-partner flag, so no
-- write path can forget them. A count that reaches zero stays as a row with
-- n = 0, which readers skip.

-- +goose Up
CREATE TABLE subscription_counts (
    channel        TEXT    NOT NULL,
    service_type   TEXT    NOT NULL,
    commerce       TEXT    NOT NULL,
    offer_kind     TEXT    NOT NULL,
    is_csp_partner INTEGER NOT NULL,
    n              INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (channel, service_type, commerce, offer_kind, is_csp_partner)
) WITHOUT ROWID;

INSERT INTO subscription_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
SELECT s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner, COUNT(*)
FROM subscriptions s JOIN customers c ON c.id = s.customer_id
WHERE s.removed_at IS NULL
GROUP BY s.channel, s.service_type, s.commerce, s.offer_kind, c.is_csp_partner;

-- +goose StatementBegin
CREATE TRIGGER subscription_counts_insert AFTER INSERT ON subscriptions
WHEN NEW.removed_at IS NULL
BEGIN
    INSERT INTO subscription_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    VALUES (NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind,
            (SELECT is_csp_partner FROM customers WHERE id = NEW.customer_id), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER subscription_counts_delete AFTER DELETE ON subscriptions
WHEN OLD.removed_at IS NULL
BEGIN
    UPDATE subscription_counts SET n = n - 1
    WHERE channel = OLD.channel AND service_type = OLD.service_type AND commerce = OLD.commerce
      AND offer_kind = OLD.offer_kind
      AND is_csp_partner = (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER subscription_counts_update
AFTER UPDATE OF channel, service_type, commerce, offer_kind, removed_at, customer_id ON subscriptions
BEGIN
    UPDATE subscription_counts SET n = n - 1
    WHERE OLD.removed_at IS NULL
      AND channel = OLD.channel AND service_type = OLD.service_type AND commerce = OLD.commerce
      AND offer_kind = OLD.offer_kind
      AND is_csp_partner = (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id);
    INSERT INTO subscription_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    SELECT NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, c.is_csp_partner, 1
    FROM customers c WHERE c.id = NEW.customer_id AND NEW.removed_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER subscription_counts_customer_kind AFTER UPDATE OF is_csp_partner ON customers
WHEN OLD.is_csp_partner <> NEW.is_csp_partner
BEGIN
    UPDATE subscription_counts SET n = n - (
        SELECT COUNT(*) FROM subscriptions s
        WHERE s.customer_id = NEW.id AND s.removed_at IS NULL
          AND s.channel = subscription_counts.channel AND s.service_type = subscription_counts.service_type
          AND s.commerce = subscription_counts.commerce AND s.offer_kind = subscription_counts.offer_kind)
    WHERE is_csp_partner = OLD.is_csp_partner;
    INSERT INTO subscription_counts (channel, service_type, commerce, offer_kind, is_csp_partner, n)
    SELECT s.channel, s.service_type, s.commerce, s.offer_kind, NEW.is_csp_partner, COUNT(*)
    FROM subscriptions s WHERE s.customer_id = NEW.id AND s.removed_at IS NULL
    GROUP BY s.channel, s.service_type, s.commerce, s.offer_kind
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
