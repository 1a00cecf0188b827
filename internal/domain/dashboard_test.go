package domain

import (
	"slices"
	"testing"
	"time"
)

func TestDashboardPutsWhatTheRoleMayActOnFirst(t *testing.T) {
	figures := DashboardFigures{
		Counts: DashboardCounts{Relationships: map[RelationshipStatus]int{StatusPending: 2, StatusAccepted: 1}, RelationshipsExpiringSoon: 1,
			DeclinedRecently: 2, TransfersInProgress: 1},
		TransfersPending: 3, TransfersExpiring: 1, TermEndsSoon: 4,
		GDAPEnding: []GDAPEnding{{Request: GDAPRequest{GDAPTerms: GDAPTerms{AutoExtend: true}}}, {}},
	}
	all := []DashboardCard{CardAwaitingCustomer, CardAwaitingReview, CardInvitationsExpiring, CardDeclinedRecently, CardTransfersPending,
		CardTransfersExpiring, CardUnclassified, CardTermEnds, CardGDAPEnding, CardUsage, CardRefundWindow}
	for _, tc := range []struct {
		role       Role
		actionable []DashboardCard
	}{
		{RoleGlobalAdmin, all},
		{RoleAdminAgent, all},
		{RoleSalesAgent, []DashboardCard{CardAwaitingCustomer, CardInvitationsExpiring, CardDeclinedRecently, CardUnclassified, CardTermEnds,
			CardRefundWindow}},
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

func TestDashboardListsPurchasesInsideTheirRefundWindow(t *testing.T) {
	now := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	f := DashboardFigures{Now: now, RefundWindowCount: 2, RefundWindows: []RefundWindowItem{
		{CustomerName: "Contoso Ltd", Purchase: CSPPurchase{CustomerID: 7, Product: "Microsoft Teams Premium", Quantity: 25,
			PurchasedAt: now.Add(-120 * time.Hour)}},
		{CustomerName: "Coho Winery", Purchase: CSPPurchase{CustomerID: 9, Product: "Visio Plan 2", Quantity: 5,
			PurchasedAt: now.Add(-167*time.Hour - 30*time.Minute)}},
	}}
	var card DashboardItem
	for _, item := range BuildDashboard(RoleSalesAgent, f).Items {
		if item.Card == CardRefundWindow {
			card = item
		}
	}
	want := []DashboardLine{
		{CustomerID: 7, Text: "Contoso Ltd: Microsoft Teams Premium × 25. 48 hours left to cancel with a refund"},
		{CustomerID: 9, Text: "Coho Winery: Visio Plan 2 × 5. An hour or less left to cancel with a refund"},
	}
	if card.Count != 2 || !card.Actionable || !card.Urgent || !slices.Equal(card.Lines, want) {
		t.Errorf("refund card = %+v, want 2 lines %v", card, want)
	}
}
