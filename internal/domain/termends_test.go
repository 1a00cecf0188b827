package domain

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPlanTermEndPerChannelAndCommerce is the planner's rules for licences
// over every channel × commerce, with auto-renew on, off and not known: the
// action, whether auto-renew must be turned off at the current seller, and
// the last day to provision the replacement.
func TestPlanTermEndPerChannelAndCommerce(t *testing.T) {
	end := time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)
	provision := time.Date(2027, 4, 14, 0, 0, 0, 0, time.UTC) // 30 days after the term end
	want := func(ch Channel, cm Commerce) (TermAction, bool) {
		switch ch {
		case ChannelMicrosoftDirect, ChannelAdvisor, ChannelOpen, ChannelEA:
			return TermBuyBeforeExpiry, true
		case ChannelThirdParty:
			return TermWaitAndBuy, true
		case ChannelOtherCSP:
			if cm == CommerceNCE {
				return TermRequestTransfer, true
			}
			return TermWaitAndBuy, true
		case ChannelSyndication:
			return "", false // not eligible: left out of the planner
		}
		return TermClassifyFirst, true
	}
	seen := map[TermAction]bool{}
	for _, ch := range append([]Channel{ChannelUnknown}, Channels...) {
		for _, cm := range append([]Commerce{CommerceUnknown}, Commerces...) {
			for _, renew := range append([]AutoRenew{AutoRenewUnknown}, AutoRenews...) {
				s := Subscription{Channel: ch, ServiceType: ServiceLicence, Commerce: cm, AutoRenew: renew, TermEnd: &end}
				step, ok := PlanTermEnd(Classify(s.Key(), false, Rules{}).Workflow, s)
				wantAction, wantOK := want(ch, cm)
				name := string(ch) + "/" + string(cm) + "/auto-renew " + string(renew)
				if step.Action != wantAction || ok != wantOK {
					t.Errorf("%s: %q %v, want %q %v", name, step.Action, ok, wantAction, wantOK)
					continue
				}
				if !ok {
					continue
				}
				seen[step.Action] = true
				replaced := step.Action == TermBuyBeforeExpiry || step.Action == TermWaitAndBuy
				if wantOff := replaced && renew != AutoRenewOff; step.TurnOffAutoRenew != wantOff {
					t.Errorf("%s: turn off auto-renew = %v, want %v", name, step.TurnOffAutoRenew, wantOff)
				}
				if replaced != (step.ProvisionBy != nil) || (replaced && !step.ProvisionBy.Equal(provision)) {
					t.Errorf("%s: provision by %v, want %v when a replacement is bought", name, step.ProvisionBy, provision)
				}
				if !step.TermEnd.Equal(end) || step.Instruction() == "" || !strings.Contains(step.ByWhen(), "2027-03-15") {
					t.Errorf("%s: term end %s, instruction %q, by when %q", name, step.TermEnd, step.Instruction(), step.ByWhen())
				}
			}
		}
	}
	if len(seen) != len(TermActions) {
		t.Errorf("actions seen = %v, want every one of %v", seen, TermActions)
	}
	// No step without a term end, for Azure, or for a CSP partner's licence.
	for _, s := range []Subscription{
		{Channel: ChannelThirdParty, ServiceType: ServiceLicence},
		{Channel: ChannelThirdParty, ServiceType: ServiceUsage, TermEnd: &end},
	} {
		if step, ok := PlanTermEnd(Classify(s.Key(), false, Rules{AzureExpertMSP: true}).Workflow, s); ok {
			t.Errorf("%+v: step %+v, want none", s, step)
		}
	}
	partner := Subscription{Channel: ChannelOtherCSP, ServiceType: ServiceLicence, TermEnd: &end}
	if _, ok := PlanTermEnd(Classify(partner.Key(), true, Rules{}).Workflow, partner); ok {
		t.Error("a CSP partner's licence has a planner step")
	}
	// A licence whose service type is not known, with a term end, is to classify.
	unknown := Subscription{Channel: ChannelEA, TermEnd: &end}
	if step, ok := PlanTermEnd(Classify(unknown.Key(), false, Rules{}).Workflow, unknown); !ok || step.Action != TermClassifyFirst {
		t.Errorf("unknown service type = %q %v, want classify_first", step.Action, ok)
	}
}

