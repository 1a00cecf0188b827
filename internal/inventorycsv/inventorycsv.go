// Package inventorycsv reads a customer's inventory of subscriptions from an
// uploaded CSV file, so partner staff can prepare an inventory in a
// spreadsheet and upload it in one go. It also defines what the inventory
// file holds for the export that writes it (internal/export): its columns, in
// order, and the formula guard, whose quote the parser takes off again, so
// that an exported file imports back unchanged.
//
// Parsing never stops at the first bad row: an upload is imported all or
// nothing, so the person fixing the file needs every problem, with its line
// and column, in one pass. Every cell passes the app's one text rule,
// domain.CleanText, with the line breaks of the notes column kept as LF. The package deals only in bytes and domain types;
// HTTP, storage and views belong to the callers.
package inventorycsv

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Limits on an upload. They bound the memory and time one request can take
// while staying far above any real customer's inventory.
const (
	MaxBytes = 5 << 20
	MaxRows  = 10_000
)

// File-level errors that callers may want to tell apart from a bad header;
// their messages are written to be shown to people as they are.
var (
	ErrTooLarge    = errors.New("the file is larger than 5 MB")
	ErrTooManyRows = errors.New("the file has more than 10,000 rows; split it into smaller files")
	ErrNotText     = errors.New("the file is cut short in the middle of a UTF-16 character; in Excel use Save As and choose \"CSV UTF-8\"")
	ErrNoRows      = errors.New("the file has a header but no subscriptions under it")
)

// The canonical column names. They match the keys of domain.FieldErrors, so a
// validation problem maps straight onto the column that caused it.
const (
	colProduct     = "product"
	colServiceType = "service_type"
	colChannel     = "channel"
	colQuantity    = "quantity"
	colTermEnd     = "term_end"
	colReference   = "reference"
	colNotes       = "notes"
	colCommerce    = "commerce"
	colTermLength  = "term_length"
	colBilling     = "billing_frequency"
	colAutoRenew   = "auto_renew"
	colTermStart   = "term_start"
	colOfferID     = "offer_id"
	colWorkflow    = "workflow"
	colReason      = "reason"
	colSubID       = "subscription_id"
)

// inputColumns are the columns an upload may fill, in the order the export
// writes them and error messages list them. The term columns and the offer
// id came with the rules of today (issue 12); a file without them, such as
// an export made before, imports as it always did.
var inputColumns = append([]string{colProduct, colServiceType, colChannel, colQuantity, colTermEnd, colReference, colNotes},
	TermColumns...)

// TermColumns are the columns of a subscription's terms and offer id, in
// the order the inventory file has them; the other files the app serves
// name them the same.
var TermColumns = []string{colCommerce, colTermLength, colBilling, colAutoRenew, colTermStart, colOfferID}

// columnAliases are other names of the newer columns, as canonicalColumn
// writes them: the names partners' spreadsheets give them, Microsoft 365's
// "recurring billing", and the fields termDuration, billingCycle and
// autoRenewEnabled of Partner Center's subscription resource
// (https://learn.microsoft.com/partner-center/developer/subscription-resources),
// whose term durations are written P1M, P1Y and P3Y
// (https://learn.microsoft.com/dotnet/api/microsoft.store.partnercenter.models.products.availabilityterm.duration).
var columnAliases = map[string]string{
	"commerce_experience": colCommerce, "nce": colCommerce,
	"term_duration": colTermLength, "termduration": colTermLength, "term": colTermLength,
	"billing_cycle": colBilling, "billingcycle": colBilling, "billing_plan": colBilling,
	"autorenew": colAutoRenew, "autorenewenabled": colAutoRenew, "recurring_billing": colAutoRenew,
	"start_date": colTermStart, "subscription_start_date": colTermStart,
	"offer": colOfferID, "quota_id": colOfferID, "offer_number": colOfferID,
}

// ignoredColumns are accepted so that an export, or a file that went through
// another tool, can be uploaded again unchanged; what they hold is derived or
// assigned here, never taken from the file.
var ignoredColumns = []string{colWorkflow, colReason, colSubID}

// Columns are the columns of the inventory file, in the order the export
// writes them: every column an upload may fill, then the workflow and reason
// the rules derive from them, which an upload may carry but are not read.
var Columns = append(slices.Clone(inputColumns), colWorkflow, colReason)

// Row is one imported subscription and where it came from, so that the caller
// can still point at the line after further checks of its own.
type Row struct {
	Line         int
	Subscription domain.Subscription
}

// RowError is one problem in one row. Column is the canonical column name (or
// empty when the problem concerns the whole row) so callers can highlight it.
type RowError struct {
	Line    int
	Column  string
	Message string
}

