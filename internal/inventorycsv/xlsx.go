package inventorycsv

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
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

// xlsxSource gives the rows of one sheet of a workbook, row 1 first, each
// with its row number.
type xlsxSource struct {
	book *workbook
	next int
}

func (s *xlsxSource) Read() ([]string, error) {
	if s.next >= len(s.book.rows) {
		return nil, io.EOF
	}
	s.next++
	return s.book.rows[s.next-1], nil
}

func (s *xlsxSource) Line() int { return s.book.lines[s.next-1] }

func (s *xlsxSource) Separator() string { return "cell" }

// workbook is what a workbook upload holds: the rows of the sheet read,
// row 1 and those with a value, with their row numbers (lines), and the
// names of every sheet, for the preview to offer.
type workbook struct {
	sheet  string
	sheets []string
	rows   [][]string
	lines  []int
}

// xmlInMemory is the largest part of a workbook kept unzipped in memory:
// excelize streams a larger sheet from a temporary file, which took the
// 10,000-row benchmark from 61 to 49 MB of peak RSS at the same speed. A
// shared string table over it goes to a file too, where each string costs
// a read: at 64 KB the benchmark's 0.6 MB table did, for 4 MB less and a
// third more time.
const xmlInMemory = 1 << 20

// readXLSX reads the sheet named sheet of an .xlsx workbook, or its first
// sheet when sheet is empty or not there. Cells are read raw, so that a
// date is its Excel serial number (which the date parser reads) rather
// than text formatted by the author's locale, and a formula is its cached
// value. A header cell merged across columns gives its text to each of
// them. Rows are padded to the header's width and trailing empty cells
// dropped, as a spreadsheet has no fixed row length; reading stops after
// MaxRows rows with a value past the header, and the caller refuses more.
func readXLSX(data []byte, sheet string) (workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 16 * MaxBytes, UnzipXMLSizeLimit: xmlInMemory})
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
	// Blank rows are left out, each row keeping its number, so that a sheet
	// with blank rows among 10,000 is read to its end and a sparse one (a
	// cell in A1 and one in A1048576) costs no memory for the rows between.
	for row := 1; len(wb.rows) <= MaxRows+1 && rows.Next(); row++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return workbook{}, sheetProblem(wb.sheet, err)
		}
		if row == 1 || !blank(cells) {
			wb.rows, wb.lines = append(wb.rows, cells), append(wb.lines, row)
		}
	}
	if err := rows.Error(); err != nil {
		return workbook{}, sheetProblem(wb.sheet, err)
	}
	merges, err := mergedRanges(data, f, wb.sheet)
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

// mergedRanges lists the ranges merged in the sheet, as references such
// as "A1:C1". It reads them from the sheet's part as a stream, because
// excelize's GetMergeCells decodes the whole sheet into memory first
// (about 175 MB for 10,000 rows). A workbook that stream cannot follow
// is left to GetMergeCells, which reads it as before.
func mergedRanges(data []byte, f *excelize.File, sheet string) ([]string, error) {
	if refs, err := streamMergedRanges(data, sheet); err == nil {
		return refs, nil
	}
	merges, err := f.GetMergeCells(sheet, true)
	refs := make([]string, len(merges))
	for i, m := range merges {
		refs[i] = m[0]
	}
	return refs, err
}

// streamMergedRanges reads the ref of every <mergeCell> in the part of the
// sheet (https://learn.microsoft.com/dotnet/api/documentformat.openxml.spreadsheet.mergecells),
// holding one XML token at a time.
func streamMergedRanges(data []byte, sheet string) ([]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	part, err := sheetPart(zr, sheet)
	if err != nil {
		return nil, err
	}
	rc, err := part.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var refs []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return refs, nil
		}
		if err != nil {
			return nil, err
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "mergeCell" {
			for _, a := range el.Attr {
				if a.Name.Local == "ref" {
					refs = append(refs, a.Value)
				}
			}
		}
	}
}

// opcRelationships is a relationships part of the package. Names are
// matched without their namespace, so that files in the transitional and
// the strict schemas read alike.
type opcRelationships struct {
	Relationships []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// sheetPart finds the part of the sheet named sheet as Excel links it:
// the package's relationships (_rels/.rels) name the workbook part, whose
// <sheet> element gives the sheet's relationship id, which the workbook's
// own relationships turn into the worksheet part
// (https://learn.microsoft.com/office/open-xml/spreadsheet/structure-of-a-spreadsheetml-document).
func sheetPart(zr *zip.Reader, sheet string) (*zip.File, error) {
	var pkg opcRelationships
	if err := decodePart(zr, "_rels/.rels", &pkg); err != nil {
		return nil, err
	}
	bookPath := ""
	for _, rel := range pkg.Relationships {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			bookPath = partPath("", rel.Target)
		}
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(zr, bookPath, &book); err != nil {
		return nil, err
	}
	var bookRels opcRelationships
	dir, file := path.Split(bookPath)
	if err := decodePart(zr, dir+"_rels/"+file+".rels", &bookRels); err != nil {
		return nil, err
	}
	for _, s := range book.Sheets {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, rel := range bookRels.Relationships {
			if rel.ID == s.ID {
				return findPart(zr, partPath(dir, rel.Target))
			}
		}
	}
	return nil, fmt.Errorf("no part for the sheet %q", sheet)
}

// partPath is the zip name of the part a relationship targets from a part
// in the folder dir: a target is relative to that folder unless it starts
// with a slash, from the package's root.
func partPath(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return path.Join(dir, target)
}

// findPart is the zip entry of the part named name; part names ignore
// case, and some writers separate folders with backslashes.
func findPart(zr *zip.Reader, name string) (*zip.File, error) {
	for _, zf := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(zf.Name, "\\", "/"), name) {
			return zf, nil
		}
	}
	return nil, fmt.Errorf("no part %q", name)
}

// decodePart decodes the XML part named name into v.
func decodePart(zr *zip.Reader, name string, v any) error {
	zf, err := findPart(zr, name)
	if err != nil {
		return err
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// fillMergedHeader gives each header cell covered by a merge of the first
// row the text of the merge's first cell, which holds the merged cell's
// value.
func fillMergedHeader(header []string, merges []string) []string {
	for _, ref := range merges {
		first, last, ok := strings.Cut(ref, ":")
		if !ok {
			last = first
		}
		startCol, startRow, err1 := excelize.CellNameToCoordinates(first)
		endCol, _, err2 := excelize.CellNameToCoordinates(last)
		if err1 != nil || err2 != nil || startRow != 1 {
			continue
		}
		for len(header) < max(startCol, endCol) {
			header = append(header, "")
		}
		for c := startCol + 1; c <= endCol; c++ {
			header[c-1] = header[startCol-1]
		}
	}
	return header
}
