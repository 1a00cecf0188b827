-- The partner's Microsoft identity: its Microsoft ID (tenant id), where it
-- is located, the reseller relationship link copied from Partner Center, and
-- for an indirect reseller its indirect provider. The link is the one the
-- customer's Global admin opens to accept at Microsoft.

-- +goose Up
ALTER TABLE partner ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '';
ALTER TABLE partner ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE partner ADD COLUMN reseller_link TEXT NOT NULL DEFAULT '';
ALTER TABLE partner ADD COLUMN provider_name TEXT NOT NULL DEFAULT '';
ALTER TABLE partner ADD COLUMN provider_tenant_id TEXT NOT NULL DEFAULT '';
