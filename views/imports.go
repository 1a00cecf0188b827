package views

// ImportUpload is the CSV upload form and what was wrong with the file.
type ImportUpload struct {
	Header     CustomerHeader
	Error      string
	DateOrders []Option // how the file writes numeric dates, "recognise" first
}

// ImportPreview shows every row of an uploaded file with its classification,
// or every error, before the user confirms.
type ImportPreview struct {
	Header   CustomerHeader
	Filename string
	Rows     []ImportRow
	Errors   []ImportError
	Confirm  string // action of the confirm form; empty when the file has errors
	DateNote string // how the file's numeric dates were read; "" when it has none
	Encoding string // the text encoding the file was read in
	// Sheet is the sheet of a workbook that was read, and OtherSheets the
	// workbook's other sheets; empty for a CSV file.
	Sheet       string
	OtherSheets []string
}

// ImportRow is one valid row of an uploaded file.
type ImportRow struct {
	Line          int
	Product       string
	ServiceType   string
	Channel       string
	Quantity      string
	TermEnd       string
	Terms         string // the terms known, in a few words; empty when none are
	OfferID       string
	Reference     string
	WorkflowLabel string
	Workflow      string
	Reason        string
}

// ImportError is one problem of an uploaded file.
type ImportError struct {
	Line    int
	Column  string
	Message string
}
