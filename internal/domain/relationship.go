package domain

import (
	"maps"
	"math"
	"regexp"
	"strings"
	"time"
)

// RelationshipStatus is where a reseller relationship request stands
// (DESIGN §4).
type RelationshipStatus string

// The states of a relationship request. Expired is computed for a pending
// request past its expiry, so no background job is needed.
const (
	StatusPending  RelationshipStatus = "pending"  // sent, waiting for the customer
	StatusAccepted RelationshipStatus = "accepted" // the customer answered yes; waiting for verification in Partner Center
	StatusActive   RelationshipStatus = "active"   // verified in Partner Center: the partner is the customer's reseller
	StatusDeclined RelationshipStatus = "declined" // the customer declined
	StatusRejected RelationshipStatus = "rejected" // an admin rejected the acceptance
	StatusRevoked  RelationshipStatus = "revoked"  // the partner withdrew the request
	StatusExpired  RelationshipStatus = "expired"  // nobody answered in time
	StatusRemoved  RelationshipStatus = "removed"  // a Global admin ended an active relationship
)

// RelationshipStatuses lists the states in the order the review queue offers them.
var RelationshipStatuses = []RelationshipStatus{StatusPending, StatusAccepted, StatusActive, StatusDeclined,
	StatusRejected, StatusRevoked, StatusExpired, StatusRemoved}

// Label is the state's name in the review queue.
func (s RelationshipStatus) Label() string {
	switch s {
	case StatusPending:
		return "Awaiting customer"
	case StatusAccepted:
		return "Awaiting verification"
	case StatusActive:
		return "Active"
	case StatusDeclined:
		return "Declined"
	case StatusRejected:
		return "Rejected"
	case StatusRevoked:
		return "Revoked"
	case StatusExpired:
		return "Expired"
	case StatusRemoved:
		return "Removed"
	}
	return string(s)
}

// Open reports whether a request in this state blocks a new one for its
// customer: it is still waiting, or the relationship is in force.
func (s RelationshipStatus) Open() bool {
	return s == StatusPending || s == StatusAccepted || s == StatusActive
}

// Limits on the app's invitation links.
const (
	DefaultInviteDays = 30
	MaxInviteDays     = 90
)

// RelationshipRequest is one request to become a customer's reseller, sent
// as an invitation link its Global admin accepts.
type RelationshipRequest struct {
	ID             int64
	CustomerID     int64
	CustomerName   string
	Status         RelationshipStatus // as stored; see Effective
	RecipientName  string
	RecipientEmail string
	GDAP           *GDAPRequest // the admin roles asked with it; nil for none
	CreatedBy      int64
	CreatedByName  string
	CreatedAt      time.Time
	ExpiresAt      time.Time
	SentCount      int
	AcceptedName   string
	AcceptedEmail  string
	AnsweredAt     *time.Time
	ReviewedByName string // who verified (by hand or with an export) or rejected it
	ReviewedAt     *time.Time
	// VerifiedExportOn is the day of the Partner Center customer export that
	// verified the request; nil when a person verified it by hand, or when
	// it is not verified.
	VerifiedExportOn *time.Time
	EndedByName      string
	EndedAt          *time.Time
	Reason           string
}

// Effective is the request's state at time now: a pending request past its
// expiry is expired even before anything writes it down.
func (r RelationshipRequest) Effective(now time.Time) RelationshipStatus {
	if to, err := r.Transition(RelationshipExpire, now); err == nil {
		return to
	}
	return r.Status
}

// VerifiedByHand is what a person verifying a request by hand states, as
// the audit log records it.
const VerifiedByHand = "Seen with a reseller relationship in Partner Center's customer list"

// Verification says how the relationship was verified in Partner Center,
// for its history: "Verified by {who} on {date}" by hand, "Verified from the
// Partner Center export of {date}" from an export; empty when it was not. A
// rejected request was reviewed but never verified; a removed one was active,
// so it was.
func (r RelationshipRequest) Verification() string {
	switch {
	case r.VerifiedExportOn != nil:
		return "Verified from the Partner Center export of " + r.VerifiedExportOn.Format(DateLayout)
	case r.ReviewedAt != nil && (r.Status == StatusActive || r.Status == StatusRemoved):
		return "Verified by " + r.ReviewedByName + " on " + r.ReviewedAt.Format(DateLayout)
	}
	return ""
}

