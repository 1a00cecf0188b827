// Package export writes every file the app serves for people's spreadsheets
// and other programs: the inventory, the plan, the onboarding record, the
// term ends and the audit log as CSV, and the plan and the onboarding record
// as JSON. Handlers set the headers and hand it domain values; what the
// files hold, and how, is decided here only.
//
// CSV files are UTF-8 without a byte order mark, comma-separated, with CRLF
// line ends and a first line of snake_case column names, which Excel opens
// directly. Codes (channels, service types, workflows, states) are written as
// codes, dates as YYYY-MM-DD, times in RFC 3339 UTC; an empty value is an
// empty cell. Every cell whose text a person or a client could have typed is
// guarded against formula injection with inventorycsv.Guard, whose quote the
// inventory import takes off again, so that the inventory export imports
// back unchanged (the column list is inventorycsv's too, for the same
// reason).
// A line break inside a cell is written CRLF like the line ends, and
// encoding/csv reads it back as LF, which is how the app keeps every line
// break (domain.CleanText). A CR of its own could not come back: csv.Writer
// with UseCRLF drops it (0\r0 was written 00), which is why no text the app
// keeps holds one.
//
// JSON documents have stable snake_case keys, codes for channels, service
// types, workflows and states, dates written YYYY-MM-DD and times in
// RFC 3339. One convention for empty values holds in every document:
//   - every key is always written: none is left out when its value is empty;
//   - a value that does not exist (a date, a time, a number, a relationship
//     or its state) is null: a customer without a relationship has
//     "relationship": null, a subscription without seats "quantity": null,
//     one without a term end "term_end": null and "days_left": null;
//   - text is a string, "" when empty; a code is a string too, and "" is the
//     domain's code for a channel or a service type not yet known;
//   - lists are [] when empty, never null.
package export

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// guard defuses text that a spreadsheet would run as a formula.
var guard = inventorycsv.Guard

// writeCSV writes the header line and then the record of each of rows, as
// rows reads them: csv.Writer hands on a few kilobytes at a time, so a file
// of any length goes out without being held.
func writeCSV[T any](w io.Writer, header []string, rows domain.Rows[T], record func(T) []string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(func(row T) error { return cw.Write(record(row)) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes v as one line of JSON, with <, > and & escaped so that
// the document is safe wherever it is pasted.
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// writeJSONValue writes v as JSON, escaped as writeJSON escapes it, without
// a line end: a piece of a document written piece by piece.
func writeJSONValue(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// writeJSONList writes the object head with one more key last, list, whose
// value is the array of what item writes of each of rows, as rows reads
// them: a document as long as its rows, written without being held. head
// must marshal to an object.
func writeJSONList[T any](w io.Writer, head any, list string, rows domain.Rows[T], item func(T) error) error {
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	key, err := json.Marshal(list)
	if err != nil {
		return err
	}
	open := b[:len(b)-1] // the head without its closing brace
	if len(b) > 2 {      // keys come before this one
		open = append(open, ',')
	}
	if _, err := w.Write(append(append(open, key...), ":["...)); err != nil {
		return err
	}
	first := true
	if err := rows(func(row T) error {
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		return item(row)
	}); err != nil {
		return err
	}
	_, err = io.WriteString(w, "]}")
	return err
}

// jsonDate is a date written YYYY-MM-DD, or null when there is none.
func jsonDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.Format(domain.DateLayout)
	return &d
}

// jsonSeats is a subscription's seat count, or null when none were given
// (and for usage-based subscriptions, which have none).
func jsonSeats(s domain.Subscription) *int {
	n := s.Seats()
	if n == 0 {
		return nil
	}
	return &n
}
