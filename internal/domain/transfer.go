package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TransferChange is a change of a transfer's state that the partner records:
// each is allowed from one state only. Next decides it; the store runs Next
// in the transaction that writes and keeps the conditional update on From as
// the guard against races.
type TransferChange int

// The changes of a transfer's state.
const (
	TransferAcceptance   TransferChange = 1 + iota // the other partner accepted: pending → in progress
	TransferCompletion                             // the subscriptions are ours: in progress → complete
	TransferCancellation                           // we withdraw the request: pending → cancelled
)

// From is the one state the change is allowed from. A change from pending
// also needs the transfer not to have expired: its effective state must be
// pending.
func (c TransferChange) From() TransferStatus {
	if c == TransferCompletion {
		return TransferInProgress
	}
	return TransferPending
}

// Expiry is what c needs of the transfer's expiry: a change from pending
// only while the transfer has not expired; a store repeats it in its
// conditional update.
func (c TransferChange) Expiry() Expiry {
	if c.From() == TransferPending {
		return BeforeExpiry
	}
	return AnyExpiry
}

// To is the state the change leads to.
func (c TransferChange) To() TransferStatus {
	switch c {
	case TransferAcceptance:
		return TransferInProgress
	case TransferCompletion:
		return TransferComplete
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
	}
	return "A transfer can only be cancelled while pending; this one is %s."
}

// Offered reports whether a list offers change c on a transfer in effective
// state st to a user who may act on transfers (mayAct): exactly when Next
// would allow it.
func (c TransferChange) Offered(st TransferStatus, mayAct bool) bool {
	return mayAct && st == c.From()
}

// Next decides change c of the transfer at now: the state it leads to, or a
// ConflictError naming the transfer's effective state, and for an expired
// one what to do instead.
func (t Transfer) Next(c TransferChange, now time.Time) (TransferStatus, error) {
	current := t.Effective(now)
	if current == c.From() {
		return c.To(), nil
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
	if c.From() != TransferPending || t.Effective(now) != TransferExpired {
		return nil
	}
	return Conflict("This transfer request expired on " + t.ExpiresAt.Format("2 January 2006") + ": the other partner did not accept it within " +
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
// azure_transfer, less those a transfer already brought to us (states gives
// each subscription's newest transfer). Classify decides, so the list
// follows the rules wherever they change.
func Transferable(c Customer, r Rules, subs []Subscription, states map[int64]TransferStatus) []Subscription {
	var out []Subscription
	for _, sub := range subs {
		if r.Classify(c, sub).Workflow == WorkflowAzureTransfer &&
			states[sub.ID] != TransferComplete {
			out = append(out, sub)
		}
	}
	return out
}
