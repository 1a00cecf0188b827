package domain

import (
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
