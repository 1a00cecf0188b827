package domain

import (
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPlanNextFollowsTheRequest: the guidance of a group that waits for the
// reseller relationship says what the customer's actual request needs, and
// "managed through the relationship" only once it is active (verified).
func TestPlanNextFollowsTheRequest(t *testing.T) {
	for _, tc := range []struct {
		open, last RelationshipStatus
		workflow   Workflow
		want       string
	}{
		{"", "", WorkflowResellerRelationship, "Request a reseller relationship"},
		{StatusPending, StatusPending, WorkflowResellerRelationship, "wait for the customer's Global admin"},
		{StatusAccepted, StatusAccepted, WorkflowWaitTermEnd, "verify in Partner Center's customer list"},
		{StatusAccepted, StatusAccepted, WorkflowResellerRelationship, "verify in Partner Center's customer list"},
		{"", StatusDeclined, WorkflowResellerRelationship, "The customer declined: ask why"},
		{"", StatusExpired, WorkflowAzureTransfer, "expired unanswered: send a new one"},
		{"", StatusRejected, WorkflowResellerRelationship, "We rejected the acceptance"},
		{"", StatusRevoked, WorkflowResellerRelationship, "revoked: send a new one"},
		{"", StatusRemoved, WorkflowWaitTermEnd, "removed: send a new request"},
		{StatusActive, StatusActive, WorkflowResellerRelationship, "managed through the reseller relationship, verified in Partner Center"},
		{StatusActive, StatusActive, WorkflowWaitTermEnd, "Buy the replacement through us when the term ends"},
		{StatusPending, StatusPending, WorkflowNeedsClassification, "Set the channel and the service type"},
	} {
		p := Plan{Relationship: tc.open, LastRequest: tc.last}
		if got := p.Next(tc.workflow); !strings.Contains(got, tc.want) {
			t.Errorf("%s with the request %q/%q: %q; want %q", tc.workflow, tc.open, tc.last, got, tc.want)
		}
		if tc.open != StatusActive && strings.Contains(p.Next(tc.workflow), "managed through") {
			t.Errorf("%s: managed through the relationship while it is %q", tc.workflow, tc.open)
		}
	}
}

// TestPlanStageOfBillingTransfer: the plan says where an EA Azure
// subscription stands in the billing transfer of an Azure Expert MSP, and
// a completed transfer is done.
func TestPlanStageOfBillingTransfer(t *testing.T) {
	sub := Subscription{ID: 7, Product: "Azure subscription (EA production)", ServiceType: ServiceUsage, Channel: ChannelEA}
	msp := Rules{AzureExpertMSP: true}
	for _, tc := range []struct {
		rel     RelationshipStatus
		billing BillingPlan
		want    string
	}{
		{StatusRevoked, BillingPlan{}, "Needs the reseller relationship first."},
		{StatusActive, BillingPlan{}, "Ready: start the billing transfer checklist."},
		{StatusActive, BillingPlan{BySubscription: map[int64]BillingTransferStatus{7: BillingSent}, Open: BillingSent}, "Request sent; waiting for the customer's approver."},
		{StatusActive, BillingPlan{BySubscription: map[int64]BillingTransferStatus{7: BillingCompleted}}, "Done: the billing is ours"},
	} {
		plan := BuildPlan(Customer{}, msp, []Subscription{sub}, PlanState{Relationship: tc.rel, Billing: tc.billing}, time.Time{})
		items := plan.Items()
		if len(items) != 1 || items[0].Classification.Workflow != WorkflowAzureBillingTransfer || !strings.HasPrefix(items[0].Stage, tc.want) {
			t.Errorf("%s %+v: %+v; want the stage %q", tc.rel, tc.billing, items, tc.want)
		}
	}
}

// TestPlanStageOfAManagedLicenceSaysToBuyBeforeItsExpiry: once the
// relationship is active, a licence bought direct, through an EA or Volume
// Licensing is managed where it is, and its stage says to buy the
// replacement before its natural expiry, with auto-renew off unless it is.
func TestPlanStageOfAManagedLicenceSaysToBuyBeforeItsExpiry(t *testing.T) {
	today := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	end := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		sub  Subscription
		want string
	}{
		{Subscription{ID: 1, ServiceType: ServiceLicence, Channel: ChannelEA, TermEnd: &end},
			"Managed through the reseller relationship. Next: buy the replacement through us before its natural expiry (2027-03-31), and have auto-renew turned off at the current seller."},
		{Subscription{ID: 2, ServiceType: ServiceLicence, Channel: ChannelOpen, TermEnd: &end, AutoRenew: AutoRenewOff},
			"Managed through the reseller relationship. Next: buy the replacement through us before its natural expiry (2027-03-31)."},
		{Subscription{ID: 3, ServiceType: ServiceLicence, Channel: ChannelMicrosoftDirect}, "Managed through the reseller relationship."},
	} {
		plan := BuildPlan(Customer{}, Rules{}, []Subscription{tc.sub}, PlanState{Relationship: StatusActive}, today)
		if got := plan.Groups[0].Items[0].Stage; got != tc.want {
			t.Errorf("%s: stage %q, want %q", tc.sub.Channel, got, tc.want)
		}
	}
}

