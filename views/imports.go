package views

import "slices"

// ImportUpload is the CSV upload form and what was wrong with the file.
type ImportUpload struct {
	Header     CustomerHeader
	Error      string
	DateOrders []Option // how the file writes numeric dates, "recognise" first
	Samples    []Option // sample exports to try (Value the link), while the demo partner is the partner
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
	Format   string // the Microsoft export recognised; "" for a CSV
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
	Guesses       []string // what a Microsoft export's values were guessed from, one sentence each
	Guessed       []string // the columns holding guesses, for the preview to mark
}

// ImportError is one problem of an uploaded file.
type ImportError struct {
	Line    int
	Column  string
	Message string
}

// guessed reports whether the value of column col in r was guessed.
func (r ImportRow) guessed(col string) bool { return slices.Contains(r.Guessed, col) }