// Error lets a RowError be logged or wrapped like any other error.
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Message)
}

// Result is everything an upload held. Rows is filled even when there are
// errors, so a preview can show what would be imported.
type Result struct {
	Rows     []Row
	Errors   []RowError
	Dates    DateReading
	Encoding Encoding // the text encoding the file was found in, or EncodingXLSX
	Header   []string // the column names as the file writes them
	// Sheet is the sheet of a workbook that was read, and Sheets all of
	// its sheets; empty for a CSV file.
	Sheet  string
	Sheets []string
}

// Options are what the uploader says of the file: the order of its
// numeric dates, when the file leaves it open, and the customer's country,
// whose usual order is proposed otherwise.
type Options struct {
	DateOrder domain.DateOrder // DateOrderUnknown: recognise it from the file
	Country   string
	// Mapping, when set, says which field each column fills and what the
	// unknown channel and service-type values stand for, for a file whose
	// header is not ours (see Inspect); nil reads a header of ours.
	Mapping *domain.ImportMapping
	Sheet   string // the sheet of a workbook to read; "" for the first
}

// DateReading says how an upload's numeric dates (31/12/2027 or 12/31/2027)
// were read, for the preview to say and, when the file leaves it open, ask.
type DateReading struct {
	// Order is the order they were read in; DateOrderUnknown when the file
	// has none.
	Order domain.DateOrder
	// Ambiguous is true when every numeric date of the file fits both
	// orders, so that Order is a proposal: the uploader's choice, or the
	// usual order of the customer's country.
	Ambiguous bool
	// Chosen is true when the uploader chose Order.
	Chosen bool
}

// readDates decides the order of the file's numeric dates from the cells
// of its date columns and what the uploader said. Dates that contradict
// each other are read in the country's order, and those that do not fit it
// are reported row by row.
func readDates(cells []string, opts Options) DateReading {
	found, ambiguous, conflict := domain.DatesOrder(cells)
	switch {
	case opts.DateOrder.Valid():
		return DateReading{Order: opts.DateOrder, Ambiguous: ambiguous, Chosen: true}
	case found.Valid():
		return DateReading{Order: found}
	case ambiguous || conflict:
		return DateReading{Order: domain.CountryDateOrder(opts.Country), Ambiguous: ambiguous}
	}
	return DateReading{}
}

// dateColumns are the columns that hold dates.
var dateColumns = []string{colTermEnd, colTermStart}

// OK reports whether the upload may be imported: it is all or nothing, so a
// single bad row blocks the whole file.
func (r Result) OK() bool { return len(r.Errors) == 0 }

// HeaderError says why the first line cannot be used as a header. Without a
// usable header no row can be read, so it fails the whole file.
type HeaderError struct {
	Problem string
}

// Error adds the expected columns, so the message alone lets people fix the file.
func (e *HeaderError) Error() string {
	return e.Problem + "; the first line must name the columns " + strings.Join(inputColumns, ", ") +
		" in any order (only product is required)"
}

// Parse reads an uploaded inventory on the day today (which bounds term
// ends), with what the uploader said of it. It returns an error only for
// problems with the file as a whole (size, encoding, header, row count);
// problems in rows are all collected in Result.Errors, in line order.
func Parse(r io.Reader, today time.Time, opts Options) (Result, error) {
	data, err := ReadFile(r)
	if err != nil {
		return Result{}, err
	}
	t, err := Open(data, opts.Sheet)
	if err != nil {
		return Result{}, err
	}
	return ParseTable(t, today, opts)
}

// Table is an upload read once and whole: its header, its records after
// the header (blank ones left out) with their lines or the problem that
// keeps each from being read, the encoding it was found in, and for a
// workbook the sheet read and every sheet. Inspect and Parse of the same
// upload read one Table, so that a workbook is unzipped once.
type Table struct {
	header   []string
	rows     []read
	encoding Encoding
	sheet    string
	sheets   []string
}

// Open reads an upload whole within the limits of Parse: an Excel workbook
// from its sheet named sheet (or its first), anything else as CSV text.
// Its errors are those of the file as a whole: ErrTooLarge, ErrNotText,
// ErrNotAWorkbook, ErrTooManyRows or a *HeaderError.
func Open(data []byte, sheet string) (*Table, error) {
	t, err := openTable(data, sheet)
	if err != nil {
		return nil, err
	}
	rows, err := t.readAll()
	if err != nil {
		return nil, err
	}
	return &Table{header: t.header, rows: rows, encoding: t.encoding, sheet: t.book.sheet, sheets: t.book.sheets}, nil
}

