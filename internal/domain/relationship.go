package domain

import (
	"regexp"
	"slices"
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
		return "Awaiting review"
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

// AdminRole is a Microsoft Entra built-in role a partner may ask for with a
// relationship (granular delegated admin privileges).
type AdminRole string

// The Entra roles offered.
const (
	RoleDirectoryReaders            AdminRole = "directory_readers"
	RoleGlobalReader                AdminRole = "global_reader"
	RoleLicenseAdministrator        AdminRole = "license_administrator"
	RoleUserAdministrator           AdminRole = "user_administrator"
	RoleHelpdeskAdministrator       AdminRole = "helpdesk_administrator"
	RoleServiceSupportAdministrator AdminRole = "service_support_administrator"
	RoleExchangeAdministrator       AdminRole = "exchange_administrator"
	RoleSharePointAdministrator     AdminRole = "sharepoint_administrator"
	RoleTeamsAdministrator          AdminRole = "teams_administrator"
	RoleGlobalAdministrator         AdminRole = "global_administrator"
)

// AdminRoles lists the Entra roles in the order they are offered.
var AdminRoles = []AdminRole{RoleDirectoryReaders, RoleGlobalReader, RoleLicenseAdministrator, RoleUserAdministrator,
	RoleHelpdeskAdministrator, RoleServiceSupportAdministrator, RoleExchangeAdministrator, RoleSharePointAdministrator,
	RoleTeamsAdministrator, RoleGlobalAdministrator}

// Label is the role's name in Microsoft Entra.
func (r AdminRole) Label() string {
	switch r {
	case RoleDirectoryReaders:
		return "Directory Readers"
	case RoleGlobalReader:
		return "Global Reader"
	case RoleLicenseAdministrator:
		return "License Administrator"
	case RoleUserAdministrator:
		return "User Administrator"
	case RoleHelpdeskAdministrator:
		return "Helpdesk Administrator"
	case RoleServiceSupportAdministrator:
		return "Service Support Administrator"
	case RoleExchangeAdministrator:
		return "Exchange Administrator"
	case RoleSharePointAdministrator:
		return "SharePoint Administrator"
	case RoleTeamsAdministrator:
		return "Teams Administrator"
	case RoleGlobalAdministrator:
		return "Global Administrator"
	}
	return string(r)
}

// Limits on relationship requests, from Partner Center's rules for GDAP.
const (
	DefaultInviteDays = 30
	MaxInviteDays     = 90
	DefaultAdminDays  = 730
	MaxAdminDays      = 730 // two years
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
	AdminRoles     []AdminRole
	AdminDays      int
	AutoExtend     bool
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

// DaysLeft is how many whole days remain before the request expires.
func (r RelationshipRequest) DaysLeft(now time.Time) int {
	return int(r.ExpiresAt.Sub(now).Hours() / 24)
}

// NewRelationshipRequest is what the partner fills in to invite a customer.
type NewRelationshipRequest struct {
	CustomerID     int64
	RecipientName  string
	RecipientEmail string
	ExpiryDays     int
	AdminRoles     []AdminRole
	AdminDays      int
	AutoExtend     bool
	// OutsideMarketOK is the user's tick to go on with a customer outside
	// the partner's CSP market (CheckMarket).
	OutsideMarketOK bool
}

// Normalize trims the recipient and puts the e-mail address and the roles in
// canonical form (known order, no repeats).
func (n NewRelationshipRequest) Normalize() NewRelationshipRequest {
	n.RecipientName = strings.TrimSpace(n.RecipientName)
	if email, err := NormalizeEmail(n.RecipientEmail); err == nil {
		n.RecipientEmail = email
	}
	var roles []AdminRole
	for _, r := range AdminRoles {
		if slices.Contains(n.AdminRoles, r) {
			roles = append(roles, r)
		}
	}
	for _, r := range n.AdminRoles {
		if !slices.Contains(AdminRoles, r) && !slices.Contains(roles, r) {
			roles = append(roles, r) // kept so that Validate reports it
		}
	}
	n.AdminRoles = roles
	if len(roles) == 0 {
		n.AdminDays, n.AutoExtend = 0, false
	}
	return n
}

// Validate checks a normalised request against the partner's cloud: US
// Government customers must be asked for admin roles with the relationship.
func (n NewRelationshipRequest) Validate(cloud Cloud) FieldErrors {
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
	for _, r := range n.AdminRoles {
		if !slices.Contains(AdminRoles, r) {
			errs["admin_roles"] = "Choose roles from the list."
		}
	}
	if len(n.AdminRoles) > 0 {
		if n.AdminDays < 1 || n.AdminDays > MaxAdminDays {
			errs["admin_days"] = "Admin roles can be granted for 1 to 730 days."
		}
		if n.AutoExtend && slices.Contains(n.AdminRoles, RoleGlobalAdministrator) {
			errs["auto_extend"] = "Auto-extend is not allowed when Global Administrator is among the roles."
		}
	}
	if cloud == CloudUSGovernment && len(n.AdminRoles) == 0 {
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
