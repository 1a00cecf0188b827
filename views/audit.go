package views

// AuditLog is one page of the audit log with the filters that chose it.
type AuditLog struct {
	Filter AuditFilterForm
	// Notices say which filter values were ignored, and why.
	Notices []string
	Rows    []AuditRow
	Total   int
	// MoreThan says the filter matches more entries than Total, where the
	// count stopped.
	MoreThan bool
	Pager    Pager
	CSVHref  string
	// ExportLimit is the most entries the CSV holds, the newest first.
	ExportLimit int
}

// AuditFilterForm is the filter form as the page was asked for, with
// invalid values left out.
type AuditFilterForm struct {
	Actors  []Option // the partner users, by id
	Actor   string   // the chosen user's id; empty for anyone
	Actions []Option
	Action  string // empty for any action
	// Customer is the search for customers by the start of a word of their
	// name or domain.
	Customer string
	// CustomerID is one customer chosen by a link from elsewhere, shown by
	// name, with ClearCustomerHref to drop it; 0 for none.
	CustomerID        int64
	CustomerName      string
	ClearCustomerHref string
	From, To          string // YYYY-MM-DD, both days included
}

// AuditRow is one entry of the audit log.
type AuditRow struct {
	At          string // for people, in UTC
	AtISO       string // the datetime attribute
	Actor       string // the user's name, or an em dash when nobody was signed in
	Action      string // the action's code
	ActionLabel string // the action's name for people
	ActionHref  string // the log filtered by this action
	CustomerID  int64  // 0 when the entry is about no customer
	Customer    string
	Target      string // what the entry is about, in words
	TargetHref  string // where that record is shown; "" when it has no page
	TargetCode  string // the target as the log keeps it, for the tooltip
	ClientIP    string
	Detail      string
}
