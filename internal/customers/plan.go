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
	p, err := s.planParts(ctx, customerID)
	if err != nil {
		return domain.PlanPage{}, err
	}
	for i, g := range p.groups {
		page, ok := q.PageOf(g.Workflow, g.Count)
		if !ok {
			continue
		}
		if p.groups[i].Shown, err = s.store.SubscriptionsWithKeys(ctx, customerID, g.Keys, g.Sparse(p.total), page); err != nil {
			return domain.PlanPage{}, err
		}
	}
	ov, err := s.overviewOf(ctx, p.customer)
	if err != nil {
		return domain.PlanPage{}, err
	}
	page := domain.PlanPage{Overview: ov, Plan: domain.BuildPlanPage(p.customer, p.rules, p.groups, p.recorded, p.state, s.now()), Query: q,
		Purchases: domain.PlanPurchases{At: s.now()}}
	if page.Replaceable, err = s.store.ReplaceableLicences(ctx, customerID, q.Replaces, domain.PlanReplacesShown); err != nil {
		return page, err
	}
	page.Purchases.Items, page.Purchases.Total, err = s.store.CSPPurchases(ctx, customerID, domain.Page{Number: 1, Size: domain.PlanPurchasesShown})
	return page, err
}

// PlanOutline returns a customer's plan without its items: each group's
// count and tally of next steps, and what the plan says next, read as the
// plan page reads them. An unknown customer is domain.ErrNotFound.
func (s *Service) PlanOutline(ctx context.Context, customerID int64) (domain.Plan, error) {
	p, err := s.planParts(ctx, customerID)
	if err != nil {
		return domain.Plan{}, err
	}
	return domain.BuildPlanPage(p.customer, p.rules, p.groups, p.recorded, p.state, s.now()), nil
}

// ExportPlan hands write the export of a customer's whole plan, all read in
// one snapshot of the store, so that the counts the export starts with are
// those of the rows that follow; write reads the rows group by group as it
// writes them (domain.PlanExport), one at a time, whatever the customer's
// size. An unknown customer is domain.ErrNotFound, before write is called.
func (s *Service) ExportPlan(ctx context.Context, customerID int64, write func(domain.PlanExport) error) error {
	return s.store.Snapshot(ctx, func(ctx context.Context) error {
		p, err := s.planParts(ctx, customerID)
		if err != nil {
			return err
		}
		return write(domain.NewPlanExport(p.customer, p.rules, p.groups, p.recorded, p.state, s.now(),
			func(g domain.PlanShownGroup) domain.Rows[domain.Subscription] {
				return func(fn func(domain.Subscription) error) error {
					return s.store.EachSubscriptionWithKeys(ctx, customerID, g.Keys, g.Sparse(p.total), fn)
				}
			}))
	})
}

// planParts are what every reading of a customer's plan starts from: the
// customer, the partner's rules, where its relationship, checklists,
// transfers and billing transfer stand, its workflow groups with their
// counts (from the counters), their total, and the subscriptions the state
// holds a record of, whose next steps differ from their group's first.
type planParts struct {
	customer domain.Customer
	rules    domain.Rules
	state    domain.PlanState
	groups   []domain.PlanShownGroup
	total    int
	recorded []domain.Subscription
}

// planParts reads a customer's planParts.
func (s *Service) planParts(ctx context.Context, customerID int64) (planParts, error) {
	var p planParts
	var err error
	if p.customer, p.rules, p.state, err = s.planState(ctx, customerID); err != nil {
		return p, err
	}
	counts, err := s.store.SubscriptionCounts(ctx, customerID)
	if err != nil {
		return p, err
	}
	p.groups = domain.PlanGroupsOf(p.customer, p.rules, counts)
	for _, g := range p.groups {
		p.total += g.Count
	}
	p.recorded, err = s.store.SubscriptionsByID(ctx, customerID, p.state.Recorded())
	return p, err
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
