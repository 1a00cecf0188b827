package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

var confirmImportPattern = regexp.MustCompile(`action="(/customers/\d+/import/\d+)"`)

// TestImportEachSampleExport holds item 5 and 8 of issue 13 through HTTP:
// the import page links each sample export, which downloads; uploaded for
// its customer, the preview says the format recognised and marks the
// guesses with what they are based on; confirming imports every row.
func TestImportEachSampleExport(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	customers := map[string]string{"contoso.onmicrosoft.com": "Contoso", "fabrikam.onmicrosoft.com": "Fabrikam",
		"northwindtraders.onmicrosoft.com": "Northwind", "alpineskihouse.onmicrosoft.com": "Alpine"}
	want := map[string][]string{
		"contoso-subscribedSkus.json": {"Recognised as Microsoft Graph subscribedSkus", `<mark class="guessed">Microsoft 365 E3</mark>`,
			"skuPartNumber SPE_E3 is Microsoft 365 E3 in the catalogue", "CONTOSO_LAB_ADDON"},
		"fabrikam-directory-subscriptions.json": {"Recognised as Microsoft Graph directory/subscriptions",
			`<mark class="guessed">Another CSP partner</mark>`, "is another partner&#39;s tenant", "is our tenant", "isTrial is true"},
		"northwind-arm-subscriptions.json": {"Recognised as Azure Resource Manager subscriptions list", "Microsoft Customer Agreement&#39;s Azure plan: confirm which",
			"pay-as-you-go", "Visual Studio offer", "Azure in Open"},
		"alpine-az-account-list.json": {"Recognised as Azure CLI az account list", "does not give the quota id",
			"Azure subscription (Alpine Ski House bookings)"},
	}
	for _, sample := range demo.Samples {
		id := app.customerID(customers[sample.Customer])
		form := app.get(c, views.CustomerPath(id, "import"))
		if !strings.Contains(form.body, `href="`+importSamplesPath+sample.File+`"`) {
			t.Errorf("the import page does not link %s", sample.File)
		}
		file := app.get(c, importSamplesPath+sample.File)
		data, _ := demo.SampleFile(sample.File)
		if file.status != http.StatusOK || file.body != string(data) {
			t.Errorf("download of %s: %d", sample.File, file.status)
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
