package views

import "strconv"

// TransfersPage is a customer's transfers from other partners (Azure
// subscriptions, reservations, savings plans and new-commerce licences),
// with the form to request a new one.
type TransfersPage struct {
	Header CustomerHeader
	Rows   []TransferRow
	Total  int
	Pager  Pager
	// CanAct is whether the user's role may create and change transfers;
	// without it the page is read-only.
	CanAct bool
	// RoleNote says who creates and changes transfers, when CanAct is false.
	RoleNote string
	// Refused is why the request just sent was refused by what is recorded
	// now (its subscriptions went into another transfer meanwhile, say),
	// shown where the form is, which keeps what was typed.
	Refused string
	// Blocked says why no transfer can be requested yet (the reseller
	// relationship is not active); empty when one can.
	Blocked          string
	RelationshipHref string
	// NoCandidates is true when none of the customer's subscriptions is
	// Azure or a new-commerce licence bought from another CSP partner and
	// free to transfer.
	NoCandidates bool
	Form         *TransferForm // nil when the role may not create, or creating is blocked
	// Limit is how many subscriptions one request may carry.
	Limit int
}

// TransferRow is one transfer request and what the user may do with it in
// its state.
type TransferRow struct {
	ID                int64
	Status            string // the effective state: a pending one past its 30 days is expired
	StatusLabel       string
	Badge             string // the class that colours the state's badge
	Pending           bool   // the effective state is pending: the other partner may still act
	OtherPartner      string
	OtherTenant       string
	MicrosoftID       string // Microsoft's transfer id as recorded; empty when none
	Contact           string
	Products          string
	LineItems         string
	ResellerPartnerID string
	SubmittedBy       string // who at the indirect provider submitted it
	Subscriptions     []string
	CreatedBy         string
	CreatedAt         string
	ExpiresAt         string
	DaysLeft          string
	ExpiresSoon       bool
	AcceptedOn        string
	CompletedOn       string
	EndedBy           string
	EndedAt           string
	Rejected          bool   // the other partner rejected it; EndedBy recorded it
	RejectionReason   string // the other partner's reason
	Billing           string // who bills what once complete; empty before
	CanAccept         bool
	CanComplete       bool
	CanCancel         bool
	CanReject         bool
	CanRecordID       bool
	Date              string // the date offered in the action's date field
	DateError         string // why the date of the last attempt was refused
	IDInput           string // the Microsoft transfer id offered in the actions' fields
	IDError           string // why the id of the last attempt was refused
	RefusedAction     string // the action of the row's form whose last attempt was refused
	Reason            string // the rejection reason typed in the last attempt
	ReasonError       string // why it was refused
}

// Href is the transfer's own page, where the changes that need input are
// recorded.
func (r TransferRow) Href() string { return "/transfers/" + strconv.FormatInt(r.ID, 10) }

// TransferDetail is one transfer on its own page, under its customer's
// header, with the changes the user may record.
type TransferDetail struct {
	Header   CustomerHeader
	Row      TransferRow
	ListHref string // the customer's transfers
	// Refused is why the transfer's state refused the change just sent (it
	// was accepted or cancelled meanwhile, say), shown above the changes
	// the page offers now.
	Refused string
}

// DOMID is the id of the transfer's element, for links to it.
func (r TransferRow) DOMID() string { return "transfer-" + strconv.FormatInt(r.ID, 10) }

// TransferForm requests a transfer.
type TransferForm struct {
	Action              string
	Subscriptions       []Choice
	OtherPartnerName    string
	OtherPartnerTenant  string
	MicrosoftTransferID string
	ContactEmail        string
	Products            []Choice
	LineItems           string
	ResellerPartnerID   string
	ResellerRequired    bool // the partner is an indirect provider
	SubmittedBy         string
	// ByProvider says the partner is an indirect reseller: its indirect
	// provider, Provider, submits the transfer, and the form records who.
	ByProvider bool
	Provider   string
	Errors     map[string]string
}

// TransfersOverview lists transfers across customers, filtered by state.
type TransfersOverview struct {
	Chips []StatusChip
	Rows  []TransferOverviewRow
	Total int
	Pager Pager
}

// TransferOverviewRow is one transfer in the list across customers.
type TransferOverviewRow struct {
	Customer string
	Href     string // the customer's transfers page
	Row      TransferRow
}
