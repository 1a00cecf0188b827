package inventorycsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/wingtip/multichannel/internal/domain"
)

// The CSV text of an upload, read the way Parse reads it, for a package
// that reads a CSV of another shape (internal/msexports reads the admin
// center's Volume Licensing contracts): the same encodings, delimiters,
// limits and line numbers, so that a file imports, or fails, the same
// whichever reads it.

// Text is a CSV upload read whole: its header, its records with the line
// each starts on (blank ones skipped), the lines that could not be read or
// whose values do not match the header, and the encoding it was found in.
type Text struct {
	Header   []string
	Records  []TextRecord
	Errors   []RowError
	Encoding Encoding
}

// TextRecord is one record of a CSV upload after its header.
type TextRecord struct {
	Line  int
	Cells []string
}

// TextHeader is the header of a CSV upload, found as Parse finds it; ok is
// false for a workbook, a file that is not text or has no header line.
func TextHeader(data []byte) ([]string, bool) {
	if bytes.HasPrefix(data, xlsxMagic) {
		return nil, false
	}
	t, err := openTable(data, "")
	return t.header, err == nil
}

// ReadText reads a CSV upload whole within the limits of Parse. Its errors
// are those of the file as a whole: ErrTooLarge, ErrNotText,
// ErrTooManyRows, ErrNoRows, or a *HeaderError for a file with no header.
// A workbook is not text: Parse and Inspect read those.
func ReadText(data []byte) (Text, error) {
	t, err := openTable(data, "")
	if err != nil {
		return Text{}, err
	}
	all, err := t.readAll()
	if err != nil {
		return Text{}, err
	}
	if len(all) == 0 {
		return Text{}, ErrNoRows
	}
	out := Text{Header: t.header, Encoding: t.encoding}
	for _, r := range all {
		if r.err != nil {
			out.Errors = append(out.Errors, *r.err)
		} else {
			out.Records = append(out.Records, TextRecord{Line: r.line, Cells: r.record})
		}
	}
	return out, nil
}

// read is one record of a table after its header: its cells and the line
// it starts on, or the problem that keeps it from being read.
type read struct {
	record []string
	line   int
	err    *RowError
}

// readAll reads the records of a table after its header, blank ones
// skipped, within MaxRows.
func (t table) readAll() ([]read, error) {
	var all []read
	for {
		record, err := t.src.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			// The reader resumes on the next line, so the rest of the file is
			// still checked and reported in the same pass.
			all = append(all, read{err: &RowError{Line: pe.StartLine, Message: csvProblem(err)}})
		case err != nil:
			return nil, fmt.Errorf("reading the file: %w", err)
		case blank(record):
			continue
		case len(record) != len(t.header):
			// The values cannot be matched to columns, so checking them one by
			// one would only add misleading errors.
			all = append(all, read{err: &RowError{Line: t.src.Line(), Message: fmt.Sprintf(
				"this row has %d values but the header has %d columns; check for a missing or extra %s",
				len(record), len(t.header), t.src.Separator())}})
		default:
			all = append(all, read{record: record, line: t.src.Line()})
		}
		if len(all) > MaxRows {
			return nil, ErrTooManyRows
		}
	}
	return all, nil
}

// ReadDates decides the order of an upload's numeric dates from its date
// cells as Parse does: the order the uploader chose, else the one the
// cells show, else, when they fit either, the customer's country's.
func ReadDates(cells []string, chosen domain.DateOrder, country string) DateReading {
	return readDates(cells, Options{DateOrder: chosen, Country: country})
}
