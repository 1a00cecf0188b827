package views

// CustomerListUpload asks for a list of customers to create or match.
type CustomerListUpload struct {
	Error     string
	Countries []Option
	Country   string   // proposed or chosen for customers whose row has none
	Sheet     string   // the sheet of a workbook, as typed
	Samples   []Option // sample lists to try: the file's path and name
}

// CustomerListMapping is the mapping step of a customer list whose header
// is not ours.
type CustomerListMapping struct {
	Filename string
	Action   string
	Problems []string
	Columns  []MappingColumn
}

// CustomerListPreview shows what a customer list does, row by row, or why
// it cannot be imported.
type CustomerListPreview struct {
	Filename    string
	Encoding    string
	Sheet       string   // of a workbook, the sheet read; "" for a CSV file
	OtherSheets []string // of a workbook, its other sheets
	Format      string   // the export recognised; "" for any other list
	Notes       []string
	Summary     string
	Rows        []CustomerListRow
	Errors      []ImportError // the file's problems and the rows that cannot be matched
	Confirm     string        // action of the confirm form; "" when the list has problems
	Fingerprint string
	Changed     string // why a confirmation was refused and this preview made again; "" when it was not
	Remap       string // action that shows the mapping step again; "" for a header of ours
}

// CustomerListRow is one row of a customer list with what it does.
type CustomerListRow struct {
	Line     int
	Name     string
	Domain   string
	TenantID string
	Country  string
	Admin    string
	Action   string // "create", "fill" or "known"
	Label    string // what the row does, in words
	Link     string // the matched customer's page; "" for a new one
}
