package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/msexports"
	"github.com/wingtip/multichannel/views"
)

var (
	confirmImportPattern = regexp.MustCompile(`action="(/customers/\d+/import/\d+)"`)
	selectPattern        = regexp.MustCompile(`<select[^>]* name="([^"]+)"`)
	hiddenPattern        = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// proposedMapping is the mapping step's form as it is proposed: every
// select's selected value and the hidden fields.
func proposedMapping(body string) url.Values {
	form := url.Values{}
	for _, m := range selectPattern.FindAllStringSubmatch(body, -1) {
		form.Set(m[1], selectedIn(body, m[1]))
	}
	for _, m := range hiddenPattern.FindAllStringSubmatch(body, -1) {
		form.Set(m[1], m[2])
	}
	return form
}

// TestImportEachSampleExport holds item 5 and 8 of issue 13 through HTTP:
// the import page links each sample, which downloads with its content
// type; an export uploaded for its customer goes straight to the preview,
// which says the format recognised and marks the guesses with what they
// are based on; the customer's own spreadsheet goes through the mapping
// step first, and its workbook, of the same columns, is then read with the
// mapping remembered; confirming imports every row.
func TestImportEachSampleExport(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	customers := map[string]string{"contoso.onmicrosoft.com": "Contoso", "fabrikam.onmicrosoft.com": "Fabrikam",
		"northwindtraders.onmicrosoft.com": "Northwind", "alpineskihouse.onmicrosoft.com": "Alpine",
		"woodgrovebank.onmicrosoft.com": "Woodgrove", "tailspintoys.onmicrosoft.com": "Tailspin"}
	want := map[string][]string{
		"contoso-subscribedSkus.json": {"Recognised as Microsoft Graph subscribedSkus", `value="Microsoft 365 E3"`,
			"skuPartNumber SPE_E3 is Microsoft 365 E3 in the catalogue", "CONTOSO_LAB_ADDON"},
		"fabrikam-directory-subscriptions.json": {"Recognised as Microsoft Graph directory/subscriptions",
			`<option value="other_csp" selected>Another CSP partner</option>`, "is another partner&#39;s tenant", "is our tenant", "isTrial is true"},
		"northwind-arm-subscriptions.json": {"Recognised as Azure Resource Manager subscriptions list", "Microsoft Customer Agreement&#39;s Azure plan: confirm which",
			"pay-as-you-go", "Visual Studio offer", "Azure in Open"},
		"alpine-az-account-list.json": {"Recognised as Azure CLI az account list", "does not give the quota id",
			"Azure subscription (Alpine Ski House bookings)"},
		"woodgrove-vl-contracts.csv": {"Recognised as Microsoft 365 admin center Volume Licensing contracts",
			`<option value="ea" selected>Enterprise Agreement or MCA-enterprise</option>`, "Parent Program &#34;Select Plus Agreement&#34; is Select or Select Plus",
			"says the agreement has ended", "Volume Licensing agreement (no parent program)", "2027-06-30", "62345678"},
		"tailspin-licences.csv":  {"4 subscriptions ready to import", "Third-party reseller", "Microsoft direct", "PIN-20931", "2027-03-31"},
		"tailspin-licences.xlsx": {"4 subscriptions ready to import", "mapping remembered", "Third-party reseller", "PIN-20931", "2027-03-31"},
	}
	types := map[string]string{".json": "application/json", ".csv": "text/csv; charset=utf-8",
		".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	mapped := 0
	for _, sample := range demo.Samples {
		id := app.customerID(customers[sample.Customer])
		form := app.get(c, views.CustomerPath(id, "import"))
		if !strings.Contains(form.body, `href="`+importSamplesPath+sample.File+`"`) {
			t.Errorf("the import page does not link %s", sample.File)
		}
		file := app.get(c, importSamplesPath+sample.File)
		data, _ := demo.SampleFile(sample.File)
		if file.status != http.StatusOK || file.body != string(data) || file.header.Get("Content-Type") != types[sample.File[strings.LastIndex(sample.File, "."):]] {
			t.Errorf("download of %s: %d, %s", sample.File, file.status, file.header.Get("Content-Type"))
		}
		count := func() int {
			_, total, _ := app.store.ListSubscriptions(context.Background(), id, domain.Page{Number: 1, Size: 1})
			return total
		}
		before := count()
		res := app.upload(c, views.CustomerPath(id, "import"), sample.File, data)
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d\n%s", sample.File, res.status, res.body)
		}
		if step := strings.Contains(res.body, `id="mapping-form"`); step != (!msexports.Recognised(data) && mapped == 0) {
			t.Fatalf("%s: the mapping step shown %v; want it for the first spreadsheet of the customer's own columns only\n%s",
				sample.File, step, res.body)
		}
		if m := mappingAction.FindStringSubmatch(res.body); m != nil {
			mapped++
			for _, s := range []string{"Reseller (Pinnacle IT)", "Pay-as-you-go"} {
				if !strings.Contains(res.body, s) {
					t.Errorf("%s: the mapping step does not show %q", sample.File, s)
				}
			}
			if res = app.followBatch(c, app.post(c, m[1], proposedMapping(res.body))); res.status != http.StatusOK {
				t.Fatalf("%s: the proposed mapping: %d\n%s", sample.File, res.status, res.body)
			}
		}
		for _, w := range want[sample.File] {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s: the preview does not say %q", sample.File, w)
			}
		}
		rows := strings.Count(res.body[strings.Index(res.body, `id="import-rows"`):], "<tr>") - 1
		m := confirmImportPattern.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("%s: no confirmation", sample.File)
		}
		if done := app.post(c, m[1], nil); done.status != http.StatusOK && done.status != http.StatusSeeOther {
			t.Errorf("%s: confirm %d", sample.File, done.status)
		}
		if after := count(); after != before+rows {
			t.Errorf("%s: %d subscriptions after, want %d + %d", sample.File, after, before, rows)
		}
	}
	if res := app.get(c, importSamplesPath+"nothing.json"); res.status != http.StatusNotFound {
		t.Errorf("an unknown sample: %d", res.status)
	}
}