func TestPlanQueryPagesOneGroupOrShowsTheFirstRowsOfEach(t *testing.T) {
	for _, tc := range []struct {
		show     string
		page     int
		w        Workflow
		count    int
		want     Page
		wantShow bool
	}{
		{"", 1, WorkflowResellerRelationship, 250, Page{Number: 1, Size: PlanShown}, true},
		{"", 7, WorkflowWaitTermEnd, 3, Page{Number: 1, Size: PlanShown}, true},
		{string(WorkflowResellerRelationship), 1, WorkflowResellerRelationship, 250, Page{Number: 1, Size: PlanPageSize}, true},
		{string(WorkflowResellerRelationship), 3, WorkflowResellerRelationship, 250, Page{Number: 3, Size: PlanPageSize}, true},
		{string(WorkflowResellerRelationship), 40, WorkflowResellerRelationship, 250, Page{Number: 3, Size: PlanPageSize}, true},
		{string(WorkflowResellerRelationship), -2, WorkflowResellerRelationship, 250, Page{Number: 1, Size: PlanPageSize}, true},
		{string(WorkflowResellerRelationship), 1, WorkflowWaitTermEnd, 3, Page{}, false},
		{"no_such_workflow", 2, WorkflowWaitTermEnd, 3, Page{Number: 1, Size: PlanShown}, true},
	} {
		got, shown := ParsePlanQuery(tc.show, tc.page, 0).PageOf(tc.w, tc.count)
		if got != tc.want || shown != tc.wantShow {
			t.Errorf("show %q page %d, %s of %d: %+v, %v; want %+v, %v", tc.show, tc.page, tc.w, tc.count, got, shown, tc.want, tc.wantShow)
		}
	}
}

