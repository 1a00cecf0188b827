package domain

import "time"

// This file holds the state machine of a relationship request (DESIGN §4)
// and the rule of its outbox drafts: which change is allowed from which
// state, and the conflict that says why when it is not. The store reads the
// row in its transaction, asks here, and keeps its conditional update on the
// state it read as the guard against races.

// RelationshipChange is one change of a relationship request's state: by
// partner staff, by the customer's answer, or by the clock.
type RelationshipChange string

// The changes of a relationship request.
const (
	RelationshipResend RelationshipChange = "resend" // staff send a new link; the request stays pending
	RelationshipRevoke RelationshipChange = "revoke" // staff withdraw the request
	// RelationshipVerify is staff confirming, by hand or from Partner
	// Center's customer export, that an accepted request is a reseller
	// relationship at Microsoft (DESIGN §4: "accepted" is not "active").
	RelationshipVerify RelationshipChange = "verify"
	// RelationshipVerifyPending is Partner Center's customer export showing a
	// relationship the customer made at Microsoft before answering in the
	// app: only an export makes it, never a person by hand.
	RelationshipVerifyPending RelationshipChange = "verify-pending"
	RelationshipReject        RelationshipChange = "reject"  // staff refuse the customer's acceptance
	RelationshipRemove        RelationshipChange = "remove"  // a Global admin ends an active relationship
	RelationshipAccept        RelationshipChange = "accept"  // the customer accepts through the link
	RelationshipDecline       RelationshipChange = "decline" // the customer declines through the link
	RelationshipExpire        RelationshipChange = "expire"  // the expiry of a request nobody answered is written down
)

// MessagesEnded is why change c of a pending request withdraws its unsent
// messages, whose link dies with it, as the outbox shows it.
func (c RelationshipChange) MessagesEnded() string {
	switch c {
	case RelationshipAccept:
		return "Not needed any more: the customer accepted the invitation."
	case RelationshipDecline:
		return "Not needed any more: the customer declined the invitation."
	case RelationshipResend:
		return "Replaced by the message with the new link."
	case RelationshipRevoke:
		return "Withdrawn: the request was revoked, and its link no longer works."
	case RelationshipExpire:
		return "The link expired before the message was sent."
	case RelationshipVerify, RelationshipVerifyPending:
		return "Not needed any more: the relationship was found in Partner Center."
	}
	return "Its link no longer works."
}

// Expiry is what a change needs of the expiry of a request or a transfer.
type Expiry int

// What a change needs of the expiry.
const (
	AnyExpiry    Expiry = iota // the expiry does not matter
	BeforeExpiry               // only while the request has not expired
	AfterExpiry                // only once the request has expired
)

// Holds reports whether a request or transfer expiring at expiresAt meets e
// at now. It expires at its expiry time, not after it.
func (e Expiry) Holds(expiresAt, now time.Time) bool {
	switch e {
	case BeforeExpiry:
		return now.Before(expiresAt)
	case AfterExpiry:
		return !now.Before(expiresAt)
	}
	return true
}

// relationshipRule is when a change is allowed and what it leads to.
type relationshipRule struct {
	from   RelationshipStatus
	to     RelationshipStatus
	expiry Expiry
	// perm is what partner staff need to make the change; empty for the
	// customer's and the clock's changes.
	perm    Permission
	refused string
}

// The refusals that several changes share.
const (
	refusedWaiting  = "Only an invitation still waiting for the customer can be answered."
	refusedAccepted = "Only a request the customer has accepted can be verified or rejected."
)

var relationshipRules = map[RelationshipChange]relationshipRule{
	RelationshipResend: {StatusPending, StatusPending, BeforeExpiry, PermInvite,
		"Only an invitation still waiting for the customer can be sent again."},
	RelationshipRevoke: {StatusPending, StatusRevoked, BeforeExpiry, PermInvite,
		"Only an invitation still waiting for the customer can be revoked."},
	RelationshipVerify: {StatusAccepted, StatusActive, AnyExpiry, PermReviewRelationships, refusedAccepted},
	RelationshipVerifyPending: {StatusPending, StatusActive, BeforeExpiry, PermReviewRelationships,
		"Only an invitation still waiting for the customer can be verified from a Partner Center export."},
	RelationshipReject:  {StatusAccepted, StatusRejected, AnyExpiry, PermReviewRelationships, refusedAccepted},
	RelationshipRemove:  {StatusActive, StatusRemoved, AnyExpiry, PermRemoveRelationship, "Only an active relationship can be removed."},
	RelationshipAccept:  {StatusPending, StatusAccepted, BeforeExpiry, "", refusedWaiting},
	RelationshipDecline: {StatusPending, StatusDeclined, BeforeExpiry, "", refusedWaiting},
	RelationshipExpire: {StatusPending, StatusExpired, AfterExpiry, "",
		"Only an invitation still waiting for the customer past its expiry can be written down as expired."},
}

// From is the one state, as stored, that c may start from.
func (c RelationshipChange) From() RelationshipStatus { return relationshipRules[c].from }

// Expiry is what c needs of the request's expiry; a store repeats it in its
// conditional update.
func (c RelationshipChange) Expiry() Expiry { return relationshipRules[c].expiry }

