package sqlite

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// teToday is the "today" of the planner tests.
var teToday = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// teFixture is a store with licences around teToday for the planner.
type teFixture struct {
	*rlFixture
	alpha, bravo, partner int64
}

// add stores a subscription of customerID ending days after teToday and
// returns its id.
func (f *teFixture) add(customerID int64, product string, service domain.ServiceType, channel domain.Channel, days int) int64 {
	f.t.Helper()
	end := teToday.AddDate(0, 0, days)
	id, err := f.s.AddSubscription(f.ctx, f.actor, domain.Subscription{CustomerID: customerID, Product: product, ServiceType: service,
		Channel: channel, Quantity: 10, TermEnd: &end})
	if err != nil {
		f.t.Fatalf("AddSubscription(%s): %v", product, err)
	}
	return id
}

func teSetup(t *testing.T) *teFixture {
	t.Helper()
	f := &teFixture{rlFixture: rlSetup(t)}
	f.alpha, f.bravo = f.customer(), f.customer()
	partner := ctCustomer(t, "Woodgrove Bank", "woodgrove.onmicrosoft.com")
	partner.IsCSPPartner = true
	f.partner = ctCreate(t, f.s, f.actor, partner)

	lic, usage := domain.ServiceLicence, domain.ServiceUsage
	for _, sub := range []struct {
		customer int64
		product  string
		service  domain.ServiceType
		channel  domain.Channel
		days     int
	}{
		// Bravo's is added first, so on the same date it comes first by id.
		{f.bravo, "B other CSP +3", lic, domain.ChannelOtherCSP, 3},
		{f.alpha, "A third party +3", lic, domain.ChannelThirdParty, 3},
		{f.alpha, "A other CSP +10", lic, domain.ChannelOtherCSP, 10},
		{f.bravo, "B third party +30", lic, domain.ChannelThirdParty, 30},
		{f.alpha, "A other CSP +40", lic, domain.ChannelOtherCSP, 40},
		{f.alpha, "A today", lic, domain.ChannelThirdParty, 0},
		{f.alpha, "A EA licence", lic, domain.ChannelEA, 5},
		{f.alpha, "A unknown channel", lic, domain.ChannelUnknown, 5},
		// None of these has a planner action, or none is in the window.
		{f.alpha, "A yesterday", lic, domain.ChannelThirdParty, -1},
		{f.bravo, "B third party +31", lic, domain.ChannelThirdParty, 31},
		{f.alpha, "A syndication licence", lic, domain.ChannelSyndication, 5},
		{f.alpha, "A Azure other CSP", usage, domain.ChannelOtherCSP, 5},
		{f.alpha, "A Azure third party", usage, domain.ChannelThirdParty, 6},
		{f.partner, "Partner other CSP", lic, domain.ChannelOtherCSP, 4},
	} {
		f.add(sub.customer, sub.product, sub.service, sub.channel, sub.days)
	}
	removed := f.add(f.bravo, "B removed", lic, domain.ChannelOtherCSP, 7)
	if err := f.s.RemoveSubscription(f.ctx, f.actor, f.bravo, removed, 1); err != nil {
		t.Fatal(err)
	}

	// Alpha's relationship is active; Bravo's invitation is only accepted.
	active := f.mustCreate(f.alpha, 30)
	if _, err := f.answer(active.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(f.ctx, f.actor, active.id, true, ""); err != nil {
		t.Fatal(err)
	}
	waiting := f.mustCreate(f.bravo, 30)
	if _, err := f.answer(waiting.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	return f
}

func teProducts(items []domain.TermEndItem) []string {
	var names []string
	for _, item := range items {
		names = append(names, item.Subscription.Product)
	}
	return names
}

func TestTermEndsOrderWindowAndExclusions(t *testing.T) {
	f := teSetup(t)
	all := domain.Page{Number: 1, Size: 50}

	items, total, err := f.s.TermEnds(f.ctx, teWithin(30, "", "", all))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A today", "B other CSP +3", "A third party +3", "A EA licence", "A unknown channel", "A other CSP +10", "B third party +30"}
	if got := teProducts(items); !slices.Equal(got, want) || total != len(want) {
		t.Fatalf("30 days = %q (total %d), want %q in term-end order: no CSP partner, removed, usage, syndication or out-of-window row", got, total, want)
	}
	for _, item := range items {
		wantCustomer := map[int64]string{f.alpha: "Customer 01", f.bravo: "Customer 02"}[item.Subscription.CustomerID]
		if item.Customer.ID != item.Subscription.CustomerID || item.Customer.Name != wantCustomer || item.Customer.Domain == "" {
			t.Errorf("%s: customer %+v", item.Subscription.Product, item.Customer)
		}
		if item.Subscription.TermEnd == nil || item.Subscription.Quantity != 10 || item.Subscription.ServiceType == domain.ServiceUsage {
			t.Errorf("%s: subscription %+v", item.Subscription.Product, item.Subscription)
		}
		if wantActive := item.Customer.ID == f.alpha; item.RelationshipActive() != wantActive {
			t.Errorf("%s: relationship active = %v, want %v (only an approved relationship counts)", item.Subscription.Product, item.RelationshipActive(), wantActive)
		}
	}

	wider, total, err := f.s.TermEnds(f.ctx, teWithin(60, "", "", all))
	if err != nil || total != 9 || !slices.Contains(teProducts(wider), "A other CSP +40") || !slices.Contains(teProducts(wider), "B third party +31") {
		t.Errorf("60 days = %q (total %d), %v; want the +31 and +40 licences too", teProducts(wider), total, err)
	}

	// Pages of 2 of the 9: the same order, cut in pieces, with the total on each.
	var paged []string
	for n := 1; n <= 5; n++ {
		page, total, err := f.s.TermEnds(f.ctx, teWithin(60, "", "", domain.Page{Number: n, Size: 2}))
		if err != nil || total != 9 {
			t.Fatalf("page %d: total %d, %v", n, total, err)
		}
		if wantLen := min(2, 9-2*(n-1)); len(page) != wantLen {
			t.Errorf("page %d has %d rows, want %d", n, len(page), wantLen)
		}
		paged = append(paged, teProducts(page)...)
	}
	if !slices.Equal(paged, teProducts(wider)) {
		t.Errorf("pages = %q, want %q", paged, teProducts(wider))
	}

	// Without keys nothing is selected, rather than everything.
	q := teWithin(30, "", "", all)
	q.Keys = nil
	if none, total, err := f.s.TermEnds(f.ctx, q); err != nil || len(none) != 0 || total != 0 {
		t.Errorf("no keys = %d rows, total %d, %v", len(none), total, err)
	}
}

// teWithin is the planner's query at teToday for a filter, under the
// default rules.
func teWithin(days int, channel, action string, page domain.Page) domain.TermEndQuery {
	return domain.TermEndsWithin(teToday, domain.Rules{}, domain.NewTermEndFilter(days, channel, action), page)
}

func TestTermEndsFilterByChannelAndAction(t *testing.T) {
	f := teSetup(t)
	end := teToday.AddDate(0, 0, 12)
	if _, err := f.s.AddSubscription(f.ctx, f.actor, domain.Subscription{CustomerID: f.bravo, Product: "B NCE other CSP +12",
		ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Commerce: domain.CommerceNCE, Quantity: 4, TermEnd: &end}); err != nil {
		t.Fatal(err)
	}
	all := domain.Page{Number: 1, Size: 50}
	for _, tt := range []struct {
		channel, action string
		want            []string
	}{
		{"ea", "", []string{"A EA licence"}},
		{"unknown", "", []string{"A unknown channel"}},
		{"other_csp", "", []string{"B other CSP +3", "A other CSP +10", "B NCE other CSP +12"}},
		{"", "request_transfer", []string{"B NCE other CSP +12"}},
		{"", "buy_before_expiry", []string{"A EA licence"}},
		{"", "classify_first", []string{"A unknown channel"}},
		{"", "wait_and_buy", []string{"A today", "B other CSP +3", "A third party +3", "A other CSP +10", "B third party +30"}},
		{"other_csp", "wait_and_buy", []string{"B other CSP +3", "A other CSP +10"}},
		{"syndication", "", nil},
		{"third_party", "request_transfer", nil},
	} {
		items, total, err := f.s.TermEnds(f.ctx, teWithin(30, tt.channel, tt.action, all))
		if got := teProducts(items); err != nil || !slices.Equal(got, tt.want) || total != len(tt.want) {
			t.Errorf("channel %q, action %q = %q (total %d), %v; want %q", tt.channel, tt.action, got, total, err, tt.want)
		}
	}
}

func TestTermEndMonthsCountsByMonth(t *testing.T) {
	f := teSetup(t)
	days, err := f.s.TermEndMonths(f.ctx, teWithin(30, "", "", domain.Page{}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range days {
		got = append(got, fmt.Sprintf("%s %s/%s=%d", d.Date.Format(domain.DateLayout), d.Key.Channel, d.Key.ServiceType, d.Count))
	}
	want := []string{"2026-04-01 /licence=1", "2026-04-01 ea/licence=1", "2026-04-01 other_csp/licence=2", "2026-04-01 third_party/licence=2",
		"2026-05-01 third_party/licence=1"}
	if !slices.Equal(got, want) {
		t.Errorf("TermEndMonths = %q, want %q", got, want)
	}
}

func TestTermEndQueriesUseTheTermEndIndex(t *testing.T) {
	f := teSetup(t)
	q := teWithin(90, "", "", domain.Page{Number: 1, Size: 50})
	from, args := termEndFrom(q)
	list, listArgs := termEndListSQL(from), append(append(termEndStateArgs(teToday), args...), 50, 0)
	counted := termEndCountSQL(q, `SUM(s.n)`, "")
	months := termEndCountSQL(q, `substr(s.term_end, 1, 8) || '01', s.channel, SUM(s.n)`, ` GROUP BY 1, s.channel ORDER BY 1, s.channel`)
	for _, tc := range []struct {
		name   string
		q      sqlQuery
		search string
	}{
		{"list", sqlQuery{list, listArgs}, "SEARCH s USING INDEX subscriptions_term_end (term_end>? AND term_end<?)"},
		// The counters are read a range of dates for each key (migration 00035).
		{"counters", counted, "SEARCH s USING COVERING INDEX term_end_counts_key (channel=? AND service_type=? AND commerce=? AND offer_kind=? AND term_end>? AND term_end<?)"},
		{"months", months, "SEARCH s USING COVERING INDEX term_end_counts_key (channel=? AND service_type=? AND commerce=? AND offer_kind=? AND term_end>? AND term_end<?)"},
	} {
		text := strings.Join(ctPlan(t, f.s, tc.q.query, tc.q.args...), "\n  ")
		t.Logf("%s:\n  %s", tc.name, text)
		if !strings.Contains(text, tc.search) {
			t.Errorf("%s does not %s", tc.name, tc.search)
		}
		if strings.Contains(text, "TEMP B-TREE FOR ORDER BY") || strings.Contains(text, "SCAN s") {
			t.Errorf("%s scans or sorts the subscriptions instead of following an index", tc.name)
		}
		if tc.name == "list" && !strings.Contains(text, "SEARCH c USING INTEGER PRIMARY KEY") {
			t.Error("the list does not look customers up by id")
		}
		if strings.Contains(text, "SCAN r\n") || strings.HasSuffix(text, "SCAN r") {
			t.Errorf("%s scans the relationships for each row", tc.name)
		}
	}

}

// TestTermEndMonthsAgreeWithTheDailyCounts adds licences ending over two
// years and checks, for ranges that start and end inside a month or on its
// first day, that the months read from term_end_month_counts and the days
// of the months the range cuts add up to the daily counts of the range.
func TestTermEndMonthsAgreeWithTheDailyCounts(t *testing.T) {
	f := teSetup(t)
	for i := range 120 {
		end := teToday.AddDate(0, 0, i*6)
		sub := domain.Subscription{CustomerID: f.alpha, Product: fmt.Sprintf("Licence %d", i), ServiceType: domain.ServiceLicence,
			Channel: []domain.Channel{domain.ChannelEA, domain.ChannelOtherCSP, domain.ChannelThirdParty}[i%3], TermEnd: &end}
		if _, err := f.s.AddSubscription(f.ctx, f.actor, sub); err != nil {
			t.Fatal(err)
		}
	}
	keys := domain.TermEndKeys(domain.Rules{}, domain.NewTermEndFilter(30, "", ""))
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, r := range [][2]time.Time{
		{day(2026, 4, 1), day(2027, 4, 1)}, {day(2026, 4, 17), day(2027, 4, 1)}, {day(2026, 4, 17), day(2026, 4, 29)},
		{day(2026, 5, 3), day(2027, 9, 12)}, {day(2026, 6, 1), day(2026, 6, 20)}, {day(2026, 6, 30), day(2026, 7, 1)},
		// A month less its days outside: at the start, at the end, both.
		{day(2026, 4, 4), day(2026, 7, 3)}, {day(2026, 4, 28), day(2026, 6, 27)}, {day(2026, 6, 2), day(2026, 6, 29)},
	} {
		q := domain.TermEndQuery{Keys: keys, From: r[0], Until: r[1]}
		months, err := f.s.TermEndMonths(f.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		daily := termEndCountSQL(q, `substr(s.term_end, 1, 8) || '01', k.column1, SUM(s.n)`, ` GROUP BY 1, 2`)
		want, err := queryAll(f.ctx, f.s.read, dateCountScanner(keys), daily.query, daily.args...)
		if err != nil {
			t.Fatal(err)
		}
		sum := func(list []domain.DateCount) map[string]int {
			out := map[string]int{}
			for _, d := range list {
				out[fmt.Sprintf("%s %v", d.Date.Format(domain.DateLayout), d.Key)] += d.Count
			}
			return out
		}
		if got, wantSum := sum(months), sum(want); !maps.Equal(got, wantSum) || len(wantSum) == 0 && r[1].Sub(r[0]) > 60*24*time.Hour {
			t.Errorf("%s to %s: %v; the daily counts give %v", r[0].Format(domain.DateLayout), r[1].Format(domain.DateLayout), got, wantSum)
		}
		// Numbered in groups (every third key together), the keys' counts
		// come summed by group, each sum under a key of its group.
		grouped := q
		grouped.Groups = make([]int, len(keys))
		for i := range keys {
			grouped.Groups[i] = i % 3
		}
		sums, err := f.s.TermEndMonths(f.ctx, grouped)
		if err != nil {
			t.Fatal(err)
		}
		byGroup := func(list []domain.DateCount) map[string]int {
			out := map[string]int{}
			for _, d := range list {
				out[fmt.Sprintf("%s group %d", d.Date.Format(domain.DateLayout), slices.Index(keys, d.Key)%3)] += d.Count
			}
			return out
		}
		if got, wantSum := byGroup(sums), byGroup(want); !maps.Equal(got, wantSum) || len(sums) > len(wantSum) {
			t.Errorf("%s to %s in groups: %v (%d rows); the daily counts give %v", r[0].Format(domain.DateLayout), r[1].Format(domain.DateLayout),
				got, len(sums), wantSum)
		}
	}
}