// TestBuildPlanPageAgreesWithBuildPlan builds random inventories with
// checklists, transfers and billing transfers at every stage, and checks
// that the plan page, read from counts, the rows it shows and the
// subscriptions with a record, says what the whole plan says.
func TestBuildPlanPageAgreesWithBuildPlan(t *testing.T) {
	today := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(15, 30))
	channels := append([]Channel{ChannelUnknown}, Channels...)
	services := append([]ServiceType{ServiceUnknown}, ServiceTypes...)
	for round := range 40 {
		c := Customer{ID: 1, Name: "C", IsCSPPartner: round%10 == 9}
		rules := Rules{AzureExpertMSP: round%2 == 0}
		var subs []Subscription
		st := PlanState{Migrations: map[int64]AzureMigration{}, Transfers: map[int64]SubscriptionTransfer{},
			Billing: BillingPlan{BySubscription: map[int64]BillingTransferStatus{}}}
		st.Relationship = []RelationshipStatus{"", StatusPending, StatusAccepted, StatusActive}[rng.IntN(4)]
		st.LastRequest = st.Relationship
		for i := range 1 + rng.IntN(60) {
			s := Subscription{ID: int64(i + 1), Product: "P", Channel: channels[rng.IntN(len(channels))],
				ServiceType: services[rng.IntN(len(services))]}
			if rng.IntN(3) == 0 {
				s.Commerce = CommerceNCE
			}
			switch rng.IntN(6) {
			case 0:
				st.Migrations[s.ID] = AzureMigration{Step: MigrationRecordCSP + rng.IntN(4)}
			case 1:
				st.Transfers[s.ID] = SubscriptionTransfer{Status: []TransferStatus{TransferPending, TransferInProgress, TransferComplete,
					TransferRejected}[rng.IntN(4)]}
			case 2:
				st.Billing.BySubscription[s.ID] = []BillingTransferStatus{BillingSent, BillingApproved, BillingCompleted}[rng.IntN(3)]
			}
			subs = append(subs, s)
		}
		whole := BuildPlan(c, rules, subs, st, today)
		counts := map[ClassKey]int{}
		for _, s := range subs {
			counts[s.Key()]++
		}
		var list []ClassCount
		for k, n := range counts {
			list = append(list, ClassCount{ClassKey: k, Count: n})
		}
		groups := PlanGroupsOf(c, rules, list)
		for i, g := range groups {
			for _, s := range subs {
				if slices.Contains(g.Keys, s.Key()) && len(groups[i].Shown) < PlanShown {
					groups[i].Shown = append(groups[i].Shown, s)
				}
			}
		}
		var recorded []Subscription
		for _, id := range st.Recorded() {
			recorded = append(recorded, subs[id-1])
		}
		page := BuildPlanPage(c, rules, groups, recorded, st, today)
		if page.Total != whole.Total || len(page.Groups) != len(whole.Groups) {
			t.Fatalf("round %d: the page has %d subscriptions in %d groups; the plan %d in %d", round, page.Total, len(page.Groups),
				whole.Total, len(whole.Groups))
		}
		for i, g := range whole.Groups {
			pg := page.Groups[i]
			w := g.Workflow
			if pg.Workflow != w || pg.Count != g.Count || !maps.Equal(pg.Steps, g.Steps) {
				t.Fatalf("round %d: group %s: %d %v; the plan's %s: %d %v", round, pg.Workflow, pg.Count, pg.Steps, w, g.Count, g.Steps)
			}
			if page.Next(w) != whole.Next(w) || page.Page(w) != whole.Page(w) || !slices.Equal(page.Permissions(w), whole.Permissions(w)) {
				t.Fatalf("round %d: %s: the page says %q (%v), the plan %q (%v)", round, w, page.Next(w), page.Page(w), whole.Next(w), whole.Page(w))
			}
			if !reflect.DeepEqual(pg.Items, g.Items[:min(PlanShown, len(g.Items))]) {
				t.Fatalf("round %d: %s shows other rows than the plan's first %d", round, w, PlanShown)
			}
		}
		checkPlanExport(t, round, whole, NewPlanExport(c, rules, groups, recorded, st, today, func(g PlanShownGroup) Rows[Subscription] {
			return RowsOf(slices.DeleteFunc(slices.Clone(subs), func(s Subscription) bool { return !slices.Contains(g.Keys, s.Key()) }))
		}))
		short := NewPlanExport(c, rules, groups, recorded, st, today, func(g PlanShownGroup) Rows[Subscription] { return RowsOf(subs[:0]) })
		if err := short.Items(short.Plan.Groups[0])(func(PlanItem) error { return nil }); err == nil {
			t.Fatalf("round %d: a group read short of its count exported without an error", round)
		}
	}
}

// checkPlanExport checks that an export holds the plan's groups, counts,
// next actions and every item, in order.
func checkPlanExport(t *testing.T, round int, whole Plan, export PlanExport) {
	t.Helper()
	if export.Plan.Total != whole.Total || len(export.Plan.Groups) != len(whole.Groups) {
		t.Fatalf("round %d: the export has %d subscriptions in %d groups; the plan %d in %d", round, export.Plan.Total,
			len(export.Plan.Groups), whole.Total, len(whole.Groups))
	}
	for i, g := range export.Plan.Groups {
		var items []PlanItem
		if err := export.Items(g)(func(item PlanItem) error { items = append(items, item); return nil }); err != nil {
			t.Fatalf("round %d: %s: %v", round, g.Workflow, err)
		}
		if g.Count != whole.Groups[i].Count || export.Plan.Next(g.Workflow) != whole.Next(g.Workflow) || !reflect.DeepEqual(items, whole.Groups[i].Items) {
			t.Fatalf("round %d: the export's %s group differs from the plan's", round, g.Workflow)
		}
	}
}

func TestPlanShownGroupSparse(t *testing.T) {
	keys := func(n int) []ClassKey { return make([]ClassKey, n) }
	for _, tc := range []struct {
		count, keys, total int
		want               bool
	}{
		{3, 1, 7000, true},     // a few among many
		{6000, 4, 7000, false}, // most of the customer
		{1000, 7, 7000, false}, // one in seven, over seven keys: as cheap either way
		{999, 7, 7000, true},
		{10, 1, 10, false}, // the whole customer
	} {
		g := PlanShownGroup{Count: tc.count, Keys: keys(tc.keys)}
		if got := g.Sparse(tc.total); got != tc.want {
			t.Errorf("%d subscriptions over %d keys among %d: sparse = %v, want %v", tc.count, tc.keys, tc.total, got, tc.want)
		}
	}
}
