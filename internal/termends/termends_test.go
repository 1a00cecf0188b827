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
	partner domain.Partner
	queries []domain.TermEndQuery
}

func (f *fakeStore) TermEnds(_ context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error) {
	f.queries = append(f.queries, q)
	return f.items, f.total, nil
}

func (f *fakeStore) TermEndMonths(_ context.Context, q domain.TermEndQuery) ([]domain.DateCount, error) {
	f.queries = append(f.queries, q)
	return f.days, nil
}

func (f *fakeStore) EachTermEnd(_ context.Context, q domain.TermEndQuery, fn func(domain.TermEndItem) error) error {
	f.queries = append(f.queries, q)
	return domain.RowsOf(f.items)(fn)
}

func (f *fakeStore) Snapshot(ctx context.Context, read func(context.Context) error) error {
	return read(ctx)
}

func (f *fakeStore) Partner(context.Context) (domain.Partner, error) { return f.partner, nil }

var plToday = time.Date(2026, 12, 20, 9, 30, 0, 0, time.UTC)

func plItem(id int64, channel domain.Channel, service domain.ServiceType, cspPartner bool, days int) domain.TermEndItem {
	end := time.Date(2026, 12, 20+days, 0, 0, 0, 0, time.UTC)
	return domain.TermEndItem{Customer: domain.Customer{ID: id, IsCSPPartner: cspPartner},
		Subscription: domain.Subscription{ID: id, ServiceType: service, Channel: channel, TermEnd: &end}}
}

func TestTermEndListDecidesEachStepAndAsksWhatTheFilterSelects(t *testing.T) {
	store := &fakeStore{total: 5, items: []domain.TermEndItem{
		plItem(1, domain.ChannelOtherCSP, domain.ServiceLicence, false, 5),
		plItem(2, domain.ChannelOtherCSP, domain.ServiceLicence, true, 6), // a CSP partner's: not eligible
		plItem(3, domain.ChannelEA, domain.ServiceLicence, false, 7),
		plItem(4, domain.ChannelThirdParty, domain.ServiceUsage, false, 8), // Azure: no term end
		plItem(5, domain.ChannelThirdParty, domain.ServiceLicence, false, 25),
	}}
	s := New(store, func() time.Time { return plToday })
	f := domain.NewTermEndFilter(7, "", "") // 7 days is not offered: the default window
	page, err := s.Page(context.Background(), f, domain.Page{Number: 2, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var actions []domain.TermAction
	for _, r := range page.Rows {
		ids, actions = append(ids, r.Subscription.ID), append(actions, r.Step.Action)
	}
	if !slices.Equal(ids, []int64{1, 3, 5}) || !slices.Equal(actions, []domain.TermAction{domain.TermWaitAndBuy, domain.TermBuyBeforeExpiry,
		domain.TermWaitAndBuy}) || page.Total != 5 || page.Filter.Days != domain.DefaultTermEndWindow {
		t.Errorf("rows %v with actions %v, total %d, days %d", ids, actions, page.Total, page.Filter.Days)
	}
	want := domain.TermEndsWithin(plToday, domain.Rules{}, f, domain.Page{Number: 2, Size: 50})
	if q := store.queries[0]; q.From != want.From || q.Until != want.Until || q.Page != want.Page || !slices.Equal(q.Keys, want.Keys) {
		t.Errorf("query = %+v, want %+v", q, want)
	}
	// The chart follows the filter's channel and action, not its window.
	if q := store.queries[1]; q.Until != time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC) || !slices.Equal(q.Keys, want.Keys) {
		t.Errorf("chart query = %+v", q)
	}

	byAction := domain.NewTermEndFilter(365, "ea", "buy_before_expiry")
	var exported []int64
	if err := s.Export(context.Background(), byAction, func(rows domain.Rows[domain.TermEndRow]) error {
		return rows(func(r domain.TermEndRow) error {
			exported = append(exported, r.Subscription.ID)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(exported, ids) {
		t.Errorf("the export holds %v; want the rows with a step, %v", exported, ids)
	}
	q := store.queries[2]
	if q.Page.Size != MaxExport || q.Until != time.Date(2027, 12, 21, 0, 0, 0, 0, time.UTC) || len(q.Keys) == 0 {
		t.Errorf("export query = %+v, want every row to 2027-12-20", q)
	}
	for _, k := range q.Keys {
		if k.Channel != domain.ChannelEA {
			t.Errorf("export of EA asks for %+v", k)
		}
	}
}

func TestTermEndChartStacksTwelveMonthsByAction(t *testing.T) {
	third := domain.ClassKey{Channel: domain.ChannelThirdParty, ServiceType: domain.ServiceLicence}
	nce := domain.ClassKey{Channel: domain.ChannelOtherCSP, ServiceType: domain.ServiceLicence, Commerce: domain.CommerceNCE}
	store := &fakeStore{days: []domain.DateCount{
		{Date: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), Key: third, Count: 2},
		{Date: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), Key: nce, Count: 1},
		{Date: time.Date(2027, 11, 30, 0, 0, 0, 0, time.UTC), Key: third, Count: 4},
	}}
	s := New(store, func() time.Time { return plToday })
	page, err := s.Page(context.Background(), domain.NewTermEndFilter(30, "", ""), domain.Page{Number: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	months := page.Months
	if len(months) != 12 || months[0].Key() != "2026-12" || months[0].ByAction[domain.TermWaitAndBuy] != 2 ||
		months[0].ByAction[domain.TermRequestTransfer] != 1 || months[11].Key() != "2027-11" || months[11].Count() != 4 {
		t.Errorf("chart = %v", months)
	}
	if q := store.queries[1]; q.From != time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC) ||
		q.Until != time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("chart query = %+v, want [2026-12-20, 2027-12-01)", q)
	}
}
