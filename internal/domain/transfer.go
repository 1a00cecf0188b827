package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TransferChange is a change of a transfer that the partner records: each
// is allowed from the states From lists. Next decides it; the store runs
// Next in the transaction that writes and keeps the conditional update on
// the state it read as the guard against races.
type TransferChange int

// The changes of a transfer.
const (
	TransferAcceptance   TransferChange = 1 + iota // the other partner accepted: pending → in progress
	TransferCompletion                             // the subscriptions are ours: in progress → complete
	TransferCancellation                           // we withdraw the request: pending → cancelled
	TransferRejection                              // the other partner refused, with a reason: pending → rejected
	TransferIDRecording                            // Microsoft's transfer id recorded while open; the state stays
)

// TransferChanges lists every change of a transfer.
var TransferChanges = []TransferChange{TransferAcceptance, TransferCompletion, TransferCancellation, TransferRejection, TransferIDRecording}

// From lists the states the change is allowed from. A change from pending
// also needs the transfer not to have expired: its effective state must be
// pending. Only the target partner cancels, and only while pending
// (https://learn.microsoft.com/en-us/partner-center/developer/update-a-transfer).
func (c TransferChange) From() []TransferStatus {
	switch c {
	case TransferCompletion:
		return []TransferStatus{TransferInProgress}
	case TransferIDRecording:
		return []TransferStatus{TransferPending, TransferInProgress}
	}
	return []TransferStatus{TransferPending}
}

// TransferExpiryFrom is what a change from stored state st needs of the
// transfer's expiry: a change from pending only while the transfer has not
// expired; a store repeats it in its conditional update.
func TransferExpiryFrom(st TransferStatus) Expiry {
	if st == TransferPending {
		return BeforeExpiry
	}
	return AnyExpiry
}

// To is the state the change leads to from state from.
func (c TransferChange) To(from TransferStatus) TransferStatus {
	switch c {
	case TransferAcceptance:
		return TransferInProgress
	case TransferCompletion:
		return TransferComplete
	case TransferRejection:
		return TransferRejected
	case TransferIDRecording:
		return from
	}
	return TransferCancelled
}

// refused says why a transfer in another state does not allow the change;
// %s is that state.
func (c TransferChange) refused() string {
	switch c {
	case TransferAcceptance:
		return "Only a pending transfer can be marked as accepted by the other partner; this one is %s."
	case TransferCompletion:
		return "Only a transfer in progress can be completed; this one is %s."
	case TransferRejection:
		return "Only a pending transfer can be marked as rejected by the other partner; this one is %s."
	case TransferIDRecording:
		return "Microsoft's transfer id can be recorded only while the transfer is pending or in progress; this one is %s."
	}
	return "A transfer can only be cancelled while pending; this one is %s."
}

// Offered reports whether a list offers change c on a transfer in effective
// state st to a user who may act on transfers (mayAct): exactly when Next
// would allow it.
func (c TransferChange) Offered(st TransferStatus, mayAct bool) bool {
	return mayAct && slices.Contains(c.From(), st)
}

// Next decides change c of the transfer at now: the state it leads to, or a
// ConflictError naming the transfer's effective state, and for an expired
// one what to do instead.
func (t Transfer) Next(c TransferChange, now time.Time) (TransferStatus, error) {
	current := t.Effective(now)
	if slices.Contains(c.From(), current) {
		return c.To(current), nil
	}
	reason := fmt.Sprintf(c.refused(), strings.ToLower(current.Label()))
	if current == TransferExpired {
		reason += " The other partner did not accept it within " + strconv.Itoa(TransferExpiryDays) +
			" days; create a new request if the customer still wants the transfer."
	}
	return "", Conflict(reason)
}

// Lapsed is the refusal of change c because the transfer expired before it,
// with the day it expired; nil when c does not start from pending or the
// transfer has not expired. The service asks it before it checks the date
// of the change, so that a late change is told it is too late rather than
// that its date is wrong; every other state is Next's to refuse.
func (t Transfer) Lapsed(c TransferChange, now time.Time) error {
	if !slices.Contains(c.From(), TransferPending) || t.Effective(now) != TransferExpired {
		return nil
	}
	return Conflict("This transfer request expired on " + t.ExpiresAt.Format(DateLayout) + ": the other partner did not accept it within " +
		strconv.Itoa(TransferExpiryDays) + " days. Create a new request if the customer still wants the transfer.")
}

// ErrTransferNeedsRelationship is why the store refuses a transfer request
// for a customer whose reseller relationship is not active as its
// transaction sees it.
var ErrTransferNeedsRelationship = Conflict("The customer's reseller relationship is not active, so no transfer can be requested.")

// TransferPrerequisite says why no transfer can be requested for a customer
// yet, or "" when one can: a transfer needs the reseller relationship to be
// active. rel is the effective state of the customer's open request or
// active relationship, "" when it has none.
func TransferPrerequisite(rel RelationshipStatus) string {
	switch rel {
	case StatusActive:
		return ""
	case "":
		return "A transfer needs an active reseller relationship with the customer, and none has been requested yet: request it first."
	case StatusPending:
		return "A transfer needs an active reseller relationship with the customer: the invitation is still waiting for the customer's Global admin to accept it."
	case StatusAccepted:
		return "A transfer needs an active reseller relationship with the customer: the customer accepted, and a Global admin or Admin agent must verify it in Partner Center first."
	}
	return "A transfer needs an active reseller relationship with the customer: request a new one, the last request has lapsed."
}

