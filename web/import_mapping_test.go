package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// naturalFile is a customer's spreadsheet as issue 13 found it: its own
// headers, a column of its own, dd/mm/yyyy dates of a UK customer and
// channel values the aliases do not know.
const naturalFile = "Subscription,Type,Purchased from,Licences,Renewal date,Agreement / ID,Comments,Cost centre\n" +
	"Microsoft 365 E3,Licence,Pay-as-you-go,25,31/12/2026,,Head office,100\n" +
	"Power BI Pro,Licence,Pay-as-you-go,10,15/01/2027,,,100\n" +
	"Visio Plan 2,Licence,Pay-as-you-go,3,28/02/2027,,,200\n" +
	"Project Plan 3,Licence,Pay-as-you-go,2,30/06/2027,,,200\n" +
	"Microsoft 365 Business Premium,Licence,Reseller (Pinnacle IT),40,31/03/2027,,,300\n" +
	"Exchange Online Plan 1,Licence,Reseller (Pinnacle IT),5,30/04/2027,PIN-778,,300\n"

var mappingAction = regexp.MustCompile(`action="(/customers/\d+/import/uploads/\d+)"`)

// selectedIn returns the value selected in the select named name.
func selectedIn(body, name string) string {
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		return "(no select)"
	}
	rest := body[i:]
	rest = rest[:strings.Index(rest, "</select>")]
	m := regexp.MustCompile(`<option value="([^"]*)" selected`).FindStringSubmatch(rest)
	if m == nil {
		return "(none selected)"
	}
	return m[1]
}

// TestImportMapsTheColumnsOfANaturalSpreadsheet holds issue 13's items 1
// and 2 through HTTP: a file with natural headers goes to the mapping step
// with its columns and values proposed; a field mapped twice is refused
// with 422, keeping the choices, and so is a form sent short; the kept upload is not reachable through
// another customer; a good mapping previews the file with the unknown
// column ignored and the seller in the reference; the upload serves once;
// the next file of the same columns goes straight to the preview.
func TestImportMapsTheColumnsOfANaturalSpreadsheet(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	contoso, fabrikam := app.customerID("Contoso"), app.customerID("Fabrikam")
	res := app.upload(c, views.CustomerPath(contoso, "import"), "natural.csv", []byte(naturalFile))
	if res.status != http.StatusOK || !strings.Contains(res.body, `id="mapping-form"`) {
		t.Fatalf("a file with natural headers: %d\n%s", res.status, res.body)
	}
	want := map[string]string{"column_0": "product", "column_1": "service_type", "column_2": "channel", "column_3": "quantity",
		"column_4": "term_end", "column_5": "reference", "column_6": "notes", "column_7": "",
		"channel:pay-as-you-go": "microsoft_direct", "channel:reseller (pinnacle it)": "third_party"}
	for name, value := range want {
		if got := selectedIn(res.body, name); got != value {
			t.Errorf("%s proposes %q; want %q", name, got, value)
		}
	}
	for _, s := range []string{"Pay-as-you-go", "× 4", "Reseller (Pinnacle IT)", "× 2", "Head office", `&#34;Pinnacle IT&#34; becomes the reference`} {
		if !strings.Contains(res.body, s) {
			t.Errorf("the mapping step does not show %q", s)
		}
	}
	m := mappingAction.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no mapping form action:\n%s", res.body)
	}
	action := m[1]
	form := url.Values{}
	for name, value := range want {
		form.Set(name, value)
	}

	twice := url.Values{}
	for k, v := range form {
		twice[k] = v
	}
	twice.Set("column_6", "product")
	res = app.post(c, action, twice)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Product is already filled from the column &#34;Subscription&#34;") ||
		selectedIn(res.body, "column_6") != "product" {
		t.Errorf("a field mapped twice: %d\n%s", res.status, res.body)
	}

	if res := app.post(c, action, url.Values{"column_0": {"product"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "does not fit the columns") {
		t.Errorf("a form sent short: %d", res.status)
	}

	other := strings.Replace(action, views.CustomerPath(contoso, ""), views.CustomerPath(fabrikam, ""), 1)
	if res := app.post(c, other, form); res.status != http.StatusNotFound {
		t.Errorf("the upload through another customer's URL: %d; want 404", res.status)
	}
	if res := app.post(app.signIn(adminAgent), action, form); res.status != http.StatusNotFound {
		t.Errorf("the upload by another user: %d; want 404", res.status)
	}

	res = app.followBatch(c, app.post(c, action, form))
	if res.status != http.StatusOK || !strings.Contains(res.body, "6 subscriptions ready to import") ||
		!strings.Contains(res.body, `The column &#34;Cost centre&#34; is not one of ours and was ignored.`) ||
		!strings.Contains(res.body, "Pinnacle IT") || !strings.Contains(res.body, "PIN-778") || !strings.Contains(res.body, "2026-12-31") {
		t.Fatalf("the confirmed mapping: %d\n%s", res.status, res.body)
	}
	if res := app.post(c, action, form); res.status != http.StatusNotFound {
		t.Errorf("the upload mapped a second time: %d; want 404", res.status)
	}

	res = app.upload(c, views.CustomerPath(contoso, "import"), "natural-again.csv", []byte(naturalFile))
	if res.status != http.StatusOK || strings.Contains(res.body, `id="mapping-form"`) || !strings.Contains(res.body, "6 subscriptions ready to import") ||
		!strings.Contains(res.body, "mapping remembered") {
		t.Errorf("the second file of the same columns: %d\n%s", res.status, res.body)
	}
	if got := len(app.auditEntries(domain.AuditImportMappingSaved)); got != 1 {
		t.Errorf("%d import_mapping_saved audit entries; want 1", got)
	}
}
