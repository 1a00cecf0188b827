package views

// PlanView is a customer's plan, step 3.
type PlanView struct {
	Header    CustomerHeader
	Total     int
	Groups    []PlanGroupView
	JSONHref  string
	CSVHref   string
	IsCSPNote bool
}

// PlanGroupView is the subscriptions that share a workflow.
type PlanGroupView struct {
	Workflow   string
	Label      string
	NextAction string
	// Href is the page where the group's work is done; empty when none
	// is linked from the plan.
	Href  string
	Items []PlanItemView
}

// PlanItemView is one subscription in the plan.
type PlanItemView struct {
	Product  string
	Channel  string
	Service  string
	Reason   string
	TermEnd  string
	DaysLeft string
	Stage    string
}
