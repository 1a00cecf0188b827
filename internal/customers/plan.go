package customers

import (
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// PlanPage returns what a customer's plan page shows: its overview, for the
// heading, and the part of its plan q asks for, read without reading every
// subscription: the groups' counts come from the counters, their rows one
// page each, and their tallies from the subscriptions with a checklist or a
// transfer. An unknown customer is domain.ErrNotFound.
func (s *Service) PlanPage(ctx context.Context, customerID int64, q domain.PlanQuery) (domain.PlanPage, error) {
	c, rules, st, err := s.planState(ctx, customerID)
	if err != nil {
		return domain.PlanPage{}, err
	}
	counts, err := s.store.SubscriptionCounts(ctx, customerID)
	if err != nil {
		return domain.PlanPage{}, err
	}
	groups := domain.PlanGroupsOf(c, rules, counts)
	total := 0
	for _, g := range groups {
		total += g.Count
	}
	for i, g := range groups {
		page, ok := q.PageOf(g.Workflow, g.Count)
		if !ok {
			continue
		}
		if groups[i].Shown, err = s.store.SubscriptionsWithKeys(ctx, customerID, g.Keys, g.Sparse(total), page); err != nil {
			return domain.PlanPage{}, err
		}
	}
	recorded, err := s.store.SubscriptionsByID(ctx, customerID, st.Recorded())
	if err != nil {
		return domain.PlanPage{}, err
	}
	ov, err := s.overviewOf(ctx, c)
	if err != nil {
		return domain.PlanPage{}, err
	}
	page := domain.PlanPage{Overview: ov, Plan: domain.BuildPlanPage(c, rules, groups, recorded, st, s.now()), Query: q,
		Purchases: domain.PlanPurchases{At: s.now()}}
	if page.Replaceable, err = s.store.ReplaceableLicences(ctx, customerID, q.Replaces, domain.PlanReplacesShown); err != nil {
		return page, err
	}
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
