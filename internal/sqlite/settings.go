package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// rowQueryer is what a single-row read needs: the read pool or a transaction.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// PartnerSettings returns the partner's details with its settings, or
// domain.ErrNotFound before a partner is set. Every signed-in page reads
// them (the page frame, the two-factor requirement), so the row is kept in
// memory: this store's writes of it forget the copy at once, and a copy
// older than partnerCacheFor is read again, for a write by another process
// (the partner set command).
func (s *Store) PartnerSettings(ctx context.Context) (domain.PartnerSettings, error) {
	now := s.now()
	s.partner.mu.Lock()
	defer s.partner.mu.Unlock()
	if s.partner.loaded && now.Before(s.partner.until) {
		return s.partner.ps, s.partner.err
	}
	ps, err := readPartnerSettings(ctx, s.read)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return ps, err
	}
	s.partner.ps, s.partner.err, s.partner.loaded, s.partner.until = ps, err, true, now.Add(partnerCacheFor)
	return ps, err
}

// partnerCacheFor is how long PartnerSettings keeps the partner's row
// before reading it again.
const partnerCacheFor = 5 * time.Second

// partnerCache is PartnerSettings' copy of the partner's row.
type partnerCache struct {
	mu     sync.Mutex
	loaded bool
	ps     domain.PartnerSettings
	err    error // domain.ErrNotFound before a partner is set
	until  time.Time
}

// forgetPartner drops the copy of the partner's row after this store wrote
// it, so that the next page reads what was written.
func (s *Store) forgetPartner() {
	s.partner.mu.Lock()
	s.partner.loaded = false
	s.partner.mu.Unlock()
}

func readPartnerSettings(ctx context.Context, db rowQueryer) (domain.PartnerSettings, error) {
	var ps domain.PartnerSettings
	p := &ps.Partner
	err := db.QueryRowContext(ctx, `SELECT name, partner_id, csp_model, cloud, updated_at, default_invite_days, invite_subject, invite_body,
		require_two_factor, version, tenant_id, country, reseller_link, provider_name, provider_tenant_id, azure_expert_msp FROM partner WHERE id = 1`).
		Scan(&p.Name, &p.PartnerID, &p.CSPModel, &p.Cloud, timeColumn{&p.UpdatedAt}, &ps.DefaultInviteDays, &ps.Invitation.Subject, &ps.Invitation.Body,
			&ps.RequireTwoFactor, &ps.Version, &p.TenantID, &p.Country, &p.ResellerLink, &p.ProviderName, &p.ProviderTenantID, &p.AzureExpertMSP)
	if errors.Is(err, sql.ErrNoRows) {
		return ps, domain.ErrNotFound
	}
	return ps, err
}

// SavePartnerSettings normalises and validates ps (invalid input is
// domain.FieldErrors), then writes the partner and its settings together
// with a settings_changed audit entry in one transaction. It returns what
// changed, as the audit entry lists it; when nothing changed nothing is
// written. Once the partner is set, ps.Version must be the version stored:
// otherwise the refusal is a domain.Stale with the settings as stored.
func (s *Store) SavePartnerSettings(ctx context.Context, actor domain.Actor, ps domain.PartnerSettings) ([]string, error) {
	ps = ps.Normalize()
	if errs := ps.Validate(); errs.Any() {
		return nil, errs
	}
	var changes []string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The changes are judged against the row as the transaction sees it,
		// so the audit entry is right even when two admins save at once.
		before, err := readPartnerSettings(ctx, tx)
		switch {
		case errors.Is(err, domain.ErrNotFound):
		case err != nil:
			return err
		default:
			if err := checkVersion(ctx, tx, partnerVersioned, 1, before, before.Version, ps.Version); err != nil {
				return err
			}
		}
		if changes = ps.Changes(before); len(changes) == 0 {
			return nil
		}
		now := s.now()
		p := ps.Partner
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO partner (id, name, partner_id, csp_model, cloud, updated_at, default_invite_days, invite_subject, invite_body,
			   require_two_factor, changed_by, changed_at, tenant_id, country, reseller_link, provider_name, provider_tenant_id, azure_expert_msp)
			 VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (id) DO UPDATE SET name = excluded.name, partner_id = excluded.partner_id, csp_model = excluded.csp_model,
			   cloud = excluded.cloud, updated_at = excluded.updated_at, default_invite_days = excluded.default_invite_days,
			   invite_subject = excluded.invite_subject, invite_body = excluded.invite_body,
			   require_two_factor = excluded.require_two_factor, version = partner.version + 1, changed_by = excluded.changed_by,
			   changed_at = excluded.changed_at, tenant_id = excluded.tenant_id, country = excluded.country,
			   reseller_link = excluded.reseller_link, provider_name = excluded.provider_name, provider_tenant_id = excluded.provider_tenant_id,
			   azure_expert_msp = excluded.azure_expert_msp`,
			p.Name, p.PartnerID, p.CSPModel, p.Cloud, formatTime(now), ps.DefaultInviteDays, ps.Invitation.Subject, ps.Invitation.Body,
			ps.RequireTwoFactor, nullID(actor.UserID), formatTime(now), p.TenantID, p.Country, p.ResellerLink, p.ProviderName, p.ProviderTenantID, p.AzureExpertMSP); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditSettingsChanged,
			Target: "partner settings", Detail: strings.Join(changes, "; ")})
	})
	s.forgetPartner()
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// QueueTestMessage puts m in the outbox for the SMTP sender, with a
// test_mail_queued audit entry, in one transaction. The message belongs to
// no relationship request.
func (s *Store) QueueTestMessage(ctx context.Context, actor domain.Actor, m domain.EmailMessage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (to_addr, subject, body, status, created_at) VALUES (?, ?, ?, ?, ?)`,
			m.To, m.Subject, m.Body, domain.MessageQueued, formatTime(now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditTestMailQueued, Target: m.To})
	})
}
