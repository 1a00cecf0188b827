package views

import "strconv"

// BillingTransferPage is a customer's Azure billing transfer (Azure Expert
// MSP): the open checklist, the earlier ones, and what does not move.
type BillingTransferPage struct {
	Header CustomerHeader
	// CanAct is whether the role may start and change billing transfers.
	CanAct bool
	// RoleNote says who starts and changes them, when CanAct is false.
	RoleNote string
	// AzureExpertMSP is false when the partner's settings do not allow
	// billing transfers; the page then says where to change that.
	AzureExpertMSP     bool
	RelationshipActive bool
	// Candidates name the subscriptions a request would cover now.
	Candidates []string
	// CanStart offers the button that starts a checklist.
	CanStart bool
	Current  *BillingTransferCard // nil when none is open
	// Refused is why the last change was refused by the transfer's state
	// when the control it came from may not be offered any more (someone
	// ended the transfer meanwhile, or it was not ready).
	Refused  string
	History  []BillingTransferCard
	NotMoved []string
}

// BillingTransferCard is one billing transfer and what its state offers.
type BillingTransferCard struct {
	ID          int64
	Status      string
	StatusLabel string
	Badge       string
	Version     int64 // sent back with the checklist and request forms
	CreatedBy   string
	CreatedAt   string
	// Preparing is true while the prerequisites can be ticked.
	Preparing     bool
	Checks        []BillingCheck
	Agreements    []Choice
	Problems      FormProblem // why the prerequisites came back unsaved
	Send          BillingSendForm
	ApproverEmail string
	ApproverRole  string
	Subscriptions []string
	SentOn        string
	ApprovedOn    string
	CompletedOn   string
	EndedOn       string
	CanApprove    bool
	CanComplete   bool
	CanDecline    bool
	CanExpire     bool
	CanCancel     bool
	Date          string // offered in the dated forms
	DateError     string // why the last date was refused
}

// DOMID is the id of the card's element.
func (c BillingTransferCard) DOMID() string { return "billing-transfer-" + strconv.FormatInt(c.ID, 10) }

// Path is the path of change action of this billing transfer.
func (c BillingTransferCard) Path(action string) string {
	return "/billing-transfers/" + strconv.FormatInt(c.ID, 10) + "/" + action
}

// BillingCheck is one prerequisite: a checkbox named Field, or, when Field
// is empty, one the app computes.
type BillingCheck struct {
	Field string
	Label string
	Help  string
	Done  bool
	// Choice is true for the agreement, chosen from a list, not ticked.
	Choice bool
}

// BillingSendForm records the request sent in the Azure portal.
type BillingSendForm struct {
	Ready         bool // every prerequisite is met
	ApproverEmail string
	Roles         []Choice
	SentOn        string
	Errors        map[string]string
}
