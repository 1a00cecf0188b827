package customers

import (
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// RecordCSPPurchase validates and stores a licence this partner bought in
// CSP for a customer, so that its 7-day cancellation window is shown. The
// customer's reseller relationship must be active
// (domain.PurchaseNeedsRelationship), and a replaced subscription must be
// one of the customer's; both come back as domain.FieldErrors, with those
// of the fields. An unknown customer is domain.ErrNotFound.
func (s *Service) RecordCSPPurchase(ctx context.Context, actor domain.Actor, p domain.CSPPurchase) (int64, error) {
	p = p.Normalize()
	if errs := p.Validate(s.now()); errs.Any() {
		return 0, errs
	}
	rel, err := s.store.OpenRelationship(ctx, p.CustomerID)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && rel.Effective(s.now()) != domain.StatusActive) {
		return 0, domain.PurchaseNeedsRelationship()
	}
	if err != nil {
		return 0, err
	}
	return s.store.RecordCSPPurchase(ctx, actor, p)
}
