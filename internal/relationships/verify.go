package relationships

import (
	"context"
	"slices"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file is the verification of accepted requests in Partner Center
// (DESIGN §4, "accepted" is not "active"): by hand, or from Partner Center's
// customer list export, previewed first and applied only as previewed.

// Verify makes an accepted request the customer's active relationship once
// the user states that Partner Center's customer list shows the customer
// with a reseller relationship (seen); without it, the request stays
// accepted and the refusal is a domain.FieldErrors.
func (s *Service) Verify(ctx context.Context, actor domain.Actor, id int64, seen bool) error {
	if !seen {
		return domain.FieldErrors{"seen": "Tick that you see the customer with a reseller relationship in Partner Center's customer list."}
	}
	return s.store.ReviewRelationship(ctx, actor, id, true, "")
}

// ExportUpload is an uploaded export with what the user said of it.
type ExportUpload struct {
	FileName   string
	Data       []byte
	ExportedOn time.Time // the day Partner Center exported it, at midnight UTC
}

// ExportPreview is what an export would change, for the preview page, and
// the fingerprint its confirmation must carry.
type ExportPreview struct {
	Upload      ExportUpload
	Export      domain.PartnerCenterExport
	Plan        domain.VerificationPlan
	Fingerprint string
	// CreateProblem says why unknown customers cannot be created ("" when
	// they can): the partner's country, which they get, is not set.
	CreateProblem string
}

// ErrExportChanged refuses a confirmation whose preview no longer holds: a
// request, a customer or a relationship changed since it was shown.
var ErrExportChanged = domain.Conflict("Something changed in the app since this preview was shown: check the new preview and confirm again.")

// PreviewExport reads an uploaded export and plans what it verifies,
// changing nothing. A malformed file is a *domain.ExportError; a day in the
// future is a domain.FieldErrors, where today is the latest today on Earth,
// so that a partner east of UTC may give its own today.
func (s *Service) PreviewExport(ctx context.Context, u ExportUpload) (ExportPreview, error) {
	p := ExportPreview{Upload: u}
	if u.ExportedOn.IsZero() || u.ExportedOn.After(domain.LatestToday(s.now())) {
		return p, domain.FieldErrors{"exported_on": "Enter the day you exported the file from Partner Center, today or earlier."}
	}
	export, err := domain.ParsePartnerCenterExport(u.Data)
	if err != nil {
		return p, err
	}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return p, err
	}
	customers, open, err := s.store.VerificationState(ctx)
	if err != nil {
		return p, err
	}
	p.Export, p.Plan = export, domain.PlanVerification(export, customers, open, partner.Country, s.now())
	p.Fingerprint = p.Plan.Fingerprint(export)
	if !domain.IsCountryCode(partner.Country) {
		p.CreateProblem = "Customers can be created from the export once a Global admin sets the partner's country in the settings: they get it as theirs."
	}
	return p, nil
}

// ApplyExport applies an export as its preview showed it: the preview is
// made again from the same file, and a fingerprint other than the one shown
// is ErrExportChanged with the new preview, changing nothing. The unknown
// customers whose Microsoft IDs are in create are created. What changed in
// the instant between the new preview and the transaction is skipped and
// reported in the result.
func (s *Service) ApplyExport(ctx context.Context, actor domain.Actor, u ExportUpload, fingerprint string, create []string) (ExportPreview,
	domain.ExportResult, error) {
	p, err := s.PreviewExport(ctx, u)
	if err != nil {
		return p, domain.ExportResult{}, err
	}
	if p.Fingerprint != fingerprint {
		return p, domain.ExportResult{}, ErrExportChanged
	}
	a := domain.ExportApplication{Plan: p.Plan, FileName: u.FileName, ExportedOn: u.ExportedOn, Export: p.Export}
	if p.CreateProblem == "" {
		for _, row := range p.Plan.Unknown {
			if slices.Contains(create, row.TenantID) && p.Plan.CreateProblem(row) == "" {
				a.Create = append(a.Create, row)
			}
		}
	}
	res, err := s.store.ApplyExport(ctx, actor, a)
	return p, res, err
}
