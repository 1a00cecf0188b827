package inventorycsv

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/wingtip/multichannel/internal/domain"
)

// workbookBytes builds an .xlsx file: the sheets in order, each a list of
// rows of cell values; edit may change the workbook before it is saved.
func workbookBytes(t testing.TB, sheets map[string][][]any, order []string, edit func(*excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestParseXLSX: a workbook's first sheet (or the one chosen) is read like
// a CSV file, its dates as Excel keeps them, its formulas by their cached
// values, a merged header cell naming each column it covers; an empty
// sheet is an empty file; 10,001 rows are refused; and the result names
// the sheet read and every sheet.
func TestParseXLSX(t *testing.T) {
	inventory := [][]any{
		{"product", "service_type", "channel", "quantity", "term_end", "notes"},
		{"Microsoft 365 E3", "licence", "ea", 250, 46569, "first row"},  // 46569: 1 July 2027 as Excel stores it
		{"Power BI Pro", "licence", "other_csp", 12, "31/12/2026", nil}, // a date typed as text
		{"Azure plan", "usage", "Web Direct", nil, nil, "line one\nline two"},
	}
	data := workbookBytes(t, map[string][][]any{"Cover": {{"Inventory of Contoso"}}, "Inventory": inventory, "Empty": nil},
		[]string{"Cover", "Inventory", "Empty"}, nil)
	// The first sheet is a cover page: its one cell is not a header.
	if _, err := Parse(bytes.NewReader(data), today, Options{}); err == nil || !strings.Contains(err.Error(), "Inventory of Contoso") {
		t.Errorf("the cover sheet read as %v", err)
	}
	res, err := Parse(bytes.NewReader(data), today, Options{Sheet: "Inventory", Country: "GB"})
	if err != nil || !res.OK() {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	if res.Encoding != EncodingXLSX || res.Sheet != "Inventory" || !slices.Equal(res.Sheets, []string{"Cover", "Inventory", "Empty"}) {
		t.Errorf("read %q sheet %q of %q", res.Encoding, res.Sheet, res.Sheets)
	}
	var got []string
	for _, r := range res.Rows {
		s := r.Subscription
		got = append(got, fmt.Sprintf("%d %s %s %s %d %s %q", r.Line, s.Product, s.ServiceType, s.Channel, s.Quantity, domain.FormatDate(s.TermEnd), s.Notes))
	}
	want := []string{`2 Microsoft 365 E3 licence ea 250 2027-07-01 "first row"`, `3 Power BI Pro licence other_csp 12 2026-12-31 ""`,
		`4 Azure plan usage microsoft_direct 0  "line one\nline two"`}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := Parse(bytes.NewReader(data), today, Options{Sheet: "Empty"}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("the empty sheet: %v", err)
	}
}

// TestParseXLSXMergedHeaderAndFormulas: a header cell merged over two
// columns names both (so a duplicate is reported as for a CSV), and a
// formula's cached value is read.
func TestParseXLSXMergedHeaderAndFormulas(t *testing.T) {
	rows := [][]any{{"product", "quantity", "notes"}, {"Microsoft 365 E3", 10, "x"}}
	data := workbookBytes(t, map[string][][]any{"S": rows}, []string{"S"}, func(f *excelize.File) {
		if err := f.SetCellValue("S", "B2", 30); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellFormula("S", "B2", "=3*10"); err != nil {
			t.Fatal(err)
		}
	})
	res, err := Parse(bytes.NewReader(data), today, Options{})
	if err != nil || len(res.Rows) != 1 || res.Rows[0].Subscription.Quantity != 30 {
		t.Errorf("the formula's cached value: %v %+v %+v", err, res.Rows, res.Errors)
	}
	merged := workbookBytes(t, map[string][][]any{"S": {{"product", "notes", nil}, {"A", "x", "y"}}}, []string{"S"}, func(f *excelize.File) {
		if err := f.MergeCell("S", "B1", "C1"); err != nil {
			t.Fatal(err)
		}
	})
	var he *HeaderError
	if _, err := Parse(bytes.NewReader(merged), today, Options{}); !errors.As(err, &he) || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a header merged over two columns: %v", err)
	}
}

// TestParseXLSXRowLimit: 10,000 rows import, 10,001 are refused.
func TestParseXLSXRowLimit(t *testing.T) {
	for _, tc := range []struct {
		rows int
		want error
	}{{MaxRows, nil}, {MaxRows + 1, ErrTooManyRows}} {
		rows := [][]any{{"product"}}
		for i := range tc.rows {
			rows = append(rows, []any{fmt.Sprintf("Microsoft 365 E3 %d", i)})
		}
		_, err := Parse(bytes.NewReader(workbookBytes(t, map[string][][]any{"S": rows}, []string{"S"}, nil)), today, Options{})
		if !errors.Is(err, tc.want) && (tc.want != nil || err != nil) {
			t.Errorf("%d rows: %v, want %v", tc.rows, err, tc.want)
		}
	}
	if _, err := Parse(bytes.NewReader([]byte("PK\x03\x04not a zip")), today, Options{}); !errors.Is(err, ErrNotAWorkbook) {
		t.Errorf("a broken zip: %v", err)
	}
	// Blank rows do not count: 10,000 rows with a blank row after every
	// thousand are read to the last, with their own row numbers.
	rows := [][]any{{"product"}}
	for i := range MaxRows {
		if i%1000 == 999 {
			rows = append(rows, []any{nil})
		}
		rows = append(rows, []any{fmt.Sprintf("Microsoft 365 E3 %d", i)})
	}
	res, err := Parse(bytes.NewReader(workbookBytes(t, map[string][][]any{"S": rows}, []string{"S"}, nil)), today, Options{})
	if err != nil || len(res.Rows) != MaxRows || res.Rows[MaxRows-1].Line != MaxRows+11 {
		t.Errorf("10,000 rows among blank ones: %v, %d rows, last at line %d", err, len(res.Rows), res.Rows[len(res.Rows)-1].Line)
	}
	// A sparse sheet keeps only its rows with a value, with their numbers.
	sparse := workbookBytes(t, map[string][][]any{"S": {{"product"}, {"Visio Plan 2"}}}, []string{"S"}, func(f *excelize.File) {
		if err := f.SetCellValue("S", "A1048576", "Project Plan 3"); err != nil {
			t.Fatal(err)
		}
	})
	book, err := readXLSX(sparse, "")
	if err != nil || len(book.rows) != 3 || book.lines[2] != 1048576 {
		t.Fatalf("a sparse sheet: %v, %d rows kept, lines %v", err, len(book.rows), book.lines)
	}
	if res, err := Parse(bytes.NewReader(sparse), today, Options{}); err != nil || len(res.Rows) != 2 || res.Rows[1].Line != 1048576 {
		t.Errorf("a sparse sheet parsed: %v, %+v", err, res.Rows)
	}
}

// TestReadXLSXMergedHeaderParts: the merges of the chosen sheet are found
// by following the workbook's relationships, relative or absolute, and a
// sheet the stream cannot read (here, in an encoding other than UTF-8) is
// read through excelize with the same header.
func TestReadXLSXMergedHeaderParts(t *testing.T) {
	saved := workbookBytes(t, map[string][][]any{"Cover": {{"x"}}, "S": {{"product", "notes", nil}, {"A", "x", "y"}}},
		[]string{"Cover", "S"}, func(f *excelize.File) {
			if err := f.MergeCell("S", "B1", "C1"); err != nil {
				t.Fatal(err)
			}
		})
	for _, tc := range []struct {
		name     string
		edit     func(name string, body []byte) []byte
		streamed bool
	}{
		{"as excelize saves it", func(_ string, body []byte) []byte { return body }, true},
		{"absolute targets", func(name string, body []byte) []byte {
			if name == "xl/_rels/workbook.xml.rels" {
				return bytes.ReplaceAll(body, []byte(`Target="worksheets/`), []byte(`Target="/xl/worksheets/`))
			}
			return body
		}, true},
		{"a sheet in Latin-1", func(name string, body []byte) []byte {
			if name == "xl/worksheets/sheet2.xml" {
				return bytes.Replace(body, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1)
			}
			return body
		}, false},
	} {
		data := rezip(t, saved, tc.edit)
		if _, err := streamMergedRanges(data, "S"); (err == nil) != tc.streamed {
			t.Errorf("%s: streamed %v, want %v", tc.name, err == nil, tc.streamed)
		}
		wb, err := readXLSX(data, "S")
		if err != nil || len(wb.rows) == 0 || !slices.Equal(wb.rows[0], []string{"product", "notes", "notes"}) {
			t.Errorf("%s: %v %q", tc.name, err, wb.rows)
		}
	}
}

// rezip is the zip archive data with each part's body passed through edit.
func rezip(t *testing.T, data []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(edit(zf.Name, body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
