package views

// VerifyUpload is the form that uploads Partner Center's customer export,
// with what was wrong with the last file.
type VerifyUpload struct {
	ExportedOn string // YYYY-MM-DD, today unless typed
	Error      string // a problem with the form
	Problems   []ExportProblem
	DemoFile   string // where the demo export downloads from; empty outside the demo
}

// ExportProblem is one problem of a malformed export, at its line.
type ExportProblem struct {
	Line    int
	Message string
}

// VerifyPreview shows what an export would change, and carries what the
// confirmation needs to apply exactly that.
type VerifyPreview struct {
	FileName    string
	ExportedOn  string
	Customers   int    // tenants in the file
	File        string // the file's bytes, base64url, posted back with the confirmation
	Fingerprint string
	Changed     bool // the app changed since the last preview: this is a new one
	Verify      []ExportRowView
	Unknown     []ExportRowView
	Known       []ExportRowView
	NotReseller []ExportRowView
	Mismatched  []ExportRowView
	Missing     []ExportRowView
	Country     string // what created customers get
	// CreateProblem says why unknown customers cannot be created.
	CreateProblem string
}

// ExportRowView is one line of a preview table: an export row, the app's
// customer it matched (when any) and what happens.
type ExportRowView struct {
	Line         int
	TenantID     string
	Name         string
	Domain       string
	Relationship string
	CustomerID   int64 // 0 when the app does not know the customer
	CustomerName string
	State        string // the request's state label
	Note         string
	Creatable    bool // an unknown customer the app can create from the row
}

// Anything reports whether confirming would change something.
func (p VerifyPreview) Anything() bool {
	return len(p.Verify) > 0 || (len(p.Unknown) > 0 && p.CreateProblem == "")
}