// TestImportRefusesOtherJSON: a JSON file that is no Microsoft export is
// refused on the upload form with what was expected.
func TestImportRefusesOtherJSON(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	res := app.upload(c, views.CustomerPath(app.customerID("Contoso"), "import"), "other.json", []byte(`{"items": [{"a": 1}]}`))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "a JSON file must be one of Microsoft Graph subscribedSkus") {
		t.Errorf("%d\n%s", res.status, res.body)
	}
}

// TestImportRedirectsToItsPreview holds the import's post-redirect-get: an
// upload that can be imported redirects to its batch's preview, which a
// reload shows again; once imported, the preview's address leads to the
// inventory, so that going back after the import asks nothing.
func TestImportRedirectsToItsPreview(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Contoso")
	res := app.do(c, app.uploadRequest(views.CustomerPath(id, "import"), "one.csv", []byte("product,quantity\nVisio Plan 2,3\n"), nil))
	batch := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !batchPagePattern.MatchString(batch) {
		t.Fatalf("upload: %d to %q; want a redirect to the batch's preview", res.status, batch)
	}
	for range 2 {
		if shown := app.get(c, batch); shown.status != http.StatusOK || !strings.Contains(shown.body, "1 subscription ready to import") {
			t.Fatalf("the batch's preview: %d\n%s", shown.status, shown.body)
		}
	}
	if done := app.post(c, batch, url.Values{}); done.status != http.StatusSeeOther {
		t.Fatalf("import: %d", done.status)
	}
	back := app.get(c, batch)
	if back.status != http.StatusSeeOther || back.header.Get("Location") != views.CustomerPath(id, "subscriptions") {
		t.Fatalf("back to the preview after the import: %d to %q", back.status, back.header.Get("Location"))
	}
	if page := app.get(c, back.header.Get("Location")); !strings.Contains(page.body, "This file was imported already") {
		t.Error("the inventory does not say the file was imported already")
	}
}
