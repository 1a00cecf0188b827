package customers

import (
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// recordTransferPage is how many transfers are read at a time; the record
// shows them all.
const recordTransferPage = 100

// Record returns the onboarding record of a customer: its overview and plan,
// the partner, its open or active relationship request and every transfer
// request, in their effective states now. An unknown customer is
// domain.ErrNotFound.
func (s *Service) Record(ctx context.Context, customerID int64) (domain.OnboardingRecord, error) {
	now := s.now()
	plan, err := s.Plan(ctx, customerID)
	if err != nil {
		return domain.OnboardingRecord{}, err
	}
	ov, err := s.overviewOf(ctx, plan.Customer)
	if err != nil {
		return domain.OnboardingRecord{}, err
	}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return domain.OnboardingRecord{}, err
	}
	var rel *domain.RelationshipRequest
	switch r, err := s.store.OpenRelationship(ctx, customerID); {
	case err == nil:
		rel = &r
	case !errors.Is(err, domain.ErrNotFound):
		return domain.OnboardingRecord{}, err
	}
	transfers, err := s.allTransfers(ctx, customerID)
	if err != nil {
		return domain.OnboardingRecord{}, err
	}
	return domain.BuildRecord(ov, plan, partner, rel, transfers, now), nil
}

// allTransfers reads every transfer request of a customer, a page at a time.
func (s *Service) allTransfers(ctx context.Context, customerID int64) ([]domain.Transfer, error) {
	var all []domain.Transfer
	for n := 1; ; n++ {
		page, total, err := s.store.TransfersOfCustomer(ctx, customerID, domain.Page{Number: n, Size: recordTransferPage})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			return all, nil
		}
	}
}
