package views

import "strconv"

// AzurePage is step 5 for usage-based Azure bought elsewhere: the
// subscriptions whose workflow is a new CSP Azure subscription, each with
// where its checklist stands and a link to the checklist's own page, so that
// the forms of one subscription are not lost among those of the others.
type AzurePage struct {
	Header             CustomerHeader
	RelationshipActive bool
	Items              []AzureItem
	Transfers          int    // subscriptions to transfer from another partner instead
	BillingTransfers   int    // subscriptions whose billing we take over instead (Azure Expert MSP)
	RoleNote           string // who records the steps, when the signed-in role does not
}

// AzureChecklist is one subscription's checklist page, with the form of the
// step to do and those that correct a step done.
type AzureChecklist struct {
	Header             CustomerHeader
	RelationshipActive bool
	CanAct             bool   // the role may record steps
	RoleNote           string // who records the steps, when CanAct is false
	Item               AzureItem
}

// AzureItem is one subscription's checklist.
type AzureItem struct {
	CustomerID     int64
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

// DOMID is the id of the subscription's checklist, on the list and on its
// page; its forms' ids and their fields' ids start with it.
func (i AzureItem) DOMID() string { return "azure-" + strconv.FormatInt(i.SubscriptionID, 10) }

// Path is the address of the checklist's own page.
func (i AzureItem) Path() string {
	return CustomerPath(i.CustomerID, "azure", strconv.FormatInt(i.SubscriptionID, 10))
}

// FormID is the id of the form of step n. The form's action ends with it as
// a fragment, so that a browser without JavaScript shows the refused form's
// answer scrolled to the form.
func (i AzureItem) FormID(n int) string { return i.DOMID() + "-step-" + strconv.Itoa(n) }

// Next is the step to do, when there is one.
func (i AzureItem) Next() (ChecklistStep, bool) {
	for _, st := range i.Steps {
		if st.Current {
			return st, true
		}
	}
	return ChecklistStep{}, false
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