func TestTermStepByWhen(t *testing.T) {
	end := time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		sub  Subscription
		want string
		off  bool
	}{
		{Subscription{Channel: ChannelEA, ServiceType: ServiceLicence, AutoRenew: AutoRenewOn, TermEnd: &end},
			"Before the term end on 2027-01-20; provisioned by 2027-02-19 at the latest", true},
		{Subscription{Channel: ChannelMicrosoftDirect, ServiceType: ServiceLicence, AutoRenew: AutoRenewOff, TermEnd: &end},
			"Before the term end on 2027-01-20; provisioned by 2027-02-19 at the latest", false},
		{Subscription{Channel: ChannelThirdParty, ServiceType: ServiceLicence, TermEnd: &end},
			"At the term end on 2027-01-20; provisioned by 2027-02-19 at the latest", true},
		{Subscription{Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: CommerceNCE, AutoRenew: AutoRenewOn, TermEnd: &end},
			"Now, before the term end on 2027-01-20", false},
		{Subscription{ServiceType: ServiceLicence, TermEnd: &end}, "Before the term end on 2027-01-20", false},
	} {
		step, ok := PlanTermEnd(Classify(tt.sub.Key(), false, Rules{}).Workflow, tt.sub)
		if !ok || step.ByWhen() != tt.want || step.TurnOffAutoRenew != tt.off ||
			strings.Contains(step.Instruction(), "auto-renew turned off") != tt.off {
			t.Errorf("%s: %q, auto-renew off %v, %q; want %q, %v", tt.sub.Channel, step.ByWhen(), step.TurnOffAutoRenew, step.Instruction(), tt.want, tt.off)
		}
	}
}

func TestTermEndKeysFollowTheRulesAndTheFilter(t *testing.T) {
	all := TermEndKeys(Rules{}, TermEndFilter{Days: 90})
	for _, k := range all {
		w := Classify(k, false, Rules{}).Workflow
		if _, ok := termActionOf[w]; !ok || k.ServiceType == ServiceUsage {
			t.Errorf("key %+v (%s) selected", k, w)
		}
	}
	for _, k := range []ClassKey{
		{Channel: ChannelEA, ServiceType: ServiceLicence}, {Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: CommerceNCE},
		{Channel: ChannelThirdParty, ServiceType: ServiceLicence}, {ServiceType: ServiceLicence}, {Channel: ChannelAdvisor},
	} {
		if !slices.Contains(all, k) {
			t.Errorf("key %+v not selected", k)
		}
	}
	if slices.Contains(all, ClassKey{Channel: ChannelSyndication, ServiceType: ServiceLicence}) {
		t.Error("syndication licences selected")
	}
	byChannel := TermEndKeys(Rules{}, NewTermEndFilter(90, "other_csp", ""))
	byAction := TermEndKeys(Rules{}, NewTermEndFilter(90, "", "request_transfer"))
	both := TermEndKeys(Rules{}, NewTermEndFilter(90, "ea", "request_transfer"))
	for _, k := range byChannel {
		if k.Channel != ChannelOtherCSP {
			t.Errorf("channel filter selects %+v", k)
		}
	}
	if want := []ClassKey{{Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: CommerceNCE}}; !slices.Equal(byAction, want) {
		t.Errorf("request_transfer keys = %+v, want %+v", byAction, want)
	}
	if len(both) != 0 {
		t.Errorf("EA × request_transfer = %+v, want none", both)
	}
	if unknown := TermEndKeys(Rules{}, NewTermEndFilter(90, "unknown", "")); len(unknown) == 0 || unknown[0].Channel != ChannelUnknown {
		t.Errorf("unknown channel keys = %+v", unknown)
	}
}

func TestNewTermEndFilter(t *testing.T) {
	for _, tt := range []struct {
		days            int
		channel, action string
		want            TermEndFilter
		param           string
	}{
		{0, "", "", TermEndFilter{Days: 90}, ""},
		{30, "ea", "buy_before_expiry", TermEndFilter{Days: 30, ByChannel: true, Channel: ChannelEA, Action: TermBuyBeforeExpiry}, "ea"},
		{365, "unknown", "classify_first", TermEndFilter{Days: 365, ByChannel: true, Action: TermClassifyFirst}, "unknown"},
		{7, "nowhere", "dance", TermEndFilter{Days: 90}, ""},
	} {
		got := NewTermEndFilter(tt.days, tt.channel, tt.action)
		if got != tt.want || got.ChannelParam() != tt.param {
			t.Errorf("NewTermEndFilter(%d, %q, %q) = %+v (%q), want %+v (%q)", tt.days, tt.channel, tt.action, got, got.ChannelParam(), tt.want, tt.param)
		}
	}
}