// ParseTable is Parse for an upload opened already; opts.Sheet is the
// sheet Open read. The table's cells are left as they are.
func ParseTable(t *Table, today time.Time, opts Options) (Result, error) {
	header := t.header
	names := make([]string, len(header))
	for i, cell := range header {
		names[i] = canonicalColumn(cell)
	}
	var cols columns
	var herr *HeaderError
	if opts.Mapping != nil {
		cols, names, herr = mappedColumns(header, *opts.Mapping)
	} else {
		cols, herr = mapHeader(header)
	}
	if herr != nil {
		return Result{}, herr
	}
	if len(t.rows) == 0 {
		return Result{}, ErrNoRows
	}

	// The order of the file's numeric dates is decided from all of them
	// before any is parsed.
	var dateCells []string
	for _, r := range t.rows {
		if r.err != nil {
			continue
		}
		for _, col := range dateColumns {
			dateCells = append(dateCells, cols.get(r.record, col))
		}
	}
	res := Result{Dates: readDates(dateCells, opts), Encoding: t.encoding, Header: cleanHeader(header), Sheet: t.sheet,
		Sheets: t.sheets}
	for _, r := range t.rows {
		if r.err != nil {
			res.Errors = append(res.Errors, *r.err)
			continue
		}
		// Cleaning and the value mapping write into the cells: a copy
		// leaves the table as Open read it, for another reading.
		record := slices.Clone(r.record)
		errs := cleanCells(record, names, r.line)
		seller := applyValues(record, cols, opts.Mapping)
		sub, errs := parseRecord(record, cols, r.line, today, res.Dates.Order, seller, errs)
		res.Rows = append(res.Rows, Row{Line: r.line, Subscription: sub})
		res.Errors = append(res.Errors, errs...)
	}
	return res, nil
}

// table is an upload opened for reading, before its records are read:
// its records after the header, the header, the encoding it was found in,
// and for a workbook the sheet read and every sheet.
type table struct {
	src      recordSource
	header   []string
	encoding Encoding
	book     workbook
}

// openTable decodes an upload and reads its header, for Open and ReadText: an Excel workbook from its sheet
// named sheet (or its first), anything else as CSV text.
func openTable(data []byte, sheet string) (table, error) {
	if len(data) > MaxBytes {
		return table{}, ErrTooLarge
	}
	var t table
	if bytes.HasPrefix(data, xlsxMagic) {
		var err error
		if t.book, err = readXLSX(data, sheet); err != nil {
			return table{}, err
		}
		t.src, t.encoding = &xlsxSource{book: &t.book}, EncodingXLSX
	} else {
		text, enc, ok := decode(data)
		if !ok {
			return table{}, ErrNotText
		}
		t.src, t.encoding = newCSVSource(text), enc
	}
	header, err := t.src.Read()
	if err == io.EOF {
		return table{}, &HeaderError{Problem: "the file is empty"}
	}
	if err != nil {
		return table{}, &HeaderError{Problem: "the header line cannot be read: " + csvProblem(err)}
	}
	t.header = header
	return t, nil
}

// columns maps a canonical column name to its index in the file.
type columns map[string]int

// get returns the cell of column name, or "" when the file has no such column,
// so that optional columns need no special case.
func (c columns) get(record []string, name string) string {
	if i, ok := c[name]; ok {
		return record[i]
	}
	return ""
}

// canonicalColumn reduces a header cell to the column name it stands for,
// so "Service Type", "service-type" and " SERVICE_TYPE " agree, and so do
// "Billing cycle" and billing_frequency.
func canonicalColumn(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), "_"), "-", "_")
	if name, ok := columnAliases[s]; ok {
		return name
	}
	return s
}

// knownColumn reports whether a canonical column name is one the file may
// have, read or ignored.
func knownColumn(name string) bool {
	return slices.Contains(inputColumns, name) || slices.Contains(ignoredColumns, name)
}

