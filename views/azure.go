package views

// AzurePage is step 5 for usage-based Azure bought elsewhere: a checklist
// for each subscription whose workflow is a new CSP Azure subscription.
type AzurePage struct {
	Header             CustomerHeader
	RelationshipActive bool
	CanAct             bool // the role may record steps
	Items              []AzureItem
	Transfers          int // subscriptions to transfer from another partner instead
	BillingTransfers   int // subscriptions whose billing we take over instead (Azure Expert MSP)
}

// AzureItem is one subscription's checklist.
type AzureItem struct {
	SubscriptionID int64
	Step           int   // the step the checklist stands at, sent back with each form
	Version        int64 // of the checklist, sent back with each form; 0 before anything is recorded
	Product        string
	Channel        string
	Reference      string
	Stage          string
	Steps          []ChecklistStep
	CSP            CSPForm
	Moved          MovedForm
	Cancel         CancelForm
}

// ChecklistStep is one step of a checklist.
type ChecklistStep struct {
	Number  int
	Label   string
	Done    bool
	Current bool
	Summary string
	Action  string // where the step's form posts; empty for step 1 and done
	// RecordsCSP, RecordsMove and RecordsCancel say which form records the
	// step: steps 2, 3 and 4.
	RecordsCSP    bool
	RecordsMove   bool
	RecordsCancel bool
	// Refused says the step's form was sent and refused, so a correction's
	// form is shown open.
	Refused bool
}

// CSPForm records step 2.
type CSPForm struct {
	ID          string
	DisplayName string
	CreatedOn   string
	CreatedBy   []Choice // the roles that can create it
	Errors      map[string]string
	Stale       *StaleNotice // someone saved the checklist after the form was filled
}

// MovedForm records step 3.
type MovedForm struct {
	Note   string
	On     string
	Errors map[string]string
	Stale  *StaleNotice // someone saved the checklist after the form was filled
}

// CancelForm records step 4.
type CancelForm struct {
	Scopes    []Choice // the whole subscription or named services
	Services  string
	On        string
	By        []Choice // the customer or the partner
	Reference string
	Errors    map[string]string
	Stale     *StaleNotice // someone saved the checklist after the form was filled
}