func TestTermEndQueriesWindowAndChart(t *testing.T) {
	now := time.Date(2026, 11, 20, 17, 45, 0, 0, time.FixedZone("PST", -8*3600)) // 21 Nov 01:45 UTC
	f := TermEndFilter{Days: 30}
	q := TermEndsWithin(now, Rules{}, f, Page{Number: 2, Size: 50})
	if q.From != time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) || q.Until != time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC) {
		t.Errorf("30 days from 21 Nov = [%s, %s), want [2026-11-21, 2026-12-22): the 30th day included", q.From, q.Until)
	}
	if !slices.Equal(q.Keys, TermEndKeys(Rules{}, f)) || q.Page.Number != 2 {
		t.Errorf("query = %+v", q)
	}
	chart := TermEndChartQuery(now, Rules{}, f)
	if chart.From != q.From || chart.Until != time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("chart = [%s, %s), want [2026-11-21, 2027-11-01)", chart.From, chart.Until)
	}
	// The chart's keys are numbered by action: two keys share a number
	// exactly when they share an action.
	if len(chart.Groups) != len(chart.Keys) {
		t.Fatalf("%d groups for %d keys", len(chart.Groups), len(chart.Keys))
	}
	numbers := map[int]bool{}
	for i, a := range chart.Keys {
		numbers[chart.Groups[i]] = true
		for j, b := range chart.Keys {
			sameAction := termActionOf[Classify(a, false, Rules{}).Workflow] == termActionOf[Classify(b, false, Rules{}).Workflow]
			if (chart.Groups[i] == chart.Groups[j]) != sameAction || chart.Groups[i] < 0 {
				t.Errorf("keys %v (group %d) and %v (group %d): same action %v", a, chart.Groups[i], b, chart.Groups[j], sameAction)
			}
		}
	}
	if len(numbers) < 2 {
		t.Errorf("the chart's %d keys fall in %d groups", len(chart.Keys), len(numbers))
	}
	for days, want := range map[int]int{30: 30, 60: 60, 90: 90, 365: 365, 0: 90, 7: 90, -30: 90, 100000: 90} {
		if got := TermEndWindow(days); got != want {
			t.Errorf("TermEndWindow(%d) = %d, want %d", days, got, want)
		}
	}
}

func TestTermEndMonthsWrapTheYearStackedByAction(t *testing.T) {
	today := time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	third := ClassKey{Channel: ChannelThirdParty, ServiceType: ServiceLicence}
	ea := ClassKey{Channel: ChannelEA, ServiceType: ServiceLicence}
	nce := ClassKey{Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: CommerceNCE}
	months := TermEndMonths(today, Rules{}, []DateCount{
		{date(2026, 10, 31), third, 9}, // before the first month: ignored
		{date(2026, 11, 21), third, 1},
		{date(2026, 11, 30), ea, 2},
		{date(2026, 11, 30), nce, 3},
		{date(2026, 12, 31), third, 4},
		{date(2027, 1, 1), third, 5}, // the year wraps
		{date(2027, 1, 1), ClassKey{Channel: ChannelSyndication, ServiceType: ServiceLicence}, 8}, // no action: ignored
		{date(2027, 10, 31), ClassKey{ServiceType: ServiceLicence}, 6},
		{date(2027, 11, 1), third, 7}, // the thirteenth month: ignored
	})
	if len(months) != ChartMonths {
		t.Fatalf("%d months, want %d", len(months), ChartMonths)
	}
	wantKeys := []string{"2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07", "2027-08", "2027-09", "2027-10"}
	wantCounts := []int{6, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 6}
	for i, m := range months {
		if m.Key() != wantKeys[i] || m.Count() != wantCounts[i] {
			t.Errorf("month %d = %s %d, want %s %d", i, m.Key(), m.Count(), wantKeys[i], wantCounts[i])
		}
		if m.Month.Day() != 1 || m.Month.Location() != time.UTC {
			t.Errorf("month %d starts %s, want the first at midnight UTC", i, m.Month)
		}
	}
	if first := months[0].ByAction; first[TermWaitAndBuy] != 1 || first[TermBuyBeforeExpiry] != 2 || first[TermRequestTransfer] != 3 {
		t.Errorf("November by action = %v, want 1 wait, 2 buy, 3 transfer", first)
	}
	if last := months[11].ByAction; last[TermClassifyFirst] != 6 {
		t.Errorf("October 2027 by action = %v, want 6 to classify", last)
	}
	if empty := TermEndMonths(today, Rules{}, nil); len(empty) != ChartMonths || empty[0].Count() != 0 {
		t.Errorf("no term ends: %v", empty)
	}
}

func TestTermEndRowsDecideTheStepAndDropWhatHasNone(t *testing.T) {
	today := time.Date(2026, 12, 20, 9, 30, 0, 0, time.UTC)
	item := func(id int64, ch Channel, cm Commerce, csp bool, days int) TermEndItem {
		end := time.Date(2026, 12, 20+days, 0, 0, 0, 0, time.UTC)
		return TermEndItem{Customer: Customer{ID: id, IsCSPPartner: csp},
			Subscription: Subscription{ID: id, ServiceType: ServiceLicence, Channel: ch, Commerce: cm, TermEnd: &end}}
	}
	rows := TermEndRows(Rules{}, []TermEndItem{
		item(1, ChannelOtherCSP, CommerceNCE, false, 5),
		item(2, ChannelOtherCSP, CommerceLegacy, true, 6), // a CSP partner's: not eligible
		item(3, ChannelEA, "", false, 7),
		item(4, ChannelSyndication, "", false, 8), // not eligible
		item(5, ChannelThirdParty, "", false, 25),
	}, today)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d %s %d", r.Subscription.ID, r.Step.Action, r.DaysLeft))
	}
	if want := []string{"1 request_transfer 5", "3 buy_before_expiry 7", "5 wait_and_buy 25"}; !slices.Equal(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
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
