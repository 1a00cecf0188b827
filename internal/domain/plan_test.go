package domain

import (
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

func TestPlanPageShowsTheFirstRowsOrOneGroupsPage(t *testing.T) {
	items := func(n int) []PlanItem { return make([]PlanItem, n) }
	groups := []PlanGroup{{Workflow: WorkflowResellerRelationship, Items: items(250)}, {Workflow: WorkflowWaitTermEnd, Items: items(3)}}
	for _, tc := range []struct {
		show       string
		page       int
		want       [2]int // rows shown of each group
		wantNumber int    // the page of the group shown whole
	}{
		{"", 1, [2]int{PlanShown, 3}, 0},
		{"", 7, [2]int{PlanShown, 3}, 0},
		{string(WorkflowResellerRelationship), 1, [2]int{PlanPageSize, 0}, 1},
		{string(WorkflowResellerRelationship), 3, [2]int{50, 0}, 3},
		{string(WorkflowResellerRelationship), 40, [2]int{50, 0}, 3},
		{string(WorkflowResellerRelationship), -2, [2]int{PlanPageSize, 0}, 1},
		{string(WorkflowWaitTermEnd), 1, [2]int{0, 3}, 1},
		{"no_such_workflow", 2, [2]int{PlanShown, 3}, 0},
	} {
		p := PlanPage{Plan: Plan{Groups: groups}, Query: ParsePlanQuery(tc.show, tc.page)}
		for i, g := range groups {
			shown, page := p.Shown(g)
			if len(shown) != tc.want[i] {
				t.Errorf("show %q page %d: %s shows %d rows; want %d", tc.show, tc.page, g.Workflow, len(shown), tc.want[i])
			}
			if string(g.Workflow) == tc.show && page.Number != tc.wantNumber {
				t.Errorf("show %q page %d: at page %d; want %d", tc.show, tc.page, page.Number, tc.wantNumber)
			}
		}
	}
}

func TestReplaceableOffersTheLicencesEndingSoonest(t *testing.T) {
	day := func(n int) *time.Time { d := time.Date(2027, 1, n, 0, 0, 0, 0, time.UTC); return &d }
	var items []PlanItem
	for i := range PlanReplacesShown + 20 {
		s := Subscription{ID: int64(i + 1), ServiceType: ServiceLicence, TermEnd: day(28 - i%28)}
		if i%10 == 0 {
			s.TermEnd = nil
		}
		items = append(items, PlanItem{Subscription: s})
	}
	items = append(items, PlanItem{Subscription: Subscription{ID: 999, ServiceType: ServiceUsage}})
	p := PlanPage{Plan: Plan{Groups: []PlanGroup{{Items: items}}}}
	got := p.Replaceable(11) // without a term end: past the first PlanReplacesShown
	if len(got) != PlanReplacesShown+1 || got[len(got)-1].ID != 11 {
		t.Fatalf("%d licences offered, the last %d; want %d and the selected one last", len(got), got[len(got)-1].ID, PlanReplacesShown+1)
	}
	for i := 1; i < PlanReplacesShown; i++ {
		if a, b := got[i-1].TermEnd, got[i].TermEnd; b != nil && (a == nil || a.After(*b)) {
			t.Fatalf("offer %d ends %v, after offer %d's %v", i-1, a, i, b)
		}
	}
	if slices.ContainsFunc(got, func(s Subscription) bool { return s.ServiceType == ServiceUsage }) {
		t.Error("a usage subscription is offered as replaced by a purchase")
	}
	if got := (PlanPage{Plan: Plan{Groups: []PlanGroup{{Items: items[:5]}}}}).Replaceable(0); len(got) != 5 {
		t.Errorf("%d of 5 licences offered; want all", len(got))
	}
}
