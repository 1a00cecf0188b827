package customers

import (
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// PlanPage returns what a customer's plan page shows: its overview, for the
// heading, and its plan, of which q says what the page shows. An unknown
// customer is domain.ErrNotFound.
func (s *Service) PlanPage(ctx context.Context, customerID int64, q domain.PlanQuery) (domain.PlanPage, error) {
	plan, err := s.Plan(ctx, customerID)
	if err != nil {
		return domain.PlanPage{}, err
	}
	ov, err := s.overviewOf(ctx, plan.Customer)
	if err != nil {
		return domain.PlanPage{}, err
	}
	page := domain.PlanPage{Overview: ov, Plan: plan, Purchases: domain.PlanPurchases{At: s.now()}, Query: q}
	page.Purchases.Items, page.Purchases.Total, err = s.store.CSPPurchases(ctx, customerID, domain.Page{Number: 1, Size: domain.PlanPurchasesShown})
	return page, err
}

// lastRequest is the effective state of the customer's newest request,
// open or not, or empty when it has none: what the plan's guidance follows.
func (s *Service) lastRequest(ctx context.Context, customerID int64) (domain.RelationshipStatus, error) {
	last, err := s.store.LastRelationship(ctx, customerID)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return last.Effective(s.now()), nil
}