// TransferHoldingStates are the effective states in which a transfer holds
// its subscriptions against a new request: one still open (pending and not
// expired, or in progress) or complete, since the subscription is ours from
// then on.
var TransferHoldingStates = []TransferStatus{TransferPending, TransferInProgress, TransferComplete}

// SubscriptionHeld is the refusal of a new transfer request for subscription
// product, which transfer request transferID, in effective state st (one of
// TransferHoldingStates), already holds: a subscription can be in one open
// transfer at a time, and a transferred one is ours.
func SubscriptionHeld(product string, transferID int64, st TransferStatus) error {
	if st == TransferComplete {
		return Conflict(fmt.Sprintf("%s was already transferred to us by transfer request %d.", product, transferID))
	}
	return Conflict(fmt.Sprintf("%s is already in transfer request %d, which is %s: a subscription can be in one open transfer at a time.",
		product, transferID, strings.ToLower(st.Label())))
}

// SubscriptionGone is the refusal of a new transfer request naming a
// subscription that is not, or no longer, in the customer's inventory.
func SubscriptionGone() error {
	return Conflict("One of the chosen subscriptions is no longer in this customer's inventory. Reload the page and choose again.")
}

// Transferable returns the subscriptions of c, among subs, that can be
// transferred from another partner: those the rules put in workflow
// azure_transfer or licence_transfer, less those a transfer holds (states
// gives each subscription's newest transfer; TransferHoldingStates): one
// still open, or one that brought it to us. Classify decides, so the list
// follows the rules wherever they change.
func Transferable(c Customer, r Rules, subs []Subscription, states map[int64]SubscriptionTransfer) []Subscription {
	var out []Subscription
	for _, sub := range subs {
		w := r.Classify(c, sub).Workflow
		if (w == WorkflowAzureTransfer || w == WorkflowLicenceTransfer) && !slices.Contains(TransferHoldingStates, states[sub.ID].Status) {
			out = append(out, sub)
		}
	}
	return out
}

// CheckChosen checks a request against the subscriptions it chose: a
// licence moves only from the partner it was bought from, so one whose
// recorded partner (its Reference) is not the source partner named is
// refused by name; and what is transferred must name the kinds chosen,
// new-commerce licences for a licence and an Azure product for Azure. The
// first subscription from another partner is the one named.
func (n NewTransfer) CheckChosen(chosen []Subscription) FieldErrors {
	errs := FieldErrors{}
	licences, azure := false, false
	for _, sub := range chosen {
		if sub.ServiceType == ServiceLicence {
			licences = true
		} else {
			azure = true
		}
		ref := strings.TrimSpace(sub.Reference)
		if _, said := errs["other_partner_name"]; !said && ref != "" && n.OtherPartnerName != "" && !strings.EqualFold(ref, n.OtherPartnerName) {
			errs["other_partner_name"] = fmt.Sprintf("%s was bought from %s, not %s: a transfer moves subscriptions from one partner; request the others separately.",
				sub.Product, ref, n.OtherPartnerName)
		}
	}
	hasLicences := slices.Contains(n.Products, ProductNCELicences)
	hasAzure := slices.ContainsFunc(n.Products, TransferProduct.Azure)
	switch {
	case licences && !hasLicences:
		errs["products"] = "A new-commerce licence is chosen: tick New-commerce licences."
	case azure && !hasAzure:
		errs["products"] = "An Azure subscription is chosen: tick what of it is transferred."
	case hasLicences && !licences && len(chosen) > 0:
		errs["products"] = "No new-commerce licence is chosen: untick New-commerce licences."
	}
	return errs
}

// BillingSplit is who bills the customer for what moves, by day: the
// source partner up to and including the transfer date, this partner from
// the day after. Partners document it so (CloudCockpit: "The source partner
// is financially responsible up to the transfer date. The target partner
// assumes responsibility ... from the day after transfer",
// https://cloudcockpit.com/blog/take-control-your-microsoft-csp-transfers);
// for Azure, Microsoft says "Billing and invoicing will move to the future
// partner at time of transfer"
// (https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/azure-plan-subscription-transfer-partners).
type BillingSplit struct {
	SourceUntil time.Time // the last day the source partner bills
	OursFrom    time.Time // the first day we bill
}

// BillingSplitOn is the billing split of a transfer completed on day on.
func BillingSplitOn(on time.Time) BillingSplit {
	d := Day(on)
	return BillingSplit{SourceUntil: d, OursFrom: d.AddDate(0, 0, 1)}
}

// ValidRejection checks the other partner's reason for rejecting a
// transfer: it is required, so that the partner knows what to clear up
// before asking again.
func ValidRejection(reason string) FieldErrors {
	switch r := strings.TrimSpace(reason); {
	case r == "":
		return FieldErrors{"reason": "Enter the reason the other partner gave."}
	case utf8.RuneCountInString(r) > 1000:
		return FieldErrors{"reason": "Use at most 1,000 characters."}
	}
	return nil
}

// NormalizeMicrosoftTransferID puts a typed Microsoft transfer id in
// canonical form and says what is wrong with it, "" when nothing; required
// says an empty one is wrong.
func NormalizeMicrosoftTransferID(id string, required bool) (string, FieldErrors) {
	id = NormalizeTenantID(id)
	if msg := checkMicrosoftTransferID(id, required); msg != "" {
		return id, FieldErrors{"microsoft_transfer_id": msg}
	}
	return id, nil
}
