package views

// PlanView is a customer's plan, step 3.
type PlanView struct {
	Header    CustomerHeader
	Total     int
	Groups    []PlanGroupView
	JSONHref  string
	CSVHref   string
	IsCSPNote bool
	Purchases PurchasesView
	// WholeHref goes back to every group while one is shown whole; empty
	// otherwise.
	WholeHref string
}

// PlanGroupView is the subscriptions that share a workflow.
type PlanGroupView struct {
	Workflow   string
	Label      string
	NextAction string
	// Href is the page where the group's work is done; empty when none
	// is linked from the plan.
	Href      string
	HrefLabel string // the link's words
	// RoleNotes say who does the group's next steps that the signed-in
	// role may not do; empty when it may do them all.
	RoleNotes []string
	// Count is how many subscriptions the group has; Items are those shown.
	// Shown is false for the other groups while one is shown whole.
	Count int
	Shown bool
	Items []PlanItemView
	// NavHref is where the summary's badge goes; ShowAllHref shows the
	// whole group when only its first rows are shown; Pager pages it once
	// it is shown whole.
	NavHref     string
	ShowAllHref string
	Pager       Pager
}

// PlanItemView is one subscription in the plan.
type PlanItemView struct {
	Product  string
	Channel  string
	Service  string
	Reason   string
	HelpHref string // a page that says more about the reason; "" for none
	TermEnd  string
	DaysLeft string
	Stage    string
	// NextLabel and NextHref link the row to where its next action is
	// done; empty when the app has no page for it.
	NextLabel string
	NextHref  string
}

// PurchasesView is a customer's CSP purchases on its plan page, with the
// form that records one.
type PurchasesView struct {
	Rows  []PurchaseRow
	Total int
	Form  PurchaseForm
}

// PurchaseRow is one CSP purchase, with where its refund window stands.
type PurchaseRow struct {
	Product     string
	Seats       string
	PurchasedAt string
	Term        string
	Billing     string
	Replaces    string // the replaced subscription's product; empty for none
	RefundLeft  string
	Open        bool // still inside the 7-day window
	RecordedBy  string
}

// PurchaseForm records a CSP purchase; on a refusal it comes back with
// what was typed and the messages.
type PurchaseForm struct {
	Action      string
	Product     string
	Quantity    string
	PurchasedAt string // as a datetime-local input writes it, UTC
	TermLengths []Choice
	Billings    []Choice
	Replaces    []Choice // "none" first
	Errors      map[string]string
}
