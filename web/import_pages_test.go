package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/views"
)

// previewRowPattern is a row of an import preview's table.
var previewRowPattern = regexp.MustCompile(`<td data-label="Line">(\d+)</td>`)

// TestImportPreviewPagesItsRows uploads a CSV file of 250 rows: its preview
// says all 250 are ready and shows the first 100, with links to the other
// pages; the last page shows the last 50, a page past the end the last
// page, and confirming from any page imports every row.
func TestImportPreviewPagesItsRows(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Fabrikam")
	before := len(app.subscriptionsOf(id))
	var file strings.Builder
	file.WriteString("product,service_type,channel,quantity\r\n")
	for i := range 250 {
		fmt.Fprintf(&file, "Visio Plan 2 (team %03d),licence,ea,5\r\n", i)
	}
	res := app.upload(c, views.CustomerPath(id, "import"), "visio.csv", []byte(file.String()))
	m := confirmImportPattern.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		t.Fatalf("upload: %d, no confirm form\n%s", res.status, res.body)
	}
	batch := m[1]
	lines := func(body string) []string {
		var out []string
		_, table, _ := strings.Cut(body, `id="import-rows"`)
		for _, m := range previewRowPattern.FindAllStringSubmatch(table, -1) {
			out = append(out, m[1])
		}
		return out
	}
	shown := lines(res.body)
	for _, want := range []string{"250 subscriptions ready to import.", "Import 250 subscriptions", "Rows 1 to 100 of 250; the import takes them all.",
		"Page 1 of 3", `href="` + batch + `?page=2" rel="next"`, `name="page" value="1"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if len(shown) != 100 || shown[0] != "2" || shown[99] != "101" {
		t.Errorf("page 1 shows %d rows, lines %v…; want lines 2 to 101", len(shown), shown[:min(3, len(shown))])
	}
	for _, tc := range []struct {
		query         string
		rows          int
		first, rowsOf string
	}{
		{"?page=3", 50, "202", "Rows 201 to 250 of 250"},
		{"?page=9", 50, "202", "Page 3 of 3"},
		{"?page=nonsense", 100, "2", "Page 1 of 3"},
	} {
		res := app.get(c, batch+tc.query)
		shown := lines(res.body)
		if res.status != http.StatusOK || len(shown) != tc.rows || shown[0] != tc.first || !strings.Contains(res.body, tc.rowsOf) {
			t.Errorf("%s: %d, %d rows from line %v; want %d from line %s and %q", tc.query, res.status, len(shown), shown[:min(1, len(shown))],
				tc.rows, tc.first, tc.rowsOf)
		}
	}
	res = app.post(c, batch, url.Values{"page": {"3"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("confirm from page 3: %d\n%s", res.status, res.body)
	}
	if got := len(app.subscriptionsOf(id)) - before; got != 250 {
		t.Errorf("the import added %d subscriptions, want all 250", got)
	}
	bad := file.String() + "Visio Plan 2 (spare),licence,ea,many\r\n"
	res = app.upload(c, views.CustomerPath(id, "import"), "visio.csv", []byte(bad))
	if shown := lines(res.body); res.status != http.StatusUnprocessableEntity || len(shown) != 100 ||
		!strings.Contains(res.body, "The first 100 of the 251 rows read are shown.") {
		t.Errorf("a file with a problem: %d, %d rows shown; want 422 and the first 100 rows", res.status, len(shown))
	}
}

// TestImportPreviewPagesKeepChangedGuesses uploads an export of 150
// subscriptions whose channels are guesses: its pages are buttons of the
// confirm form, so a change on page 1 is kept on the way to page 2, and
// page 2's fields are those of its own rows.
func TestImportPreviewPagesKeepChangedGuesses(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Fabrikam")
	type sub struct {
		ID            string `json:"id"`
		SkuPartNumber string `json:"skuPartNumber"`
		Status        string `json:"status"`
		TotalLicenses int    `json:"totalLicenses"`
		OwnerTenantID string `json:"ownerTenantId"`
		Created       string `json:"createdDateTime"`
	}
	var doc struct {
		Context string `json:"@odata.context"`
		Value   []sub  `json:"value"`
	}
	doc.Context = "https://graph.microsoft.com/v1.0/$metadata#directory/subscriptions"
	for i := range 150 {
		doc.Value = append(doc.Value, sub{ID: fmt.Sprintf("c3d4e5f6-%04d-4c4d-8e5f-2a3b4c5d6e7f", i), SkuPartNumber: "EXCHANGESTANDARD", Status: "Enabled",
			TotalLicenses: 10 + i, OwnerTenantID: "0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6", Created: "2025-03-15T00:00:00Z"})
	}
	data, _ := json.Marshal(doc)
	res := app.upload(c, views.CustomerPath(id, "import"), "subscriptions.json", data)
	m := confirmImportPattern.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil || !strings.Contains(res.body, `id="apply-guesses"`) {
		t.Fatalf("upload: %d, no confirm form with fields of guesses\n%s", res.status, res.body)
	}
	batch := m[1]
	next := `formaction="` + batch + `/guesses?page=2"`
	if !strings.Contains(res.body, next) || strings.Contains(res.body, `rel="next"`) ||
		!strings.Contains(res.body, "Moving to another page keeps the changes made on this one.") {
		t.Fatalf("page 1's way to page 2 is not a button of the form (%s)", next)
	}
	form := guessForm(res.body)
	if !form.Has("guess-1-channel") || form.Has("guess-101-channel") || form.Get("page") != "1" {
		t.Fatalf("page 1's fields: guess-1-channel %v, guess-101-channel %v, page %q", form.Has("guess-1-channel"), form.Has("guess-101-channel"), form.Get("page"))
	}
	form.Set("guess-1-channel", "ea")
	res = app.post(c, batch+"/guesses?page=2", form)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != batch+"?page=2" {
		t.Fatalf("moving to page 2: %d to %q, want 303 to %s?page=2", res.status, res.header.Get("Location"), batch)
	}
	page2 := app.get(c, batch+"?page=2")
	form2 := guessForm(page2.body)
	if !form2.Has("guess-101-channel") || form2.Has("guess-1-channel") || form2.Get("page") != "2" ||
		!strings.Contains(html.UnescapeString(page2.body), "Rows 101 to 150 of 150") {
		t.Errorf("page 2's fields: guess-101-channel %v, guess-1-channel %v, page %q", form2.Has("guess-101-channel"), form2.Has("guess-1-channel"), form2.Get("page"))
	}
	if got := guessForm(app.get(c, batch).body).Get("guess-1-channel"); got != "ea" {
		t.Errorf("back on page 1 the changed channel is %q, want the ea chosen before moving on", got)
	}
	// "Apply the changes" on page 2 stays on page 2.
	form2.Set("guess-101-channel", "ea")
	if res := app.post(c, batch+"/guesses", form2); res.status != http.StatusSeeOther || res.header.Get("Location") != batch+"?page=2" {
		t.Errorf("applying the changes of page 2: %d to %q, want 303 to %s?page=2", res.status, res.header.Get("Location"), batch)
	}
}
