package domain

import (
	"slices"
	"time"
)

// TransferRow is a transfer as a list shows it: its effective state and the
// changes the user may record on it there.
type TransferRow struct {
	Transfer Transfer
	Status   TransferStatus // effective: a pending one past its 30 days is expired
	DaysLeft int            // whole days the other partner still has to act; meaningful while pending
	// ExpiresSoon says a pending transfer has fewer than ExpiresSoonDays left.
	ExpiresSoon bool
	// CanAccept, CanComplete, CanCancel, CanReject and CanRecordID say
	// which changes the row offers.
	CanAccept   bool
	CanComplete bool
	CanCancel   bool
	CanReject   bool
	CanRecordID bool
	// Billing is who bills what, by day, once the transfer is complete; nil
	// before.
	Billing *BillingSplit
}

// NewTransferRow is transfer t as a list shows it at now, to a user who may
// act on transfers (mayAct) or not: a row offers the changes the state
// machine allows in its effective state.
func NewTransferRow(t Transfer, now time.Time, mayAct bool) TransferRow {
	st := t.Effective(now)
	days := t.DaysLeft(now)
	return TransferRow{Transfer: t, Status: st, DaysLeft: days, ExpiresSoon: st == TransferPending && days < ExpiresSoonDays,
		CanAccept:   TransferAcceptance.Offered(st, mayAct),
		CanComplete: TransferCompletion.Offered(st, mayAct),
		CanCancel:   TransferCancellation.Offered(st, mayAct),
		CanReject:   TransferRejection.Offered(st, mayAct),
		CanRecordID: TransferIDRecording.Offered(st, mayAct),
		Billing:     t.Billing(now)}
}

// Billing is the billing split of a transfer complete at now, on the day
// it completed; nil while it is not complete.
func (t Transfer) Billing(now time.Time) *BillingSplit {
	if t.Effective(now) != TransferComplete || t.CompletedOn == nil {
		return nil
	}
	b := BillingSplitOn(*t.CompletedOn)
	return &b
}

// Licences reports whether the transfer carries new-commerce licences.
func (t Transfer) Licences() bool { return slices.Contains(t.Products, ProductNCELicences) }

// TransferDetail is one transfer on its own page, as one role sees it:
// its customer's overview, the transfer at Now with the changes the role
// may record, and the customer's subscriptions named by id (a removed one
// is missing).
type TransferDetail struct {
	Overview CustomerOverview
	Now      time.Time
	Row      TransferRow
	Products map[int64]string
}

// TransfersPage is a customer's transfers page: one page of its transfer
// requests, newest first, and, for a role that may act on transfers, what
// requesting one needs.
type TransfersPage struct {
	Overview CustomerOverview
	// Now is when the page was read: the rows' states and days left are at
	// this time, and the date fields offer its day.
	Now   time.Time
	Rows  []TransferRow
	Total int
	Page  Page
	// Products names the customer's subscriptions by id, for the
	// subscriptions of each transfer; a removed one is missing.
	Products map[int64]string
	// MayAct is whether the role may create and change transfers; the
	// fields below are read only when it may.
	MayAct bool
	// Blocked says why no transfer can be requested yet (TransferPrerequisite);
	// empty when one can.
	Blocked string
	// Candidates are the subscriptions a new request may ask for
	// (Transferable).
	Candidates []Subscription
	// ResellerRequired says the partner is an indirect provider, so a
	// request names the indirect reseller's PartnerID; read only when a
	// request can be made.
	ResellerRequired bool
	// Provider names the indirect provider that submits our transfers in
	// Partner Center when we are an indirect reseller ("Indirect resellers
	// need to work with their indirect providers":
	// https://learn.microsoft.com/en-us/partner-center/customers/transfer-azure-subscriptions-under-azure-plan);
	// ByProvider says we are one, so a request records who there
	// submitted it.
	ByProvider bool
	Provider   string
}

// CanRequest reports whether the page offers the form to request a
// transfer: the role may, the relationship allows it, and there is
// something to transfer.
func (p TransfersPage) CanRequest() bool { return p.MayAct && p.Blocked == "" && len(p.Candidates) > 0 }

// Proposal is the request the form starts from: the other partner's name
// from the first candidate that records it, the customer's admin as the
// contact, an Azure subscription as what moves when a candidate is Azure
// and new-commerce licences when one is a licence, and the only candidate
// chosen when there is just one.
func (p TransfersPage) Proposal() NewTransfer {
	n := NewTransfer{CustomerID: p.Overview.Customer.ID, ContactEmail: p.Overview.Customer.AdminEmail}
	if slices.ContainsFunc(p.Candidates, func(s Subscription) bool { return s.ServiceType != ServiceLicence }) {
		n.Products = append(n.Products, ProductAzureSubscription)
	}
	if slices.ContainsFunc(p.Candidates, func(s Subscription) bool { return s.ServiceType == ServiceLicence }) {
		n.Products = append(n.Products, ProductNCELicences)
	}
	for _, sub := range p.Candidates {
		if sub.Reference != "" {
			n.OtherPartnerName = sub.Reference
			break
		}
	}
	if len(p.Candidates) == 1 {
		n.SubscriptionIDs = []int64{p.Candidates[0].ID}
	}
	return n
}

// TransferList is one page of transfers across customers, as the
// dashboard's cards open it, each in its effective state.
type TransferList struct {
	Rows  []TransferRow
	Total int
}
