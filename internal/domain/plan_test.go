package domain

import (
	"strings"
	"testing"
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