// mapHeader finds each known column and rejects anything else: a column that
// is silently ignored would drop data the person believes was imported.
func mapHeader(header []string) (columns, *HeaderError) {
	cols := columns{}
	seen := map[string]string{}
	var problems, unknown []string
	for i, cell := range header {
		name := canonicalColumn(cell)
		switch {
		case name == "":
			problems = append(problems, fmt.Sprintf("column %d has no name", i+1))
			continue
		case !knownColumn(name):
			unknown = append(unknown, strconv.Quote(strings.TrimSpace(cell)))
			continue
		}
		if first, dup := seen[name]; dup {
			problems = append(problems, fmt.Sprintf("the column %q appears twice (also as %q)",
				strings.TrimSpace(cell), first))
			continue
		}
		seen[name] = strings.TrimSpace(cell)
		if slices.Contains(inputColumns, name) {
			cols[name] = i
		}
	}
	switch len(unknown) {
	case 0:
	case 1:
		problems = append([]string{"the column " + unknown[0] + " is not known"}, problems...)
	default:
		problems = append([]string{"the columns " + strings.Join(unknown, ", ") + " are not known"}, problems...)
	}
	if _, ok := cols[colProduct]; !ok {
		problems = append(problems, "the product column is missing")
	}
	if len(problems) > 0 {
		return nil, &HeaderError{Problem: strings.Join(problems, "; ")}
	}
	return cols, nil
}

// cleanCells applies the app's one text rule, domain.CleanText, to every cell
// of a record, by the column's canonical name in names: it leaves each cell
// as the app keeps it, and empties a cell that is not text, with a problem
// for it, so that nothing of it reaches the preview.
func cleanCells(record, names []string, line int) []RowError {
	var errs []RowError
	for i, cell := range record {
		clean, err := domain.CleanText(cell, domain.IsMultiLine(names[i]))
		if err != nil {
			errs = append(errs, RowError{Line: line, Column: names[i], Message: "the value " + err.Error()})
		}
		record[i] = clean
	}
	return errs
}

// parseRecord builds the subscription of one data row and every problem with
// it, starting from the problems errs already found in its cells, ordered by
// column so the messages read left to right like the file. A column has at
// most one problem: a cell that is not text, or a value that did not parse,
// is left empty, and a second message for it would only repeat the first.
//
// seller is the reference of a row whose file has none: the seller a mapped
// channel value names.
func parseRecord(record []string, cols columns, line int, today time.Time, order domain.DateOrder, seller string, errs []RowError) (domain.Subscription, []RowError) {
	add := func(col, msg string) {
		if !slices.ContainsFunc(errs, func(e RowError) bool { return e.Column == col }) {
			errs = append(errs, RowError{Line: line, Column: col, Message: msg})
		}
	}

	sub := domain.Subscription{
		Product:   unguard(cols.get(record, colProduct)),
		Reference: cmp.Or(unguard(cols.get(record, colReference)), seller),
		Notes:     unguard(cols.get(record, colNotes)),
		OfferID:   unguard(cols.get(record, colOfferID)),
	}
	// parse reads the cell of column col with read; a value that does not
	// parse is left zero, and the problem says what it should be.
	parse := func(col string, read func(string) bool, problem string) {
		if raw := cols.get(record, col); !read(raw) {
			add(col, fmt.Sprintf("%q is not %s", strings.TrimSpace(raw), problem))
		}
	}
	const orEmpty = ", or leave it empty"
	parse(colServiceType, into(&sub.ServiceType, domain.ParseServiceType), "a known service type; use licence or usage"+orEmpty)
	parse(colChannel, into(&sub.Channel, domain.ParseChannel), "a known channel; use one of: "+channelCodes()+orEmpty)
	parse(colQuantity, into(&sub.Quantity, domain.ParseQuantity),
		"a number of seats; enter a whole number from 0 to 1,000,000"+orEmpty)
	date := func(s string) (*time.Time, bool) { return domain.ParseLooseDate(s, order) }
	parse(colTermEnd, into(&sub.TermEnd, date), dateProblem(order))
	parse(colCommerce, into(&sub.Commerce, parseCommerce), "a known commerce experience; use NCE or legacy (or yes or no)"+orEmpty)
	parse(colTermLength, into(&sub.TermLength, domain.ParseTermLength),
		"a known term length; use P1M, P1Y or P3Y (monthly, annual, three_years)"+orEmpty)
	parse(colBilling, into(&sub.BillingFrequency, domain.ParseBillingFrequency),
		"a known billing frequency; use monthly, annual or triennial"+orEmpty)
	parse(colAutoRenew, into(&sub.AutoRenew, domain.ParseAutoRenew), "an auto-renew setting; use on or off"+orEmpty)
	parse(colTermStart, into(&sub.TermStart, date), dateProblem(order))

	sub = sub.Normalize()
	for field, msg := range sub.Validate(today) {
		add(field, msg)
	}
	slices.SortStableFunc(errs, func(a, b RowError) int {
		return columnRank(a.Column) - columnRank(b.Column)
	})
	return sub, errs
}

// dateProblem says what a date cell should hold, for a file whose numeric
// dates are read in order.
func dateProblem(order domain.DateOrder) string {
	numeric := "31/12/2026 or 31.12.2026 (this file writes the day first)"
	if order == domain.MonthFirst {
		numeric = "12/31/2026 (this file writes the month first)"
	}
	return "a date; write it as 2026-12-31, " + numeric + ", 31 Dec 2026 or an Excel date"
}

