package views

import "strconv"

// TransfersPage is a customer's Azure transfers from other partners, with
// the form to request a new one.
type TransfersPage struct {
	Header CustomerHeader
	Rows   []TransferRow
	Total  int
	Pager  Pager
	// CanAct is whether the user's role may create and change transfers;
	// without it the page is read-only.
	CanAct bool
	// Blocked says why no transfer can be requested yet (the reseller
	// relationship is not active); empty when one can.
	Blocked          string
	RelationshipHref string
	// NoCandidates is true when none of the customer's subscriptions is
	// Azure bought from another CSP partner.
	NoCandidates bool
	Form         *TransferForm // nil when the role may not create, or creating is blocked
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
	Contact           string
	Products          string
	LineItems         string
	ResellerPartnerID string
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
	CanAccept         bool
	CanComplete       bool
	CanCancel         bool
	Date              string // the date offered in the action's date field
	DateError         string // why the date of the last attempt was refused
}

// DOMID is the id of the transfer's element, for links to it.
func (r TransferRow) DOMID() string { return "transfer-" + strconv.FormatInt(r.ID, 10) }

// TransferForm requests a transfer.
type TransferForm struct {
	Action             string
	Subscriptions      []Choice
	OtherPartnerName   string
	OtherPartnerTenant string
	ContactEmail       string
	Products           []Choice
	LineItems          string
	ResellerPartnerID  string
	ResellerRequired   bool // the partner is an indirect provider
	Errors             map[string]string
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
