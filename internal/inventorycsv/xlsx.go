package inventorycsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// EncodingXLSX is the "encoding" of an Excel workbook, whose cells are
// read as they are stored rather than as text.
const EncodingXLSX Encoding = "Excel workbook (.xlsx)"

// xlsxMagic opens every .xlsx file: it is a zip archive.
var xlsxMagic = []byte("PK\x03\x04")

// ErrNotAWorkbook says a file that looks like a zip archive is not an
// Excel workbook that can be read.
var ErrNotAWorkbook = errors.New("the file is a zip archive but not an Excel workbook (.xlsx) that can be read; save it again from Excel as .xlsx or as CSV UTF-8")

// recordSource gives a file's records one by one, each with the line (or
// row) of the file it starts on.
type recordSource interface {
	Read() ([]string, error)
	Line() int
	// Separator names what separates values, for the message of a row
	// with too few or too many.
	Separator() string
}

// csvSource reads CSV text.
type csvSource struct{ *csv.Reader }

func newCSVSource(text []byte) csvSource {
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = detectDelimiter(text)
	// Row lengths are checked by Parse, so that a short row is reported
	// with the others instead of stopping the reader.
	cr.FieldsPerRecord = -1
	return csvSource{cr}
}

func (s csvSource) Line() int {
	line, _ := s.FieldPos(0)
	return line
}

func (s csvSource) Separator() string { return delimiterName(s.Comma) }

// xlsxSource gives the rows of one sheet of a workbook, row 1 first.
type xlsxSource struct {
	rows [][]string
	next int
}

func (s *xlsxSource) Read() ([]string, error) {
	if s.next >= len(s.rows) {
		return nil, io.EOF
	}
	s.next++
	return s.rows[s.next-1], nil
}

func (s *xlsxSource) Line() int { return s.next }

func (s *xlsxSource) Separator() string { return "cell" }

// workbook is what a workbook upload holds: the rows of the sheet read and
// the names of every sheet, for the preview to offer.
type workbook struct {
	sheet  string
	sheets []string
	rows   [][]string
}

// readXLSX reads the sheet named sheet of an .xlsx workbook, or its first
// sheet when sheet is empty or not there. Cells are read raw, so that a
// date is its Excel serial number (which the date parser reads) rather
// than text formatted by the author's locale, and a formula is its cached
// value. A header cell merged across columns gives its text to each of
// them. Rows are padded to the header's width and trailing empty cells
// dropped, as a spreadsheet has no fixed row length; reading stops after
// MaxRows rows past the header, and the caller refuses more.
func readXLSX(data []byte, sheet string) (workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 16 * MaxBytes, UnzipXMLSizeLimit: 4 * MaxBytes})
	if err != nil {
		return workbook{}, ErrNotAWorkbook
	}
	defer f.Close()
	wb := workbook{sheets: f.GetSheetList()}
	if len(wb.sheets) == 0 {
		return workbook{}, ErrNotAWorkbook
	}
	wb.sheet = wb.sheets[0]
	if sheet != "" && slices.Contains(wb.sheets, sheet) {
		wb.sheet = sheet
	}
	rows, err := f.Rows(wb.sheet)
	if err != nil {
		return workbook{}, sheetProblem(wb.sheet, err)
	}
	defer rows.Close()
	for rows.Next() && len(wb.rows) <= MaxRows+1 {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return workbook{}, sheetProblem(wb.sheet, err)
		}
		wb.rows = append(wb.rows, cells)
	}
	if err := rows.Error(); err != nil {
		return workbook{}, sheetProblem(wb.sheet, err)
	}
	merges, err := f.GetMergeCells(wb.sheet)
	if err != nil {
		return workbook{}, sheetProblem(wb.sheet, err)
	}
	if len(wb.rows) > 0 {
		wb.rows[0] = fillMergedHeader(wb.rows[0], merges)
		width := len(wb.rows[0])
		for i, row := range wb.rows[1:] {
			for len(row) > width && strings.TrimSpace(row[len(row)-1]) == "" {
				row = row[:len(row)-1]
			}
			for len(row) < width {
				row = append(row, "")
			}
			wb.rows[i+1] = row
		}
	}
	return wb, nil
}

// sheetProblem is ErrNotAWorkbook for a sheet that cannot be read, with
// the reader's words.
func sheetProblem(sheet string, err error) error {
	return fmt.Errorf("%w (the sheet %q: %v)", ErrNotAWorkbook, sheet, err)
}

// fillMergedHeader gives each header cell covered by a merge of the first
// row the merged cell's text.
func fillMergedHeader(header []string, merges []excelize.MergeCell) []string {
	for _, m := range merges {
		startCol, startRow, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		endCol, _, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || startRow != 1 {
			continue
		}
		for len(header) < endCol {
			header = append(header, "")
		}
		for c := startCol; c <= endCol; c++ {
			header[c-1] = m.GetCellValue()
		}
	}
	return header
}
