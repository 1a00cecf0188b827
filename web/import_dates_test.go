package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/wingtip/multichannel/views"
)

// TestImportReadsTheDatesOfTheCustomersCountry holds the dates of an
// upload through HTTP: a UK file's dd/mm/yyyy dates import; a file whose
// every date fits both orders is read as usual in the customer's country
// and the preview says so; choosing the order on the form reads it that
// way; the form offers the choice.
func TestImportReadsTheDatesOfTheCustomersCountry(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	contoso, fabrikam := app.customerID("Contoso"), app.customerID("Fabrikam") // GB and US
	if form := app.get(c, views.CustomerPath(contoso, "import")).body; !strings.Contains(form, `<option value="mdy">Month first (12/31/2027)</option>`) {
		t.Error("the upload form does not offer the order of numeric dates")
	}
	uk := "product,service_type,channel,quantity,term_end\n" +
		"Microsoft 365 E3,licence,ea,10,31/12/2026\nPower BI Pro,licence,ea,5,01/07/2027\n"
	res := app.upload(c, views.CustomerPath(contoso, "import"), "uk.csv", []byte(uk))
	if res.status != http.StatusOK || !strings.Contains(res.body, "2026-12-31") || !strings.Contains(res.body, "2027-07-01") ||
		!strings.Contains(res.body, "Numeric dates were read day first: 03/04/2027 is 3 April 2027, as the file shows.") {
		t.Errorf("a UK file: %d\n%s", res.status, res.body)
	}
	ambiguous := "product,service_type,channel,quantity,term_end\nMicrosoft 365 E3,licence,ea,10,03/04/2027\n"
	res = app.upload(c, views.CustomerPath(fabrikam, "import"), "us.csv", []byte(ambiguous))
	if !strings.Contains(res.body, "2027-03-04") || !strings.Contains(res.body, "fits both orders, so they were read month first") ||
		!strings.Contains(res.body, "as usual in United States") {
		t.Errorf("an ambiguous file for a US customer:\n%s", res.body)
	}
	res = app.uploadWith(c, views.CustomerPath(fabrikam, "import"), "us.csv", []byte(ambiguous), map[string]string{"date_order": "dmy"})
	if !strings.Contains(res.body, "2027-04-03") || !strings.Contains(res.body, "as you chose") {
		t.Errorf("the same file read day first as chosen:\n%s", res.body)
	}
}

// TestImportSaysTheEncoding: a file Excel saved as plain CSV in
// Windows-1252 imports, and the preview says how it was read.
func TestImportSaysTheEncoding(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	file := "product,service_type,channel,notes\r\nMicrosoft 365 E3,licence,ea,Caf\xe9 \x80\r\n"
	res := app.upload(c, views.CustomerPath(app.customerID("Contoso"), "import"), "excel.csv", []byte(file))
	if res.status != http.StatusOK || !strings.Contains(res.body, "Read as Windows-1252 text.") || !strings.Contains(res.body, "ready to import") {
		t.Errorf("a Windows-1252 file: %d\n%s", res.status, res.body)
	}
}

// TestImportAWorkbook: an .xlsx upload goes to the preview like a CSV file,
// from the sheet named on the form, and the preview names the sheet read
// and the others; a broken workbook is refused on the form with 422.
func TestImportAWorkbook(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	path := views.CustomerPath(app.customerID("Contoso"), "import")
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Notes")
	f.NewSheet("Licences")
	for r, row := range [][]any{{"product", "service_type", "channel", "quantity", "term_end"}, {"Microsoft 365 E3", "licence", "ea", 250, 46569}} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		f.SetSheetRow("Licences", cell, &row)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	res := app.uploadWith(c, path, "contoso.xlsx", buf.Bytes(), map[string]string{"sheet": "Licences"})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Read from the sheet “Licences” of an Excel workbook.") ||
		!strings.Contains(res.body, "It also has Notes") || !strings.Contains(res.body, "2027-07-01") || !strings.Contains(res.body, "1 subscription ready to import") {
		t.Errorf("a workbook: %d\n%s", res.status, res.body)
	}
	if res := app.upload(c, path, "broken.xlsx", []byte("PK\x03\x04broken")); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "not an Excel workbook") {
		t.Errorf("a broken workbook: %d", res.status)
	}
}

// TestImportAWorkbookThroughTheMappingStep: the sheet named on the upload
// form is carried through the mapping step of a workbook whose header is
// not ours, and the preview reads that sheet.
func TestImportAWorkbookThroughTheMappingStep(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	f := excelize.NewFile()
	defer f.Close()
	f.NewSheet("Licences")
	for r, row := range [][]any{{"Subscription", "Licences", "Renewal date"}, {"Microsoft 365 E3", 250, 46569}} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		f.SetSheetRow("Licences", cell, &row)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	res := app.uploadWith(c, views.CustomerPath(app.customerID("Contoso"), "import"), "natural.xlsx", buf.Bytes(), map[string]string{"sheet": "Licences"})
	m := mappingAction.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil || !strings.Contains(res.body, `name="sheet" value="Licences"`) {
		t.Fatalf("the mapping step of the sheet Licences: %d\n%s", res.status, res.body)
	}
	form := url.Values{"column_0": {"product"}, "column_1": {"quantity"}, "column_2": {"term_end"}, "sheet": {"Licences"}}
	res = app.followBatch(c, app.post(c, m[1], form))
	if res.status != http.StatusOK || !strings.Contains(res.body, "1 subscription ready to import") || !strings.Contains(res.body, "2027-07-01") ||
		!strings.Contains(res.body, "Read from the sheet “Licences”") {
		t.Errorf("the preview after mapping: %d\n%s", res.status, res.body)
	}
}
