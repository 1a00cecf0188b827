package domain

import (
	"slices"
	"testing"
	"time"
)

func TestTermEndChannelsAreThirdPartyAndOtherCSP(t *testing.T) {
	got := TermEndChannels()
	if want := []Channel{ChannelThirdParty, ChannelOtherCSP}; !slices.Equal(got, want) {
		t.Fatalf("TermEndChannels() = %v, want %v", got, want)
	}
	// Every channel the planner selects is wait_term_end for a licence, and
	// none of them is for a CSP-partner customer, which the store excludes.
	for _, ch := range got {
		if w := Classify(ClassKey{Channel: ch, ServiceType: ServiceLicence}, true, Rules{}).Workflow; w != WorkflowNotEligible {
			t.Errorf("a CSP partner's %s licence is %s, want not_eligible", ch, w)
		}
		if w := Classify(ClassKey{Channel: ch, ServiceType: ServiceUsage}, false, Rules{}).Workflow; w == WorkflowWaitTermEnd {
			t.Errorf("usage-based %s waits for the term end, but the planner only asks for licences", ch)
		}
	}
}

func TestTermEndQueriesWindowAndChart(t *testing.T) {
	now := time.Date(2026, 11, 20, 17, 45, 0, 0, time.FixedZone("PST", -8*3600)) // 21 Nov 01:45 UTC
	q := TermEndsWithin(now, 30, Page{Number: 2, Size: 50})
	if q.From != time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) || q.Until != time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC) {
		t.Errorf("30 days from 21 Nov = [%s, %s), want [2026-11-21, 2026-12-22): the 30th day included", q.From, q.Until)
	}
	if q.ServiceType != ServiceLicence || !slices.Equal(q.Channels, TermEndChannels()) || q.Page.Number != 2 {
		t.Errorf("query = %+v", q)
	}
	chart := TermEndChartQuery(now)
	if chart.From != q.From || chart.Until != time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("chart = [%s, %s), want [2026-11-21, 2027-11-01)", chart.From, chart.Until)
	}
	for days, want := range map[int]int{30: 30, 60: 60, 90: 90, 365: 365, 0: 90, 7: 90, -30: 90, 100000: 90} {
		if got := TermEndWindow(days); got != want {
			t.Errorf("TermEndWindow(%d) = %d, want %d", days, got, want)
		}
	}
}

func TestTermEndMonthsWrapTheYear(t *testing.T) {
	today := time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	months := TermEndMonths(today, []DateCount{
		{date(2026, 10, 31), 9}, // before the first month: ignored
		{date(2026, 11, 21), 1},
		{date(2026, 11, 30), 2},
		{date(2026, 12, 31), 4},
		{date(2027, 1, 1), 5}, // the year wraps
		{date(2027, 10, 31), 6},
		{date(2027, 11, 1), 7}, // the thirteenth month: ignored
	})
	if len(months) != ChartMonths {
		t.Fatalf("%d months, want %d", len(months), ChartMonths)
	}
	wantKeys := []string{"2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07", "2027-08", "2027-09", "2027-10"}
	wantCounts := []int{3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 6}
	for i, m := range months {
		if m.Key() != wantKeys[i] || m.Count != wantCounts[i] {
			t.Errorf("month %d = %s %d, want %s %d", i, m.Key(), m.Count, wantKeys[i], wantCounts[i])
		}
		if m.Month.Day() != 1 || m.Month.Location() != time.UTC {
			t.Errorf("month %d starts %s, want the first at midnight UTC", i, m.Month)
		}
	}
	if empty := TermEndMonths(today, nil); len(empty) != ChartMonths || empty[0].Count != 0 {
		t.Errorf("no term ends: %v", empty)
	}
}

func TestTermEndItemClassification(t *testing.T) {
	item := TermEndItem{Subscription: Subscription{ServiceType: ServiceLicence, Channel: ChannelOtherCSP}}
	if w := item.Classification().Workflow; w != WorkflowWaitTermEnd {
		t.Errorf("other_csp licence = %s", w)
	}
	item.Customer.IsCSPPartner = true
	if w := item.Classification().Workflow; w != WorkflowNotEligible {
		t.Errorf("a CSP partner's other_csp licence = %s, want not_eligible", w)
	}
}

func TestTermEndRowSoon(t *testing.T) {
	for _, tt := range []struct {
		daysLeft int
		soon     bool
	}{
		{0, true}, // ends today

		{29, true},
		{TermEndSoonDays, true},
		{TermEndSoonDays + 1, false},
		{365, false},
	} {
		if got := (TermEndRow{DaysLeft: tt.daysLeft}).Soon(); got != tt.soon {
			t.Errorf("%d days left: Soon() = %v, want %v", tt.daysLeft, got, tt.soon)
		}
	}
}
