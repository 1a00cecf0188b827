package termends

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// fakeStore answers with fixed rows and records the queries it was asked.
type fakeStore struct {
	items   []domain.TermEndItem
	total   int
	days    []domain.DateCount
	queries []domain.TermEndQuery
}

func (f *fakeStore) TermEnds(_ context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error) {
	f.queries = append(f.queries, q)
	return f.items, f.total, nil
}

func (f *fakeStore) TermEndDays(_ context.Context, q domain.TermEndQuery) ([]domain.DateCount, error) {
	f.queries = append(f.queries, q)
	return f.days, nil
}

var plToday = time.Date(2026, 12, 20, 9, 30, 0, 0, time.UTC)

func plItem(id int64, channel domain.Channel, service domain.ServiceType, cspPartner bool, days int) domain.TermEndItem {
	end := time.Date(2026, 12, 20+days, 0, 0, 0, 0, time.UTC)
	return domain.TermEndItem{Customer: domain.Customer{ID: id, IsCSPPartner: cspPartner},
		Subscription: domain.Subscription{ID: id, ServiceType: service, Channel: channel, TermEnd: &end}}
}

func TestTermEndListAsksTheRulesAgainAndCountsDaysLeft(t *testing.T) {
	store := &fakeStore{total: 5, items: []domain.TermEndItem{
		plItem(1, domain.ChannelOtherCSP, domain.ServiceLicence, false, 5),
		plItem(2, domain.ChannelOtherCSP, domain.ServiceLicence, true, 6),  // a CSP partner's: not eligible
		plItem(3, domain.ChannelEA, domain.ServiceLicence, false, 7),       // reseller_relationship
		plItem(4, domain.ChannelThirdParty, domain.ServiceUsage, false, 8), // Azure: no term end
		plItem(5, domain.ChannelThirdParty, domain.ServiceLicence, false, 25),
	}}
	s := New(store, func() time.Time { return plToday })

	rows, total, err := s.list(context.Background(), 7, domain.Page{Number: 2, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var daysLeft []int
	for _, r := range rows {
		ids, daysLeft = append(ids, r.Subscription.ID), append(daysLeft, r.DaysLeft)
	}
	// The store's total is the query's; the page keeps only what Classify
	// puts in wait_term_end, a guard against the query and the rules drifting.
	if !slices.Equal(ids, []int64{1, 5}) || !slices.Equal(daysLeft, []int{5, 25}) || total != len(store.items) {
		t.Errorf("rows %v with days left %v, total %d; want [1 5], [5 25], %d", ids, daysLeft, total, len(store.items))
	}
	// 7 days is not offered, so the default window is asked for.
	q := store.queries[0]
	if want := domain.TermEndsWithin(plToday, domain.DefaultTermEndWindow, domain.Page{Number: 2, Size: 50}); q.From != want.From ||
		q.Until != want.Until || q.Page != want.Page || !slices.Equal(q.Channels, want.Channels) || q.ServiceType != want.ServiceType {
		t.Errorf("query = %+v, want %+v", q, want)
	}

	if _, err := s.Export(context.Background(), 365); err != nil {
		t.Fatal(err)
	}
	if q := store.queries[1]; q.Page.Size != MaxExport || q.Until != time.Date(2027, 12, 21, 0, 0, 0, 0, time.UTC) {
		t.Errorf("export query = %+v, want every row to 2027-12-20", q)
	}
}

func TestTermEndChartCoversTwelveMonthsFromThisOne(t *testing.T) {
	store := &fakeStore{days: []domain.DateCount{
		{Date: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), Count: 2},
		{Date: time.Date(2027, 1, 3, 0, 0, 0, 0, time.UTC), Count: 1},
		{Date: time.Date(2027, 11, 30, 0, 0, 0, 0, time.UTC), Count: 4},
	}}
	s := New(store, func() time.Time { return plToday })
	// The page asks for its list first, then for the chart.
	page, err := s.Page(context.Background(), 30, domain.Page{Number: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	months := page.Months
	if page.Days != 30 || len(store.queries) != 2 {
		t.Errorf("page of %d days after %d queries, want 30 days after 2", page.Days, len(store.queries))
	}
	if len(months) != 12 || months[0].Key() != "2026-12" || months[0].Count != 2 || months[1].Count != 1 ||
		months[11].Key() != "2027-11" || months[11].Count != 4 {
		t.Errorf("chart = %v", months)
	}
	if q := store.queries[1]; q.From != time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC) ||
		q.Until != time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("chart query = %+v, want [2026-12-20, 2027-12-01)", q)
	}
}