// nceAnswers are what a column named "NCE" most often holds: whether the
// licence is a new-commerce one.
var nceAnswers = map[string]domain.Commerce{
	"yes": domain.CommerceNCE, "y": domain.CommerceNCE, "true": domain.CommerceNCE,
	"no": domain.CommerceLegacy, "n": domain.CommerceLegacy, "false": domain.CommerceLegacy,
}

// parseCommerce reads a commerce experience as the domain does, or as a
// yes or no to "is it NCE?".
func parseCommerce(s string) (domain.Commerce, bool) {
	if c, ok := nceAnswers[strings.ToLower(strings.TrimSpace(s))]; ok {
		return c, true
	}
	return domain.ParseCommerce(s)
}

// into adapts one of the domain's parsers to parseRecord: it stores what
// parse read in dst and reports whether it could.
func into[T any](dst *T, parse func(string) (T, bool)) func(string) bool {
	return func(raw string) bool {
		v, ok := parse(raw)
		*dst = v
		return ok
	}
}

// columnRank orders errors by the export's column order; anything unexpected
// goes last rather than being lost.
func columnRank(col string) int {
	if i := slices.Index(inputColumns, col); i >= 0 {
		return i
	}
	return len(inputColumns)
}

// channelCodes lists the channel codes for error messages, taken from the
// domain so a new channel shows up without touching this package.
func channelCodes() string {
	codes := make([]string, len(domain.Channels))
	for i, c := range domain.Channels {
		codes[i] = string(c)
	}
	return strings.Join(codes, ", ")
}

// blank reports whether a record holds nothing; spreadsheets often leave rows
// of bare delimiters behind, and they are not meant as subscriptions.
func blank(record []string) bool {
	for _, f := range record {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// detectDelimiter chooses between comma, semicolon and tab from the header
// line. Spreadsheets in locales with a decimal comma save CSV with
// semicolons, Excel's "Unicode Text" separates with tabs, and the header is
// the one line whose content is known in advance.
func detectDelimiter(data []byte) rune {
	var first string
	for line := range bytes.Lines(data) {
		if len(bytes.TrimSpace(line)) > 0 {
			first = string(line)
			break
		}
	}
	best := ','
	for _, sep := range []rune{';', '\t'} {
		if knownColumns(first, sep) > knownColumns(first, best) {
			best = sep
		}
	}
	return best
}

// knownColumns counts the column names the line splits into with sep that
// an inventory or a customer list knows.
// Quotes are simply dropped: header names never contain a delimiter.
func knownColumns(line string, sep rune) int {
	n := 0
	for _, cell := range strings.Split(line, string(sep)) {
		if name := strings.ReplaceAll(cell, `"`, ""); knownColumn(canonicalColumn(name)) || SuggestField(name) != "" || customers.suggest(name) != "" {
			n++
		}
	}
	return n
}

// delimiterName names the delimiter in messages for people.
func delimiterName(sep rune) string {
	switch sep {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}

// csvProblem turns the reader's syntax errors into advice a spreadsheet user
// can act on.
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return `a double quote appears inside a value that is not itself in double quotes; put the whole value in double quotes and double each " inside it`
	case errors.Is(err, csv.ErrQuote):
		return `a value in double quotes is not closed; check the " characters from this line on`
	}
	return err.Error()
}

// formulaTriggers are the characters that make a spreadsheet read a cell as a
// formula (OWASP's list for CSV injection).
const formulaTriggers = "=+-@\t\r"

// Guard defuses a text cell that a spreadsheet would run as a formula by
// prefixing a single quote; every CSV file the app serves guards the text
// people or clients typed with it. Cells that are already quote-prefixed triggers get
// one more quote, so that unguard restores every value exactly.
func Guard(s string) string {
	rest := strings.TrimLeft(s, "'")
	if rest != "" && strings.ContainsRune(formulaTriggers, rune(rest[0])) {
		return "'" + s
	}
	return s
}

// unguard removes the one quote that Guard adds. Only a quote before
// (further quotes and) a formula trigger is removed, so a value that merely
// starts with an apostrophe, like 'Contoso', is kept as it is.
func unguard(s string) string {
	if !strings.HasPrefix(s, "'") {
		return s
	}
	rest := strings.TrimLeft(s, "'")
	if rest != "" && strings.ContainsRune(formulaTriggers, rune(rest[0])) {
		return s[1:]
	}
	return s
}
