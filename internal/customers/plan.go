package customers

import (
	"context"

	"github.com/wingtip/multichannel/internal/domain"
)

// PlanPage returns what a customer's plan page shows: its overview, for the
// heading, and its plan. An unknown customer is domain.ErrNotFound.
func (s *Service) PlanPage(ctx context.Context, customerID int64) (domain.PlanPage, error) {
	plan, err := s.Plan(ctx, customerID)
	if err != nil {
		return domain.PlanPage{}, err
	}
	ov, err := s.overviewOf(ctx, plan.Customer)
	return domain.PlanPage{Overview: ov, Plan: plan}, err
}

// lastRequest is the effective state of the customer's newest request,
// open or not, or empty when it has none: what the plan's guidance follows.
func (s *Service) lastRequest(ctx context.Context, customerID int64) (domain.RelationshipStatus, error) {
	history, err := s.store.CustomerRelationships(ctx, customerID)
	if err != nil || len(history) == 0 {
		return "", err
	}
	return history[0].Effective(s.now()), nil
}
