package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWorkState: one rule decides the state of the Azure and Transfers
// steps: nothing to do when no subscription needs the step, done when all
// that do are finished, to do otherwise, and to do while the inventory is
// empty or not all classified.
func TestWorkState(t *testing.T) {
	classified := InventorySummary{Total: 5}
	for _, tc := range []struct {
		name         string
		inv          InventorySummary
		needed, done int
		want         StepState
	}{
		{"nothing needs it", classified, 0, 0, StepNothing},
		{"none done", classified, 3, 0, StepToDo},
		{"some done", classified, 3, 2, StepToDo},
		{"all done", classified, 3, 3, StepDone},
		{"no subscriptions yet", InventorySummary{}, 0, 0, StepToDo},
		{"some not classified", InventorySummary{Total: 5, Unclassified: 1}, 0, 0, StepToDo},
	} {
		if got := WorkState(tc.inv, tc.needed, tc.done); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestWalkThroughAzureAndTransfers: the Azure step counts only the new CSP
// subscriptions and the Transfers step the transfers, so a customer whose
// Azure all moves by transfer (Coho Winery) has nothing to do on the Azure
// step; each step's note says the same as its state.
func TestWalkThroughAzureAndTransfers(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		inv                    InventorySummary
		azure, transfers       StepState
		azureNote, transfersAt string
	}{
		{"transfers only (Coho Winery)", InventorySummary{Total: 13, Transfers: 13, TransfersDone: 2}, StepNothing, StepToDo,
			"Nothing to do: none of this customer's subscriptions needs a new CSP Azure subscription.", "To do: 2 of 13 subscriptions moved"},
		{"new subscriptions, some done", InventorySummary{Total: 7, NewAzure: 4, NewAzureDone: 1, Transfers: 1, BillingTransfers: 1}, StepToDo, StepToDo,
			"To do: 1 of 4 Azure checklists done.", "To do: 0 of 1"},
		{"all done", InventorySummary{Total: 3, NewAzure: 1, NewAzureDone: 1, Transfers: 1, TransfersDone: 1}, StepDone, StepDone,
			"Done: every Azure subscription", "Done: every subscription that moves"},
		{"licences only", InventorySummary{Total: 2}, StepNothing, StepNothing,
			"Nothing to do", "Nothing to do: none of this customer's subscriptions moves to us by a transfer."},
		{"not classified", InventorySummary{Total: 3, Unclassified: 3}, StepToDo, StepToDo,
			"To do: classify the 3 subscriptions not yet classified first", "classify the 3 subscriptions"},
	} {
		steps := WalkThrough(tc.inv, StatusActive)
		if len(steps) != 6 || steps[StepAzure-1].Name != "Azure" || steps[StepTransfers-1].Name != "Transfers" {
			t.Fatalf("%s: steps %+v", tc.name, steps)
		}
		az, tr := steps[StepAzure-1], steps[StepTransfers-1]
		if az.State != tc.azure || !strings.HasPrefix(az.Note, tc.azureNote) {
			t.Errorf("%s: Azure %s %q, want %s %q", tc.name, az.State, az.Note, tc.azure, tc.azureNote)
		}
		if tr.State != tc.transfers || !strings.Contains(tr.Note, tc.transfersAt) {
			t.Errorf("%s: Transfers %s %q, want %s %q", tc.name, tr.State, tr.Note, tc.transfers, tc.transfersAt)
		}
	}
	if got := (StepNothing).Label(); got != "nothing to do" {
		t.Errorf("StepNothing reads %q", got)
	}
}

// TestPlanNextPerState: the plan's guidance for a group and each row's next
// step follow where the customer and the subscription actually stand: the
// relationship (none, pending, accepted, active), the Azure checklist
// (nothing recorded, coexisting, done) and the transfer (none, pending, in
// progress, complete); each row names the page where its step is done.
func TestPlanNextPerState(t *testing.T) {
	licence := Subscription{ID: 1, Product: "Microsoft 365 E3", ServiceType: ServiceLicence, Channel: ChannelEA}
	azure := Subscription{ID: 2, Product: "Azure plan", ServiceType: ServiceUsage, Channel: ChannelMicrosoftDirect}
	moved := Subscription{ID: 3, Product: "Azure plan", ServiceType: ServiceUsage, Channel: ChannelOtherCSP}
	nce := Subscription{ID: 4, Product: "Teams", ServiceType: ServiceLicence, Channel: ChannelOtherCSP, Commerce: CommerceNCE}
	for _, tc := range []struct {
		name      string
		sub       Subscription
		st        PlanState
		next      NextStep
		group     string // what the group's guidance says
		notGroup  string // what it must not say
		page      ActionPage
		needPerms []Permission
	}{
		{"licence, no request", licence, PlanState{}, nextSendRequest, "Request a reseller relationship", "managed through", PageRelationship, []Permission{PermInvite}},
		{"licence, pending", licence, PlanState{Relationship: StatusPending, LastRequest: StatusPending}, nextAwaitCustomer,
			"wait for the customer's Global admin", "Request a reseller relationship", PageRelationship, []Permission{PermInvite}},
		{"licence, accepted", licence, PlanState{Relationship: StatusAccepted, LastRequest: StatusAccepted}, nextVerify,
			"verify in Partner Center", "Request a reseller relationship", PageReview, []Permission{PermReviewRelationships}},
		{"licence, active", licence, PlanState{Relationship: StatusActive, LastRequest: StatusActive}, nextBuyBefore,
			"managed through the reseller relationship", "Request a reseller relationship", PagePurchase, []Permission{PermEditCustomers}},
		{"Azure, no request", azure, PlanState{}, nextSendRequest, "Once the reseller relationship is active", "Record", PageRelationship, []Permission{PermInvite}},
		{"Azure, active, nothing recorded", azure, PlanState{Relationship: StatusActive}, nextRecordCSP,
			"Record the new CSP Azure subscription: 1. Done: 0 of 1.", "Once the reseller relationship", PageAzure, []Permission{PermUsageWorkflow}},
		{"Azure, active, coexisting", azure, PlanState{Relationship: StatusActive, Migrations: map[int64]AzureMigration{2: {Step: MigrationCancelOld}}},
			nextCancelOld, "Record the old subscription or services cancelled: 1", "Record the new", PageAzure, []Permission{PermUsageWorkflow}},
		{"Azure, active, done", azure, PlanState{Relationship: StatusActive, Migrations: map[int64]AzureMigration{2: {Step: MigrationDone}}},
			nextMigrated, "Nothing left to do: all 1 done.", "Record", PageAzure, nil},
		{"Azure transfer, accepted request", moved, PlanState{Relationship: StatusAccepted, LastRequest: StatusAccepted}, nextVerify,
			"verify in Partner Center", "Request the transfer", PageReview, []Permission{PermReviewRelationships}},
		{"Azure transfer, active, none yet", moved, PlanState{Relationship: StatusActive}, nextRequestMove,
			"Request the transfer: 1. Done: 0 of 1.", "Once the reseller relationship is active", PageTransfers, []Permission{PermTransfers}},
		{"licence transfer, pending", nce, PlanState{Relationship: StatusActive, Transfers: map[int64]SubscriptionTransfer{4: {Status: TransferPending}}},
			nextAwaitAccept, "Record the other partner's acceptance, or cancel: 1", "Once", PageTransfers, []Permission{PermTransfers}},
		{"licence transfer, in progress", nce, PlanState{Relationship: StatusActive, Transfers: map[int64]SubscriptionTransfer{4: {Status: TransferInProgress}}},
			nextAwaitComplete, "Record the transfer completed: 1", "Once", PageTransfers, []Permission{PermTransfers}},
		{"licence transfer, expired", nce, PlanState{Relationship: StatusActive, Transfers: map[int64]SubscriptionTransfer{4: {Status: TransferExpired}}},
			nextRequestMove, "Request the transfer: 1", "Once", PageTransfers, []Permission{PermTransfers}},
		{"licence transfer, complete", nce, PlanState{Relationship: StatusActive, Transfers: map[int64]SubscriptionTransfer{4: {Status: TransferComplete}}},
			nextTransferred, "Nothing left to do", "Request", PageTransfers, nil},
	} {
		plan := BuildPlan(Customer{}, Rules{}, []Subscription{tc.sub}, tc.st, time.Time{})
		items := plan.Items()
		if len(items) != 1 {
			t.Fatalf("%s: %d items", tc.name, len(items))
		}
		w := items[0].Classification.Workflow
		if items[0].Next != tc.next {
			t.Errorf("%s: next step %+v, want %+v", tc.name, items[0].Next, tc.next)
		}
		if got := plan.Next(w); !strings.Contains(got, tc.group) || strings.Contains(got, tc.notGroup) {
			t.Errorf("%s: %s says %q; want %q and not %q", tc.name, w, got, tc.group, tc.notGroup)
		}
		if got := plan.Page(w); got != tc.page {
			t.Errorf("%s: the group links %q, want %q", tc.name, got, tc.page)
		}
		if got := plan.Permissions(w); !slices.Equal(got, tc.needPerms) {
			t.Errorf("%s: needs %v, want %v", tc.name, got, tc.needPerms)
		}
	}
}

// TestPlanNextCountsAGroup: a group's guidance counts its subscriptions by
// their next step, in the order of the steps.
func TestPlanNextCountsAGroup(t *testing.T) {
	var subs []Subscription
	transfers := map[int64]SubscriptionTransfer{}
	for id, st := range map[int64]TransferStatus{1: TransferComplete, 2: TransferInProgress, 3: TransferPending, 4: "", 5: TransferExpired} {
		subs = append(subs, Subscription{ID: id, ServiceType: ServiceUsage, Channel: ChannelOtherCSP})
		if st != "" {
			transfers[id] = SubscriptionTransfer{Status: st}
		}
	}
	plan := BuildPlan(Customer{}, Rules{}, subs, PlanState{Relationship: StatusActive, Transfers: transfers}, time.Time{})
	want := "Request the transfer: 2; record the other partner's acceptance, or cancel: 1; record the transfer completed: 1. Done: 1 of 5."
	if got := plan.Next(WorkflowAzureTransfer); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestWhoMayFollowsTheRoleMatrix: the words that say who does something
// come from the role matrix, and a role that may do it gets no note.
func TestWhoMayFollowsTheRoleMatrix(t *testing.T) {
	for _, tc := range []struct {
		p    Permission
		want string
	}{
		{PermUsageWorkflow, "Admin agents and Global admins"},
		{PermReadAudit, "Global admins"},
		{PermView, "Sales agents, Admin agents and Global admins"},
	} {
		if got := WhoMay(tc.p); got != tc.want {
			t.Errorf("WhoMay(%s) = %q, want %q", tc.p, got, tc.want)
		}
	}
	if got := NotYours(RoleSalesAgent, PermTransfers); got != "Admin agents and Global admins create and change transfer requests (Azure and licences); as a Sales agent you can follow where it stands here." {
		t.Errorf("NotYours = %q", got)
	}
	if got := NotYours(RoleAdminAgent, PermTransfers); got != "" {
		t.Errorf("an Admin agent is told %q", got)
	}
	if got := NotYours(RoleAdminAgent, PermRemoveRelationship); !strings.HasPrefix(got, "Global admins remove an active relationship; as an Admin agent") {
		t.Errorf("NotYours = %q", got)
	}
}
