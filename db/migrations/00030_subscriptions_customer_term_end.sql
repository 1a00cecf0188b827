-- The purchase form on the plan offers a customer's licences whose terms end
-- soonest (issue 15): read in that order from this index instead of sorting
-- every subscription of the customer.

-- +goose Up
CREATE INDEX subscriptions_customer_term_end ON subscriptions (customer_id, term_end, id) WHERE removed_at IS NULL;
