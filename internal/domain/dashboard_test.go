package domain

import (
	"slices"
	"testing"
)

func TestDashboardPutsWhatTheRoleMayActOnFirst(t *testing.T) {
	figures := DashboardFigures{
		Counts: DashboardCounts{Relationships: map[RelationshipStatus]int{StatusPending: 2, StatusAccepted: 1}, RelationshipsExpiringSoon: 1,
			DeclinedRecently: 2, TransfersInProgress: 1},
		TransfersPending: 3, TransfersExpiring: 1, TermEndsSoon: 4,
		GDAPEnding: []GDAPEnding{{Request: GDAPRequest{GDAPTerms: GDAPTerms{AutoExtend: true}}}, {}},
	}
	all := []DashboardCard{CardAwaitingCustomer, CardAwaitingReview, CardInvitationsExpiring, CardDeclinedRecently, CardTransfersPending,
		CardTransfersExpiring, CardUnclassified, CardTermEnds, CardGDAPEnding, CardUsage}
	for _, tc := range []struct {
		role       Role
		actionable []DashboardCard
	}{
		{RoleGlobalAdmin, all},
		{RoleAdminAgent, all},
		{RoleSalesAgent, []DashboardCard{CardAwaitingCustomer, CardInvitationsExpiring, CardDeclinedRecently, CardUnclassified, CardTermEnds}},
	} {
		d := BuildDashboard(tc.role, figures)
		var order, first []DashboardCard
		for i, item := range d.Items {
			order = append(order, item.Card)
			if item.Actionable != slices.Contains(tc.actionable, item.Card) {
				t.Errorf("%s: %s actionable = %v", tc.role, item.Card, item.Actionable)
			}
			if i < len(tc.actionable) {
				first = append(first, item.Card)
			}
		}
		if !slices.Equal(first, tc.actionable) {
			t.Errorf("%s: the cards begin with %v; want %v in their order", tc.role, first, tc.actionable)
		}
		if len(order) != len(all) {
			t.Errorf("%s: %d cards; want %d", tc.role, len(order), len(all))
		}
	}
	counts := map[DashboardCard]int{}
	for _, item := range BuildDashboard(RoleSalesAgent, figures).Items {
		counts[item.Card] = item.Count
	}
	want := map[DashboardCard]int{CardAwaitingCustomer: 2, CardAwaitingReview: 1, CardInvitationsExpiring: 1, CardDeclinedRecently: 2, CardTransfersPending: 3,
		CardTransfersExpiring: 1, CardUnclassified: 0, CardTermEnds: 4, CardGDAPEnding: 2, CardUsage: 1}
	for card, n := range want {
		if counts[card] != n {
			t.Errorf("%s counts %d; want %d", card, counts[card], n)
		}
	}
	for _, item := range BuildDashboard(RoleAdminAgent, figures).Items {
		if item.Card == CardGDAPEnding && item.Hint != "1 auto-extend by 180 days; 1 end for good and need a new request." {
			t.Errorf("GDAP card's hint %q", item.Hint)
		}
	}
}
