package views

import "slices"

// ImportUpload is the CSV upload form and what was wrong with the file.
type ImportUpload struct {
	Header     CustomerHeader
	Error      string
	DateOrders []Option // how the file writes numeric dates, "recognise" first
	Samples    []Option // sample exports to try (Value the link), while the demo partner is the partner
}

// ImportPreview shows the rows of an uploaded file with their
// classification, a page at a time, or every error, before the user
// confirms.
type ImportPreview struct {
	Header   CustomerHeader
	Filename string
	Rows     []ImportRow // the rows of the page shown
	Total    int         // every row of the file
	First    int         // the place in the file's rows of the first row shown, from 0
	Page     int         // the page shown, sent back by the confirm form
	Pager    Pager       // links (or, with fields of guesses, the form's buttons) to the other pages
	Errors   []ImportError
	Confirm  string   // action of the confirm form; empty when the file has errors
	Revise   string   // action of its button that applies the changes of guessed values; empty when none can be changed
	Refused  int      // how many changes of guessed values cannot be used, each with its message beside its field
	Problems []string // the messages of refused changes that have no field on the page
	DateNote string   // how the file's numeric dates were read; "" when it has none
	Encoding string   // the text encoding the file was read in; "" when it is not known any more
	Notes    []string // what the mapping left out or came from
	Format   string   // the Microsoft export recognised; "" for a CSV
	// Sheet is the sheet of a workbook that was read, and OtherSheets the
	// workbook's other sheets; empty for a CSV file.
	Sheet       string
	OtherSheets []string
}

// ImportMapping is the mapping step of an upload whose header is not ours:
// each column of the file with its sample values and the field it fills,
// then the unknown channel and service-type values with what they stand for.
type ImportMapping struct {
	Header    CustomerHeader
	Filename  string
	Action    string
	DateOrder string // the order of numeric dates chosen on the upload form, carried on
	Sheet     string // the sheet of a workbook named on the upload form, carried on
	Problems  []string
	Columns   []MappingColumn
	Values    []MappingValue
}

// MappingColumn is one column of the file on the mapping step.
type MappingColumn struct {
	Name     string // the form field
	Title    string // the column's name in the file
	Samples  []string
	Options  []Option
	Selected string
	Error    string
}

// MappingValue is one channel or service-type value on the mapping step.
type MappingValue struct {
	Name     string // the form field
	ID       string
	Column   string // "Channel" or "Service type"
	Value    string
	Count    int
	Options  []Option
	Selected string
	Note     string // the seller it carries into the reference, when it names one
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
	Guesses       []GuessNote // what a Microsoft export's values were guessed from
	Guessed       []string    // the columns holding guesses, for the preview to mark
	Edits         []GuessEdit // the guessed values the uploader may change before confirming
}

// GuessNote is what one guess of a row is based on, in a sentence, with the
// id the field that holds the guess refers to.
type GuessNote struct {
	ID   string
	Text string
}

// GuessEdit is a guessed value of a row the uploader may change in the
// preview: a select of Options, or a text input when there are none.
type GuessEdit struct {
	Column  string // the column it is in: "product", "channel" or "service_type"
	Name    string // the form field, also its id
	Label   string // for screen readers, naming the row
	Value   string // as guessed, or as typed
	Options []Option
	Basis   string // the id of its GuessNote
	Changed bool   // the uploader changed the guess
	Error   string
}

// ImportError is one problem of an uploaded file.
type ImportError struct {
	Line    int
	Column  string
	Message string
}

// guessed reports whether the value of column col in r was guessed.
func (r ImportRow) guessed(col string) bool { return slices.Contains(r.Guessed, col) }

// edit returns the field of column col in r, when its guess may be changed.
func (r ImportRow) edit(col string) (GuessEdit, bool) {
	i := slices.IndexFunc(r.Edits, func(e GuessEdit) bool { return e.Column == col })
	if i < 0 {
		return GuessEdit{}, false
	}
	return r.Edits[i], true
}

// describedBy is the aria-describedby of e: its basis, and its error when
// it has one.
func (e GuessEdit) describedBy() string {
	if e.Error != "" {
		return e.Basis + " " + e.Name + "-error"
	}
	return e.Basis
}
