package domain

import "time"

// This file holds the read models of the licence workflow's pages, as the
// relationships service assembles them: step 4 of a customer, the review
// queue, the outbox and the customer's invitation page, with what a role
// may do on each decided here.

// RelationshipActions are the changes a role may make to a request, as its
// row offers them.
type RelationshipActions struct {
	Resend bool // a new link for a pending request
	Revoke bool // withdraw a pending request
	Review bool // verify by hand or reject an accepted request
	Remove bool // end an active relationship
	// Send is seeing, editing and sending the invitation's message: it
	// carries the link, so whoever may resend the link may send it.
	Send bool
}

// ActionsFor returns the actions r offers role at now: each change the
// state machine allows that the role's permissions cover.
func (r RelationshipRequest) ActionsFor(role Role, now time.Time) RelationshipActions {
	may := func(c RelationshipChange) bool {
		_, err := r.Transition(c, now)
		return err == nil && role.Allows(c.Permission())
	}
	a := RelationshipActions{Resend: may(RelationshipResend), Revoke: may(RelationshipRevoke),
		Review: may(RelationshipVerify) && may(RelationshipReject), Remove: may(RelationshipRemove)}
	a.Send = a.Resend
	return a
}

// RelationshipRow is a request as the review queue and step 4 show it to a
// role: its effective state, the days its link has left while it is pending,
// and the actions the role may take.
type RelationshipRow struct {
	Request     RelationshipRequest
	Status      RelationshipStatus // effective when the row was read
	DaysLeft    int                // days before the link expires, a day begun counting as one; 0 unless pending
	ExpiresSoon bool               // pending, with fewer than ExpiresSoonDays left
	Actions     RelationshipActions
}

// Row returns r as role sees it at now.
func (r RelationshipRequest) Row(role Role, now time.Time) RelationshipRow {
	row := RelationshipRow{Request: r, Status: r.Effective(now), Actions: r.ActionsFor(role, now)}
	if row.Status == StatusPending {
		row.DaysLeft = r.DaysLeft(now)
		row.ExpiresSoon = r.ExpiresAt.Sub(now) < ExpiringSoon
	}
	return row
}

// RelationshipDetail is one request on its own page, as one role sees it:
// the row with its actions, and the attestation the customer gave with it
// (nil when none).
type RelationshipDetail struct {
	Row         RelationshipRow
	Attestation *AttestationRecord
}

// RelationshipStep is step 4 of the walk-through for a customer, as one
// role sees it.
type RelationshipStep struct {
	Overview CustomerOverview
	// USGovernment says the partner is in Microsoft Cloud for US Government,
	// where admin roles must be requested with the relationship.
	USGovernment bool
	Eligible     bool
	Ineligible   string           // why the customer cannot be invited
	Current      *RelationshipRow // the open request or active relationship; nil when none
	// GDAP is the GDAP request of Current; nil when it asks for no admin
	// roles.
	GDAP *GDAPPanel
	// Draft is the unsent message of a pending request, for a role that may
	// send it; nil otherwise.
	Draft       *EmailMessage
	MailEnabled bool // an SMTP server can send drafts from the app
	// NewRequest holds the first values of the form for a new request when
	// the role may invite and nothing is open; nil otherwise.
	NewRequest *InvitationDefaults
	// History is every request of the customer, newest first, each in its
	// effective state.
	History []RelationshipRow
	// Attestation is the Microsoft Customer Agreement attestation the
	// customer gave with Current; nil when none.
	Attestation *AttestationRecord
}

// Declines counts the requests of the history the customer declined: twice
// is a sign to call the customer rather than send a third.
func (s RelationshipStep) Declines() int {
	n := 0
	for _, r := range s.History {
		if r.Status == StatusDeclined {
			n++
		}
	}
	return n
}

// InvitationDefaults are the first values of the form for a new request:
// the customer's Global admin, the partner's default expiry, and the admin
// roles of the template chosen (Microsoft's default duration without one)
// with a display name suggested, when the role may request admin roles.
type InvitationDefaults struct {
	RecipientName  string
	RecipientEmail string
	ExpiryDays     int
	// MarketWarning is MarketWarning for the partner and the customer: ""
	// when both are in one CSP market.
	MarketWarning string
	// MayRequestRoles says the role may ask for admin roles; the rest is
	// set only then.
	MayRequestRoles bool
	Templates       []RoleTemplate
	Template        *RoleTemplate // the one the form starts from; nil for scratch
	GDAP            NewGDAPRequest
}

// RelationshipQueue is one page of the review queue, as one role sees it.
type RelationshipQueue struct {
	Rows   []RelationshipRow
	Total  int                        // requests the filter selects, on every page
	Counts map[RelationshipStatus]int // requests in each effective state
	All    int                        // every request, whatever its state
}

// OutboxPage is one page of the outgoing messages.
type OutboxPage struct {
	Messages    []EmailMessage
	Total       int
	MailEnabled bool // an SMTP server sends queued messages
}

// Invitation is what the customer's page shows for a valid link.
type Invitation struct {
	Partner  Partner
	Customer Customer
	Request  RelationshipRequest
	// GDAP is the admin roles request the page shows: see
	// GDAPRequest.ForCustomer.
	GDAP *GDAPRequest
}
