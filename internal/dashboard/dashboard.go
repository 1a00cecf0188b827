// Package dashboard is the home page's service: it counts what needs doing
// across all customers and lets the domain decide which cards a role may act
// on.
package dashboard

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the dashboard reads.
type Store interface {
	DashboardCounts(ctx context.Context, now time.Time, soon time.Duration) (domain.DashboardCounts, error)
	TransferCounts(ctx context.Context, now time.Time, soon time.Duration) (pending, expiringSoon int, err error)
	TermEnds(ctx context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error)
	GDAPEndingCandidates(ctx context.Context, now, limit time.Time) ([]domain.GDAPRequest, error)
	Partner(ctx context.Context) (domain.Partner, error)
	PurchasesSince(ctx context.Context, since time.Time, limit int) ([]domain.RefundWindowItem, int, error)
}

// Service assembles the dashboard.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service over store, telling the time by now.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Dashboard counts what needs doing now and returns the cards as role sees
// them.
func (s *Service) Dashboard(ctx context.Context, role domain.Role) (domain.Dashboard, error) {
	now := s.now()
	var f domain.DashboardFigures
	var err error
	if f.Counts, err = s.store.DashboardCounts(ctx, now, domain.ExpiringSoon); err != nil {
		return domain.Dashboard{}, err
	}
	rules, err := domain.RulesOf(s.store.Partner(ctx))
	if err != nil {
		return domain.Dashboard{}, err
	}
	f.Counts.Subscriptions.Rules, f.Counts.Coexisting.Rules = rules, rules
	if _, f.TermEndsSoon, err = s.store.TermEnds(ctx, domain.TermEndsWithin(now, rules, domain.TermEndFilter{Days: domain.TermEndSoonDays},
		domain.Page{Number: 1, Size: 1})); err != nil {
		return domain.Dashboard{}, err
	}
	if f.TransfersPending, f.TransfersExpiring, err = s.store.TransferCounts(ctx, now, domain.ExpiringSoon); err != nil {
		return domain.Dashboard{}, err
	}
	active, err := s.store.GDAPEndingCandidates(ctx, now, now.AddDate(0, 0, domain.GDAPEndingSoonDays))
	if err != nil {
		return domain.Dashboard{}, err
	}
	f.GDAPEnding = domain.GDAPEndingWithin(active, now, domain.GDAPEndingSoonDays)
	f.Now = now
	if f.RefundWindows, f.RefundWindowCount, err = s.store.PurchasesSince(ctx, now.Add(-domain.NCERefundWindow), domain.MaxRefundWindowList); err != nil {
		return domain.Dashboard{}, err
	}
	return domain.BuildDashboard(role, f), nil
}
