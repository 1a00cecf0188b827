-- The planner's chart counts the term ends of twelve months by action
-- (issue 15): summing term_end_counts over a year read a row per date and
-- class key, thousands at a large partner. term_end_month_counts has a row
-- per month (its first day) and key, kept by triggers on term_end_counts, so
-- it moves in the same transaction as every change the daily counts follow.

-- +goose Up
CREATE TABLE term_end_month_counts (
    month        TEXT    NOT NULL, -- YYYY-MM-01
    channel      TEXT    NOT NULL,
    service_type TEXT    NOT NULL,
    commerce     TEXT    NOT NULL,
    offer_kind   TEXT    NOT NULL,
    n            INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (month, channel, service_type, commerce, offer_kind)
) WITHOUT ROWID;

INSERT INTO term_end_month_counts (month, channel, service_type, commerce, offer_kind, n)
SELECT substr(term_end, 1, 8) || '01', channel, service_type, commerce, offer_kind, SUM(n)
FROM term_end_counts GROUP BY 1, channel, service_type, commerce, offer_kind;

-- +goose StatementBegin
CREATE TRIGGER term_end_month_counts_insert AFTER INSERT ON term_end_counts
BEGIN
    INSERT INTO term_end_month_counts (month, channel, service_type, commerce, offer_kind, n)
    VALUES (substr(NEW.term_end, 1, 8) || '01', NEW.channel, NEW.service_type, NEW.commerce, NEW.offer_kind, NEW.n)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_month_counts_update AFTER UPDATE OF n ON term_end_counts
BEGIN
    UPDATE term_end_month_counts SET n = n + NEW.n - OLD.n
    WHERE month = substr(NEW.term_end, 1, 8) || '01' AND channel = NEW.channel AND service_type = NEW.service_type
      AND commerce = NEW.commerce AND offer_kind = NEW.offer_kind;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER term_end_month_counts_delete AFTER DELETE ON term_end_counts
BEGIN
    UPDATE term_end_month_counts SET n = n - OLD.n
    WHERE month = substr(OLD.term_end, 1, 8) || '01' AND channel = OLD.channel AND service_type = OLD.service_type
      AND commerce = OLD.commerce AND offer_kind = OLD.offer_kind;
END;
-- +goose StatementEnd
