package domain

import (
	"fmt"
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
	CardDeclinedRecently    DashboardCard = "declined-recently"
	CardTransfersPending    DashboardCard = "transfers-pending"
	CardTransfersExpiring   DashboardCard = "transfers-expiring"
	CardUnclassified        DashboardCard = "unclassified"
	CardTermEnds            DashboardCard = "term-ends"
	CardGDAPEnding          DashboardCard = "gdap-ending"
	CardUsage               DashboardCard = "usage"
	CardRefundWindow        DashboardCard = "refund-window"
)

// ExpiresSoonDays is when the expiry of a pending request or transfer is
// highlighted in its list: fewer whole days left than this.
const ExpiresSoonDays = 7

// DeclinedRecentlyDays is how long a customer's decline stays on the
// dashboard: long enough for someone to call the customer.
const DeclinedRecentlyDays = 7

// ExpiringSoon is how close an invitation's or a transfer's expiry must be
// for the dashboard to count it.
const ExpiringSoon = ExpiresSoonDays * 24 * time.Hour

// DashboardFigures are the counts the dashboard is made of.
type DashboardFigures struct {
	Counts            DashboardCounts
	TransfersPending  int // pending and not expired
	TransfersExpiring int // of those, expiring within ExpiringSoon
	TermEndsSoon      int // licences the planner lists with a term end within TermEndSoonDays
	// GDAPEnding are the active GDAP relationships ending within
	// GDAPEndingSoonDays, soonest first.
	GDAPEnding []GDAPEnding
	// RefundWindows are the partner's own CSP purchases still inside their
	// prorated-refund window, the first to close first, at most
	// MaxRefundWindowList; RefundWindowCount counts all of them.
	RefundWindows     []RefundWindowItem
	RefundWindowCount int
	Now               time.Time // when the figures were read, for the hours left
}

// DashboardItem is one card as a role sees it.
type DashboardItem struct {
	Card       DashboardCard
	Label      string
	Hint       string // a line under the label; empty for none
	Count      int
	Permission Permission      // what acting on the card's work needs
	Actionable bool            // the role holds Permission
	NotYours   string          // who acts on it, for a role that may not; empty when the role may
	Urgent     bool            // flagged when the count is not zero
	Lines      []DashboardLine // what the card counts, one a line; nil for a card without a list
}

