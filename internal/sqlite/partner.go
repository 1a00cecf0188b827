package sqlite

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Partner returns the installation's partner organisation, or
// domain.ErrNotFound before one is set.
func (s *Store) Partner(ctx context.Context) (domain.Partner, error) {
	ps, err := s.PartnerSettings(ctx)
	return ps.Partner, err
}

// SetPartner creates or replaces the partner organisation.
func (s *Store) SetPartner(ctx context.Context, p domain.Partner) error {
	defer s.forgetPartner()
	return upsertPartner(ctx, s.write, s.now(), p)
}

func upsertPartner(ctx context.Context, db execer, now time.Time, p domain.Partner) error {
	_, err := db.ExecContext(ctx,
		`INSERT INTO partner (id, name, partner_id, csp_model, cloud, updated_at, tenant_id, country, reseller_link, provider_name,
		   provider_tenant_id, azure_expert_msp) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET name = excluded.name, partner_id = excluded.partner_id,
		   csp_model = excluded.csp_model, cloud = excluded.cloud, updated_at = excluded.updated_at,
		   tenant_id = excluded.tenant_id, country = excluded.country, reseller_link = excluded.reseller_link,
		   provider_name = excluded.provider_name, provider_tenant_id = excluded.provider_tenant_id,
		   azure_expert_msp = excluded.azure_expert_msp, version = partner.version + 1, changed_by = NULL, changed_at = excluded.updated_at`,
		p.Name, p.PartnerID, p.CSPModel, p.Cloud, formatTime(now), p.TenantID, p.Country, p.ResellerLink, p.ProviderName, p.ProviderTenantID, p.AzureExpertMSP)
	return err
}
