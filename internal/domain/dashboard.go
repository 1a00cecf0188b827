package domain

import (
	"slices"
	"time"
)

// DashboardCard names one card of the dashboard, a count of what needs doing
// across all customers.
type DashboardCard string

// The dashboard's cards, in the order they are shown within their part.
const (
	CardAwaitingCustomer    DashboardCard = "awaiting-customer"
	CardAwaitingReview      DashboardCard = "awaiting-review"
	CardInvitationsExpiring DashboardCard = "invitations-expiring"
	CardTransfersPending    DashboardCard = "transfers-pending"
	CardTransfersExpiring   DashboardCard = "transfers-expiring"
	CardUnclassified        DashboardCard = "unclassified"
	CardTermEnds            DashboardCard = "term-ends"
	CardUsage               DashboardCard = "usage"
)

// ExpiringSoon is how close an invitation's or a transfer's expiry must be
// for the dashboard to flag it.
const ExpiringSoon = 7 * 24 * time.Hour

// DashboardTermEndDays is how close a term end must be for the dashboard to
// count it: a relationship not active by then is unlikely to be in time for
// the replacement.
const DashboardTermEndDays = 30

// DashboardFigures are the counts the dashboard is made of.
type DashboardFigures struct {
	Counts            DashboardCounts
	TransfersPending  int // pending and not expired
	TransfersExpiring int // of those, expiring within ExpiringSoon
	TermEndsSoon      int // licences waiting for a term end within DashboardTermEndDays
}

// DashboardItem is one card as a role sees it.
type DashboardItem struct {
	Card       DashboardCard
	Label      string
	Hint       string // a line under the label; empty for none
	Count      int
	Actionable bool // the role may act on what the card counts
	Urgent     bool // flagged when the count is not zero
}

// Dashboard is what the home page shows a role: every card, those the role
// may act on first.
type Dashboard struct {
	Items []DashboardItem
}

// BuildDashboard makes the dashboard of role from the figures. Each card is
// actionable when the role holds the permission its work needs; the
// actionable cards come first, each part in the order of the constants.
func BuildDashboard(role Role, f DashboardFigures) Dashboard {
	can := role.Allows
	c := f.Counts
	items := []DashboardItem{
		{Card: CardAwaitingCustomer, Label: "Relationships awaiting the customer", Count: c.Relationships[StatusPending], Actionable: can(PermInvite)},
		{Card: CardAwaitingReview, Label: "Relationships awaiting our review", Count: c.Relationships[StatusAccepted],
			Actionable: can(PermReviewRelationships), Urgent: true},
		{Card: CardInvitationsExpiring, Label: "Invitations expiring within 7 days", Count: c.RelationshipsExpiringSoon,
			Actionable: can(PermInvite), Urgent: true},
		{Card: CardTransfersPending, Label: "Transfers waiting for the other partner", Count: f.TransfersPending, Actionable: can(PermTransfers)},
		{Card: CardTransfersExpiring, Label: "Transfers expiring within 7 days", Count: f.TransfersExpiring,
			Hint: "The other partner must act within 30 days.", Actionable: can(PermTransfers), Urgent: true},
		{Card: CardUnclassified, Label: "Subscriptions not yet classified", Count: c.Unclassified(), Actionable: can(PermEditCustomers)},
		{Card: CardTermEnds, Label: "Term ends within 30 days", Count: f.TermEndsSoon, Actionable: can(PermInvite), Urgent: true},
		{Card: CardUsage, Label: "Usage workflows in progress", Count: c.UsageInProgress(),
			Hint: "Checklists where CSP and the old subscription coexist, and transfers in progress.", Actionable: can(PermUsageWorkflow)},
	}
	slices.SortStableFunc(items, func(a, b DashboardItem) int {
		switch {
		case a.Actionable == b.Actionable:
			return 0
		case a.Actionable:
			return -1
		}
		return 1
	})
	return Dashboard{Items: items}
}