// DaysLeft is how many days remain before the request expires, a day
// begun counting as one: a 30-day link shows 30 days left when it is made,
// and 1 on its last day; 0 once it has expired.
func (r RelationshipRequest) DaysLeft(now time.Time) int {
	return max(0, int(math.Ceil(r.ExpiresAt.Sub(now).Hours()/24)))
}

// NewRelationshipRequest is what the partner fills in to invite a customer.
type NewRelationshipRequest struct {
	CustomerID     int64
	RecipientName  string
	RecipientEmail string
	ExpiryDays     int
	GDAP           *NewGDAPRequest // admin roles to ask for with it; nil for none
	// OutsideMarketOK is the user's tick to go on with a customer outside
	// the partner's CSP market (CheckMarket).
	OutsideMarketOK bool
}

// Normalize trims the recipient and puts the e-mail address and the GDAP
// request in canonical form; a GDAP request without roles is none.
func (n NewRelationshipRequest) Normalize() NewRelationshipRequest {
	n.RecipientName = strings.TrimSpace(n.RecipientName)
	if email, err := NormalizeEmail(n.RecipientEmail); err == nil {
		n.RecipientEmail = email
	}
	if n.GDAP != nil {
		g := n.GDAP.Normalize()
		n.GDAP = &g
		if len(g.Roles) == 0 {
			n.GDAP = nil
		}
	}
	return n
}

// Validate checks a normalised request made by role against the partner's
// cloud: US Government customers must be asked for admin roles with the
// relationship, and the GDAP request follows its own rules.
func (n NewRelationshipRequest) Validate(cloud Cloud, role Role) FieldErrors {
	errs := FieldErrors{}
	if n.RecipientName == "" {
		errs["recipient_name"] = "Enter the name of the customer's Global admin."
	}
	if _, err := NormalizeEmail(n.RecipientEmail); err != nil {
		errs["recipient_email"] = "Enter the Global admin's e-mail address."
	}
	if n.ExpiryDays < 1 || n.ExpiryDays > MaxInviteDays {
		errs["expiry_days"] = "The invitation can stay open 1 to 90 days."
	}
	if n.GDAP != nil {
		maps.Copy(errs, n.GDAP.Validate(role))
	} else if cloud == CloudUSGovernment {
		errs["admin_roles"] = "For Microsoft Cloud for US Government, admin roles must be requested with the relationship."
	}
	return errs
}

// RelationshipEligibility says whether a customer can be invited, and why not.
func RelationshipEligibility(c Customer, plan Plan) (bool, string) {
	if c.IsCSPPartner {
		return false, "This customer is itself a CSP partner buying through its CSP transaction tenant, and a CSP partner cannot resell online services to another CSP partner."
	}
	for _, g := range plan.Groups {
		switch g.Workflow {
		case WorkflowResellerRelationship, WorkflowWaitTermEnd, WorkflowAzureTransfer:
			return true, ""
		}
	}
	return false, "None of this customer's subscriptions needs a reseller relationship yet: classify them first, or add the licence-based ones."
}

// ListFilter selects relationship requests or transfers by their effective
// state, as the review queue and the transfers list offer, one page at a
// time.
type ListFilter[S ~string] struct {
	Status S // effective state; empty for all
	// ExpiringWithin, when set, keeps only pending ones that expire within
	// that time, whatever Status says.
	ExpiringWithin time.Duration
	Page           Page
}

// TotalIn is how many the filter's list holds, from the counts of every
// effective state (TotalOf); false for the ones expiring within a time,
// which the counts by state do not tell.
func (f ListFilter[S]) TotalIn(counts map[S]int) (int, bool) {
	if f.ExpiringWithin > 0 {
		return 0, false
	}
	return TotalOf(counts, f.Status), true
}

