-- A plan page shows the first rows of each workflow group of a customer:
-- walking the customer's subscriptions in id order for the rows of a group
-- read every subscription before the group's first ones, all 7,000 of a
-- large customer for a group of a few (0.5 ms, issue 15). With the class key
-- after the customer, each key of a group is a range in id order, and a
-- page of the group reads at most a page from each.

-- +goose Up
CREATE INDEX subscriptions_customer_key ON subscriptions (customer_id, channel, service_type, commerce, offer_kind, id)
WHERE removed_at IS NULL;
