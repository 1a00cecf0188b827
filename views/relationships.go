package views

// RelationshipPage is step 4 for a customer: the current request or
// relationship, its invitation e-mail, and the form for a new request.
type RelationshipPage struct {
	Header     CustomerHeader
	Eligible   bool
	Ineligible string // why the customer cannot be invited
	Current    *RelationshipRow
	GDAP       *GDAPPanel // the admin roles of Current; nil for none
	Draft      *DraftView
	Form       *InviteForm // nil when a request is open
	USGov      bool
	// History is every request of the customer, newest first; Declines
	// counts those it declined.
	History  []RelationshipRow
	Declines int
}

// DraftView is the unsent invitation e-mail and what can be done with it.
type DraftView struct {
	RelationshipID int64
	To             string
	Subject        string
	Body           string
	Link           string
	Mailto         string
	Queued         bool // handed to the SMTP sender: no longer editable
	LastError      string
	MailEnabled    bool
	Errors         map[string]string
	Stale          *StaleNotice // someone saved the draft, or the request was resent, after the form was filled
	MessageID      int64        // the draft the form edits
	Version        int64        // of that draft
	Back           string
}

// InviteForm creates a relationship request.
type InviteForm struct {
	Action         string
	RecipientName  string
	RecipientEmail string
	ExpiryDays     string
	// MayRequestRoles says the user's role may ask for admin roles (GDAP);
	// the fields below are shown only then.
	MayRequestRoles bool
	Templates       []Choice // the role templates to start from, the chosen one selected
	TemplateID      string   // the template the form started from; empty for scratch
	GDAPName        string
	Roles           []RoleOption
	AdminDays       string
	AutoExtend      bool
	Errors          map[string]string
	USGov           bool
	Regional        RegionalCheck // the warning for a customer outside the partner's CSP market
}

// RoleOption is one Entra role offered, and whether it is chosen.
type RoleOption struct {
	Value       string
	Label       string
	Description string // Microsoft's one line on what it allows
	Checked     bool
}

// RelationshipRow is one request in the review queue or on a customer's page.
type RelationshipRow struct {
	ID           int64
	CustomerID   int64
	CustomerName string
	Status       string // the effective state's code, for styles and tests
	StatusLabel  string
	Pending      bool // waiting for the customer: its link's expiry is shown
	Recipient    string
	SentBy       string
	SentAt       string
	ExpiresAt    string
	DaysLeft     string
	ExpiresSoon  bool
	AcceptedBy   string
	AcceptedAt   string
	ReviewedBy   string
	Verification string // "Verified by X on D" or "Verified from the Partner Center export of D"; empty when not verified
	EndedBy      string // who revoked or removed it
	Reason       string
	Roles        string
	CanResend    bool
	CanRevoke    bool
	CanReview    bool
	CanRemove    bool
	Back         string
	// Href is the request's own page, where the actions that need input
	// (a reason, the tick that Partner Center shows it) are taken.
	Href        string
	Attestation *AttestationView // the customer's MCA attestation; nil when none
	Refused     *RefusedAction   // the action form whose input was refused, shown again; nil when none
}