// DashboardLine is one thing a card counts, about one customer.
type DashboardLine struct {
	CustomerID int64
	Text       string
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
	c := f.Counts
	items := []DashboardItem{
		{Card: CardAwaitingCustomer, Label: "Relationships awaiting the customer", Count: c.Relationships[StatusPending], Permission: PermInvite},
		{Card: CardAwaitingReview, Label: "Relationships awaiting verification in Partner Center", Count: c.Relationships[StatusAccepted],
			Permission: PermReviewRelationships, Urgent: true},
		{Card: CardInvitationsExpiring, Label: fmt.Sprintf("Invitations expiring within %d days", ExpiresSoonDays), Count: c.RelationshipsExpiringSoon,
			Permission: PermInvite, Urgent: true},
		{Card: CardDeclinedRecently, Label: fmt.Sprintf("Declined by the customer in the last %d days", DeclinedRecentlyDays),
			Count: c.DeclinedRecently, Hint: "Talk to the customer before sending another request.", Permission: PermInvite},
		{Card: CardTransfersPending, Label: "Transfers waiting for the other partner", Count: f.TransfersPending, Permission: PermTransfers},
		{Card: CardTransfersExpiring, Label: fmt.Sprintf("Transfers expiring within %d days", ExpiresSoonDays), Count: f.TransfersExpiring,
			Hint: fmt.Sprintf("The other partner must act within %d days.", TransferExpiryDays), Permission: PermTransfers, Urgent: true},
		{Card: CardUnclassified, Label: "Subscriptions not yet classified", Count: c.Unclassified(), Permission: PermEditCustomers},
		{Card: CardTermEnds, Label: fmt.Sprintf("Term ends within %d days", TermEndSoonDays), Count: f.TermEndsSoon, Permission: PermInvite, Urgent: true},
		{Card: CardGDAPEnding, Label: fmt.Sprintf("GDAP relationships ending within %d days", GDAPEndingSoonDays), Count: len(f.GDAPEnding),
			Hint: gdapEndingHint(f.GDAPEnding), Permission: PermRequestAdminRoles, Urgent: true},
		{Card: CardUsage, Label: "Azure checklists and transfers in progress", Count: c.UsageInProgress(),
			Hint: "Checklists where CSP and the old subscription coexist, and transfers in progress.", Permission: PermUsageWorkflow},
		refundWindowCard(f),
	}
	for i := range items {
		if items[i].Actionable = role.Allows(items[i].Permission); !items[i].Actionable {
			items[i].NotYours = WhoMay(items[i].Permission) + " act on these."
		}
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

// refundWindowCard lists our CSP purchases that can still be cancelled
// with a prorated refund, with the hours left: a wrong quantity or product
// is cheap to undo only until then.
func refundWindowCard(f DashboardFigures) DashboardItem {
	item := DashboardItem{Card: CardRefundWindow, Label: "Our CSP purchases still inside the 7-day cancellation window",
		Count: f.RefundWindowCount, Permission: PermEditCustomers, Urgent: true,
		Hint: "Check the product and the seats: after 168 hours the whole term is billed."}
	for _, w := range f.RefundWindows {
		p := w.Purchase
		item.Lines = append(item.Lines, DashboardLine{CustomerID: p.CustomerID,
			Text: fmt.Sprintf("%s: %s × %d. %s", w.CustomerName, p.Product, p.Quantity, p.RefundLeft(f.Now))})
	}
	return item
}

// gdapEndingHint says of the ending GDAP relationships how many auto-extend
// and how many end for good, for which a new request is needed ("You can't
// restore expired GDAPs",
// https://learn.microsoft.com/en-us/partner-center/customers/expiring-gdap-relationships-and-auto-extend-gdap).
func gdapEndingHint(ending []GDAPEnding) string {
	if len(ending) == 0 {
		return ""
	}
	extend := 0
	for _, e := range ending {
		if e.Request.AutoExtend {
			extend++
		}
	}
	return fmt.Sprintf("%d auto-extend by %d days; %d end for good and need a new request.", extend, GDAPAutoExtendDays, len(ending)-extend)
}

// DashboardCounts is what the dashboard counts across all customers.
type DashboardCounts struct {
	Relationships             map[RelationshipStatus]int
	RelationshipsExpiringSoon int
	DeclinedRecently          int // requests the customer declined within DeclinedRecentlyDays
	TransfersInProgress       int
	BillingInProgress         int                  // billing transfers sent or approved, not completed
	Subscriptions             CountsByCustomerKind // every subscription
	Coexisting                CountsByCustomerKind // checklists between recording the CSP subscription and cancelling the old one
}

// CountsByCustomerKind holds subscription counts apart for customers that
// are CSP partners, to whom the rules answer differently.
type CountsByCustomerKind struct {
	Others      []ClassCount
	CSPPartners []ClassCount
	Rules       Rules // the partner's, under which the counts are classified
}

// In adds up the counts the rules put in workflow w.
func (c CountsByCustomerKind) In(w Workflow) int {
	return CountIn(w, false, c.Rules, c.Others) + CountIn(w, true, c.Rules, c.CSPPartners)
}

// Unclassified is how many subscriptions still wait for a channel or service
// type, asking the rules as Summarize does.
func (d DashboardCounts) Unclassified() int { return d.Subscriptions.In(WorkflowNeedsClassification) }

// UsageInProgress is how many usage workflows are under way: checklists of
// subscriptions the rules still put in a new CSP subscription, between
// recording it and cancelling the old one, transfers in progress, and
// billing transfers the customer was asked for and that have not completed.
func (d DashboardCounts) UsageInProgress() int {
	return d.Coexisting.In(WorkflowAzureNewSubscription) + d.TransfersInProgress + d.BillingInProgress
}
