// Package termends is the term-end planner: every licence with a term end,
// across all customers and whatever its channel, with what to do about it
// and by when, under the partner's rules.
package termends

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	TermEnds(ctx context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error)
	EachTermEnd(ctx context.Context, q domain.TermEndQuery, fn func(domain.TermEndItem) error) error
	Snapshot(ctx context.Context, read func(ctx context.Context) error) error
	TermEndMonths(ctx context.Context, q domain.TermEndQuery) ([]domain.DateCount, error)
	Partner(ctx context.Context) (domain.Partner, error)
}

// MaxExport bounds how many rows one CSV export reads.
const MaxExport = 100_000

// Service answers the term-end planner's questions.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service over store, telling the time by now.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Page returns what the planner's page shows for filter f: one page of the
// licences whose term ends within its window, by term end, each with its
// step, how many there are, and the chart of the months ahead by action.
func (s *Service) Page(ctx context.Context, f domain.TermEndFilter, page domain.Page) (domain.TermEndsPage, error) {
	out := domain.TermEndsPage{Filter: f}
	rules, err := domain.RulesOf(s.store.Partner(ctx))
	if err != nil {
		return out, err
	}
	if out.Rows, out.Total, err = s.list(ctx, rules, f, page); err != nil {
		return out, err
	}
	today := s.now()
	days, err := s.store.TermEndMonths(ctx, domain.TermEndChartQuery(today, rules, f))
	if err != nil {
		return out, err
	}
	out.Months = domain.TermEndMonths(today, rules, days)
	return out, nil
}

// list returns one page of the licences f selects under rules, by term
// end, each with its step, and how many there are in all.
func (s *Service) list(ctx context.Context, rules domain.Rules, f domain.TermEndFilter, page domain.Page) ([]domain.TermEndRow, int, error) {
	today := s.now()
	items, total, err := s.store.TermEnds(ctx, domain.TermEndsWithin(today, rules, f, page))
	if err != nil {
		return nil, 0, err
	}
	return domain.TermEndRows(rules, items, today), total, nil
}

// Export hands write every licence f selects, up to MaxExport, by term end
// with its step, for the CSV file: read, within one snapshot of the store,
// as write writes them, one at a time.
func (s *Service) Export(ctx context.Context, f domain.TermEndFilter, write func(domain.Rows[domain.TermEndRow]) error) error {
	return s.store.Snapshot(ctx, func(ctx context.Context) error {
		rules, err := domain.RulesOf(s.store.Partner(ctx))
		if err != nil {
			return err
		}
		today := s.now()
		q := domain.TermEndsWithin(today, rules, f, domain.Page{Number: 1, Size: MaxExport})
		return write(func(fn func(domain.TermEndRow) error) error {
			return s.store.EachTermEnd(ctx, q, func(item domain.TermEndItem) error {
				if row, ok := domain.TermEndRowOf(rules, item, today); ok {
					return fn(row)
				}
				return nil
			})
		})
	})
}