// Permission is what partner staff need to make c; empty for the changes
// the customer or the clock make.
func (c RelationshipChange) Permission() Permission { return relationshipRules[c].perm }

// Refused is the conflict of c refused, with the message for the user. A
// store whose conditional update lost a race returns it too, so the loser
// reads what a refusal says.
func (c RelationshipChange) Refused() error { return Conflict(relationshipRules[c].refused) }

// Transition decides whether c may happen to r at now and returns the state
// r moves to, or the ConflictError saying why not. Resend, revoke and an
// export's verification of a request not yet answered need a pending request
// that has not expired, verify and reject an accepted one, remove an active
// one; the customer may accept or decline only a pending request that has not
// expired, and only such a request past its expiry expires.
func (r RelationshipRequest) Transition(c RelationshipChange, now time.Time) (RelationshipStatus, error) {
	rule := relationshipRules[c]
	if r.Status != rule.from || !rule.expiry.Holds(r.ExpiresAt, now) {
		return r.Status, c.Refused()
	}
	return rule.to, nil
}

// ErrRelationshipOpen refuses a new request for a customer that has one
// waiting or in force.
var ErrRelationshipOpen = Conflict("This customer already has an open request or an active relationship: revoke or end it before sending a new one.")

// CanRequestRelationship decides whether a new request may be made for a
// customer whose open request or active relationship is open (nil when it
// has none): not while that one is waiting or in force at now. A pending
// request past its expiry no longer counts.
func CanRequestRelationship(open *RelationshipRequest, now time.Time) error {
	if open != nil && open.Effective(now).Open() {
		return ErrRelationshipOpen
	}
	return nil
}

// DraftChange is a change partner staff make to the unsent message of an
// invitation.
type DraftChange string

// The changes of a draft.
const (
	DraftEdit       DraftChange = "edit"         // new subject and body; it stays a draft
	DraftQueue      DraftChange = "queue"        // handed to the SMTP sender
	DraftSentByHand DraftChange = "sent-by-hand" // staff sent it themselves
)

// ErrMessageNotDraft refuses a change to a message that is no longer a
// draft.
var ErrMessageNotDraft = Conflict("This message has already been sent or withdrawn.")

// DraftTransition decides whether c may happen to a message in state s and
// returns the state it moves to: only a draft can be edited, queued or
// marked as sent by hand; anything else is ErrMessageNotDraft.
func (s MessageStatus) DraftTransition(c DraftChange) (MessageStatus, error) {
	if s != MessageDraft {
		return s, ErrMessageNotDraft
	}
	switch c {
	case DraftEdit:
		return MessageDraft, nil
	case DraftQueue:
		return MessageQueued, nil
	case DraftSentByHand:
		return MessageSent, nil
	}
	return s, ErrMessageNotDraft
}

// DeliveryChange is what happens to an outbox message between the SMTP
// sender and partner staff once it has left the draft stage.
type DeliveryChange string

// The changes of a message handed to the sender.
const (
	DeliveryDone      DeliveryChange = "delivered"  // the server accepted it
	DeliveryRetry     DeliveryChange = "retry"      // it failed for now (4xx, network): try again later
	DeliveryGiveUp    DeliveryChange = "give-up"    // refused for good (5xx) or out of retries
	DeliverySendAgain DeliveryChange = "send-again" // staff hand a failed message to the sender again
)

// ErrMessageNotQueued refuses the sender's report on a message that is no
// longer waiting to be sent (sent by hand, withdrawn, or reported twice).
var ErrMessageNotQueued = Conflict("This message is no longer waiting to be sent.")

// ErrMessageNotFailed refuses to send again a message whose delivery has
// not failed.
var ErrMessageNotFailed = Conflict("Only a message whose delivery failed can be sent again.")

// deliveryOutcomes are the states the sender's reports lead to.
var deliveryOutcomes = map[DeliveryChange]MessageStatus{DeliveryDone: MessageSent, DeliveryRetry: MessageQueued, DeliveryGiveUp: MessageFailed}

// Refused is the conflict of c refused, with the message for the user; a
// store whose conditional update lost a race returns it too.
func (c DeliveryChange) Refused() error {
	if c == DeliverySendAgain {
		return ErrMessageNotFailed
	}
	return ErrMessageNotQueued
}

// DeliveryTransition decides whether c may happen to a message in state s
// and returns the state it moves to: the sender's outcomes (delivered,
// retry, give up) apply only to a queued message, and only a failed message
// can be sent again; anything else is c.Refused().
func (s MessageStatus) DeliveryTransition(c DeliveryChange) (MessageStatus, error) {
	switch {
	case c == DeliverySendAgain && s == MessageFailed:
		return MessageQueued, nil
	case c != DeliverySendAgain && s == MessageQueued:
		if to, ok := deliveryOutcomes[c]; ok {
			return to, nil
		}
	}
	return s, c.Refused()
}

// CanSendAgain reports whether staff may hand a message in state s back to
// the sender, for the outbox to offer it.
func (s MessageStatus) CanSendAgain() bool {
	_, err := s.DeliveryTransition(DeliverySendAgain)
	return err == nil
}