// TotalOf is the count of state among counts by state, or of every state
// when state is empty: a list tab's total.
func TotalOf[S ~string](counts map[S]int, state S) int {
	if state != "" {
		return counts[state]
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	return total
}

// RelationshipFilter selects requests for the review queue.
type RelationshipFilter = ListFilter[RelationshipStatus]

// ConflictError is a change refused because the thing is not in a state that
// allows it; Reason says why in words for the user.
type ConflictError struct{ Reason string }

func (e *ConflictError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrConflict) true for every ConflictError.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Conflict returns a ConflictError with reason.
func Conflict(reason string) error { return &ConflictError{Reason: reason} }

// ErrNoMailServer refuses to send a draft from the app when no SMTP server
// is configured.
var ErrNoMailServer = Conflict("No SMTP server is configured: copy the message, or open it in your mail program.")

// MessageStatus is where a message of the outbox stands.
type MessageStatus string

// The states of an outbox message.
const (
	MessageDraft     MessageStatus = "draft"     // waits for staff to send it, from the app or by hand
	MessageQueued    MessageStatus = "queued"    // handed to the SMTP sender
	MessageSent      MessageStatus = "sent"      // delivered, or sent by hand
	MessageCancelled MessageStatus = "cancelled" // withdrawn: its link died
	// MessageFailed is a message the SMTP sender gave up on: the server
	// refused it for good (a 5xx reply) or kept failing until the retry
	// limit. LastError holds the reason; staff can send it again.
	MessageFailed MessageStatus = "failed"
)

// Label names a message's state for people.
func (s MessageStatus) Label() string {
	switch s {
	case MessageDraft:
		return "Draft: not sent yet"
	case MessageQueued:
		return "Queued for sending"
	case MessageSent:
		return "Sent"
	case MessageCancelled:
		return "Withdrawn"
	case MessageFailed:
		return "Failed"
	}
	return string(s)
}

// PasswordMessageEnded is why the unsent messages of a password link are
// withdrawn once the link set the password.
const PasswordMessageEnded = "Not needed any more: the password was set with its link."

// EmailMessage is one message of the outbox. SentAt is set once it is sent,
// and NextAttemptAt once a delivery has failed (nil means "as soon as
// possible").
type EmailMessage struct {
	ID             int64
	RelationshipID int64
	CustomerID     int64 // of the relationship request, when there is one
	To             string
	Subject        string
	Body           string
	Status         MessageStatus
	Attempts       int
	LastError      string
	CreatedAt      time.Time
	SentAt         *time.Time
	NextAttemptAt  *time.Time
	Version        Version // of the subject and body staff edit while it is a draft
	// StatusReason says why a withdrawn message was withdrawn; empty for
	// one withdrawn before the reason was kept (see Why).
	StatusReason string
}

// Why says why the message stands where it does, for the outbox: the
// reason of a withdrawn one, the server's last refusal of one that failed
// or waits to be tried again, "" otherwise.
func (m EmailMessage) Why() string {
	switch {
	case m.Status == MessageCancelled && m.StatusReason != "":
		return m.StatusReason
	case m.Status == MessageCancelled:
		return "Its link no longer works."
	case m.Status == MessageFailed || m.Status == MessageQueued:
		return m.LastError
	}
	return ""
}

// invitationLink matches an invitation or password link with its token,
// wherever the app is served.
var invitationLink = regexp.MustCompile(`https?://\S*/(invite|password)/[A-Za-z0-9_-]{20,}`)

// ScrubInvitationLinks replaces every invitation or password link in text,
// so that a delivered or cancelled message keeps no token.
func ScrubInvitationLinks(text string) string {
	return invitationLink.ReplaceAllString(text, "[invitation link removed]")
}

// NewInvitation is a request to store with the hash of its token and the
// draft of the message that carries the link.
type NewInvitation struct {
	Request   NewRelationshipRequest
	TokenHash []byte
	ExpiresAt time.Time
	Draft     EmailMessage
}

// InvitationAnswer is the customer's reply to an invitation.
type InvitationAnswer struct {
	Accept   bool
	Name     string
	Email    string
	ClientIP string
	// Attestation is the customer's Microsoft Customer Agreement
	// attestation, stored with an acceptance, its date the answer's; nil
	// when none is given (a decline, or US Government).
	Attestation *Attestation
}
