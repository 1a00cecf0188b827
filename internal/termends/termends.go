// Package termends is the term-end planner: licences bought from a third
// party or another CSP partner, across all customers, by the date their term
// ends and the replacement can be bought through us.
package termends

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	TermEnds(ctx context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error)
	TermEndDays(ctx context.Context, q domain.TermEndQuery) ([]domain.DateCount, error)
}

// MaxExport bounds how many rows one CSV export reads at once.
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

// Page returns what the planner's page shows for a window of days (one the
// planner offers, else the default): one page of the licences whose term
// ends within it, by term end, how many there are, and the chart of the
// months ahead.
func (s *Service) Page(ctx context.Context, days int, page domain.Page) (domain.TermEndsPage, error) {
	out := domain.TermEndsPage{Days: domain.TermEndWindow(days)}
	var err error
	if out.Rows, out.Total, err = s.list(ctx, out.Days, page); err != nil {
		return out, err
	}
	out.Months, err = s.chart(ctx)
	return out, err
}

// list returns one page of the licences whose term ends in the next days
// days (a window the planner offers, else the default), by term end, and how
// many there are in all.
func (s *Service) list(ctx context.Context, days int, page domain.Page) ([]domain.TermEndRow, int, error) {
	today := s.now()
	items, total, err := s.store.TermEnds(ctx, domain.TermEndsWithin(today, domain.TermEndWindow(days), page))
	if err != nil {
		return nil, 0, err
	}
	// The query already selects by the rules' inputs; asking Classify again
	// only guards the page against a drift between the two.
	return waiting(items, today), total, nil
}

// Export returns every licence whose term ends in the next days days, up to
// MaxExport, for the CSV file.
func (s *Service) Export(ctx context.Context, days int) ([]domain.TermEndRow, error) {
	rows, _, err := s.list(ctx, days, domain.Page{Number: 1, Size: MaxExport})
	return rows, err
}

// chart counts the term ends in each of the next domain.ChartMonths months,
// the current month first, whatever window the list shows.
func (s *Service) chart(ctx context.Context) ([]domain.MonthCount, error) {
	today := s.now()
	days, err := s.store.TermEndDays(ctx, domain.TermEndChartQuery(today))
	if err != nil {
		return nil, err
	}
	return domain.TermEndMonths(today, days), nil
}

// waiting keeps the items that Classify puts in wait_term_end, with their
// days left. The store selects by the rules' channels already; asking Classify
// again per row means a store that got it wrong shows less, never a
// subscription with another workflow.
func waiting(items []domain.TermEndItem, today time.Time) []domain.TermEndRow {
	rows := make([]domain.TermEndRow, 0, len(items))
	for _, item := range items {
		end := item.Subscription.Term()
		if item.Classification().Workflow != domain.WorkflowWaitTermEnd || end == nil {
			continue
		}
		rows = append(rows, domain.TermEndRow{TermEndItem: item, DaysLeft: domain.DaysLeft(*end, today)})
	}
	return rows
}
