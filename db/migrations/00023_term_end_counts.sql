-- The term-end planner's and the dashboard's counts of licences by term-end
-- date and what the rules read (issue 15): a COUNT over the date range read
-- every subscription in it, which grows with the book of business. These
-- counters have a row per date and class key (about 1,100 dates over three
-- years, a few keys each), for customers that are not CSP partners (the
-- planner leaves those out), kept by triggers in the same transaction as
-- every change to a subscription or to a customer's CSP-partner flag. A count
-- that reaches zero stays as a row with n = 0, which adds nothing.

-- +goose Up
CREATE TABLE term_end_counts (
    term_end     TEXT    NOT NULL, -- YYYY-MM-DD
    channel      TEXT    NOT NULL,
    service_type TEXT    NOT NULL,
    commerce     TEXT    NOT NULL,
    offer_kind   TEXT    NOT NULL,
    n            INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (term_end, channel, service_type, commerce, offer_kind)
) WITHOUT ROWID;

INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
SELECT s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind, COUNT(*)
FROM subscriptions s JOIN customers c ON c.id = s.customer_id
WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND c.is_csp_partner = 0
GROUP BY s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind;

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_insert AFTER INSERT ON subscriptions
WHEN NEW.removed_at IS NULL AND NEW.term_end IS NOT NULL
BEGIN
    INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
    SELECT NEW.term_end, NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.is_csp_partner = 0
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_delete AFTER DELETE ON subscriptions
WHEN OLD.removed_at IS NULL AND OLD.term_end IS NOT NULL
BEGIN
    UPDATE term_end_counts SET n = n - 1
    WHERE term_end = OLD.term_end AND channel = OLD.channel AND service_type = OLD.service_type
      AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind
      AND (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id) = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_counts_update
AFTER UPDATE OF term_end, channel, service_type, commerce, offer_kind, removed_at, customer_id ON subscriptions
BEGIN
    UPDATE term_end_counts SET n = n - 1
    WHERE OLD.removed_at IS NULL AND OLD.term_end IS NOT NULL
      AND term_end = OLD.term_end AND channel = OLD.channel AND service_type = OLD.service_type
      AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind
      AND (SELECT is_csp_partner FROM customers WHERE id = OLD.customer_id) = 0;
    INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
    SELECT NEW.term_end, NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, 1
    FROM customers c
    WHERE c.id = NEW.customer_id AND c.is_csp_partner = 0 AND NEW.removed_at IS NULL AND NEW.term_end IS NOT NULL
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
        WHERE s.customer_id = NEW.id AND s.removed_at IS NULL AND s.term_end = term_end_counts.term_end
          AND s.channel = term_end_counts.channel AND s.service_type = term_end_counts.service_type
          AND s.commerce = term_end_counts.commerce AND s.offer_kind = term_end_counts.offer_kind)
    WHERE NEW.is_csp_partner = 1 AND (term_end, channel, service_type, commerce, offer_kind) IN (
        SELECT term_end, channel, service_type, commerce, offer_kind FROM subscriptions
        WHERE customer_id = NEW.id AND removed_at IS NULL AND term_end IS NOT NULL);
    INSERT INTO term_end_counts (term_end, channel, service_type, commerce, offer_kind, n)
    SELECT s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind, COUNT(*)
    FROM subscriptions s
    WHERE NEW.is_csp_partner = 0 AND s.customer_id = NEW.id AND s.removed_at IS NULL AND s.term_end IS NOT NULL
    GROUP BY s.term_end, s.channel, s.service_type, s.commerce, s.offer_kind
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
