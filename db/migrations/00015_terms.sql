-- The rules of today: what a subscription's term is (commerce experience,
-- term length, billing frequency, auto-renew, term start) and, for Azure,
-- its offer or quota id with the kind the rules read of it; and whether
-- the partner holds the Azure Expert MSP designation.

-- +goose Up
ALTER TABLE subscriptions ADD COLUMN commerce TEXT NOT NULL DEFAULT '' CHECK (commerce IN ('', 'nce', 'legacy'));
ALTER TABLE subscriptions ADD COLUMN term_length TEXT NOT NULL DEFAULT ''
    CHECK (term_length IN ('', 'monthly', 'annual', 'three_years'));
ALTER TABLE subscriptions ADD COLUMN billing_frequency TEXT NOT NULL DEFAULT ''
    CHECK (billing_frequency IN ('', 'monthly', 'annual', 'triennial'));
ALTER TABLE subscriptions ADD COLUMN auto_renew TEXT NOT NULL DEFAULT '' CHECK (auto_renew IN ('', 'on', 'off'));
ALTER TABLE subscriptions ADD COLUMN term_start TEXT; -- YYYY-MM-DD
ALTER TABLE subscriptions ADD COLUMN offer_id TEXT NOT NULL DEFAULT '';
-- Set from offer_id by the domain (domain.OfferKindOf) on every write.
ALTER TABLE subscriptions ADD COLUMN offer_kind TEXT NOT NULL DEFAULT '' CHECK (offer_kind IN ('', 'benefit'));
ALTER TABLE partner ADD COLUMN azure_expert_msp INTEGER NOT NULL DEFAULT 0 CHECK (azure_expert_msp IN (0, 1));
