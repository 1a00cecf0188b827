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
