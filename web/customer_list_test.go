package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

var customerListConfirm = regexp.MustCompile(`action="(/customers/import/\d+)" id="confirm-customer-list"`)

// fingerprintIn is the fingerprint a preview's confirm form carries.
func fingerprintIn(body string) string {
	m := regexp.MustCompile(`name="fingerprint" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// customerByDomain reads a customer of the test app by its domain.
func (a *testApp) customerByDomain(domainName string) (domain.Customer, bool) {
	a.t.Helper()
	found, err := a.store.CustomersMatching(context.Background(), nil, []string{domainName})
	if err != nil {
		a.t.Fatal(err)
	}
	if len(found) == 0 {
		return domain.Customer{}, false
	}
	return found[0], true
}

// TestImportPartnerCentersCustomerList uploads the demo's Partner Center
// export on /customers/import: it needs no mapping, the preview names the
// format and what each row does (Relecloud new, in the partner's country;
// Northwind found by domain and given its Microsoft ID; Contoso known), the
// import applies it once, and a second confirmation changes nothing.
func TestImportPartnerCentersCustomerList(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	if res := app.get(c, "/customers"); !strings.Contains(res.body, `href="/customers/import"`) {
		t.Error("the customer list does not link to the import")
	}
	res := app.uploadWith(c, "/customers/import", "Customers.csv", demo.PartnerCenterExport, map[string]string{"country": "GB"})
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.status, res.body)
	}
	preview := app.get(c, res.header.Get("Location"))
	if preview.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", preview.status, preview.body)
	}
	for _, s := range []string{"Recognised as Partner Center customer list", "The column &#34;Relationship&#34; is not read.",
		`data-action="create"`, "New customer", "Northwind Traders, matched by primary domain: adds its tenant id<",
		"Contoso Ltd, matched by tenant id: nothing to change", "Nothing has changed yet."} {
		if !strings.Contains(preview.body, s) {
			t.Errorf("the preview does not say %q", s)
		}
	}
	if _, ok := app.customerByDomain("relecloud.onmicrosoft.com"); ok {
		t.Fatal("Relecloud exists before the confirmation")
	}
	m := customerListConfirm.FindStringSubmatch(preview.body)
	if m == nil {
		t.Fatalf("no confirm form:\n%s", preview.body)
	}
	form := url.Values{"fingerprint": {fingerprintIn(preview.body)}}
	done := app.post(c, m[1], form)
	if done.status != http.StatusSeeOther || done.header.Get("Location") != "/customers" {
		t.Fatalf("confirm: %d %s\n%s", done.status, done.header.Get("Location"), done.body)
	}
	if page := app.get(c, "/customers"); !strings.Contains(page.body, "Imported the list: 1 customer created, 2 completed, 2 already known.") {
		i := strings.Index(page.body, `class="flash"`)
		t.Errorf("no flash of the import on /customers: %s", page.body[max(0, i):min(len(page.body), max(0, i)+200)])
	}
	relecloud, ok := app.customerByDomain("relecloud.onmicrosoft.com")
	if !ok || relecloud.Country != "GB" || relecloud.TenantID != "8b3c4d5e-6f70-4b82-8c93-d4e5f6071829" || relecloud.AdminEmail != "" {
		t.Errorf("Relecloud = %+v, %v", relecloud, ok)
	}
	if page := app.get(c, views.CustomerPath(relecloud.ID)); !strings.Contains(page.body, `<dd id="admin-contact">Not known yet`) ||
		!strings.Contains(page.body, `<dd id="inventory-summary">0</dd>`) {
		t.Errorf("the page of a customer created without a Global admin:\n%s", page.body)
	}
	if northwind, _ := app.customerByDomain("northwindtraders.onmicrosoft.com"); northwind.TenantID != "9c4d5e6f-7081-4c93-9da4-e5f60718293a" ||
		northwind.AdminName != "Diego Siciliani" {
		t.Errorf("Northwind = %+v", northwind)
	}
	again := app.post(c, m[1], form)
	if again.status != http.StatusSeeOther || !strings.Contains(app.get(c, "/customers").body, "imported already") {
		t.Errorf("second confirmation: %d", again.status)
	}
	for _, path := range []string{m[1], m[1] + "/mapping"} {
		if shown := app.get(c, path); shown.status != http.StatusSeeOther || shown.header.Get("Location") != "/customers" {
			t.Errorf("GET %s of an imported list: %d to %q; want back to /customers", path, shown.status, shown.header.Get("Location"))
		}
	}
	other := app.signIn(globalAdmin)
	if res := app.get(other, m[1]); res.status != http.StatusNotFound {
		t.Errorf("another user's list: %d; want 404", res.status)
	}
}

// TestImportACustomerSpreadsheet takes the demo's own customer spreadsheet
// through the mapping step: columns proposed, a missing domain refused with
// 422 keeping the choices, the mapping remembered for the next list of the
// same columns, a list changed under the preview refused with 409, and a
// list with a bad row importing nothing.
func TestImportACustomerSpreadsheet(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	res := app.upload(c, "/customers/import", "customer-list.csv", demo.CustomerList)
	step := app.get(c, res.header.Get("Location"))
	if step.status != http.StatusOK || !strings.Contains(step.body, `id="mapping-form"`) {
		t.Fatalf("mapping step: %d\n%s", step.status, step.body)
	}
	want := []string{"name", "domain", "tenant_id", "country", "admin_name", "admin_email", ""}
	form := url.Values{}
	for i, field := range want {
		name := "column_" + string(rune('0'+i))
		if got := selectedIn(step.body, name); got != field {
			t.Errorf("%s proposes %q; want %q", name, got, field)
		}
		form.Set(name, field)
	}
	action := res.header.Get("Location") + "/mapping"
	short := url.Values{}
	for k, v := range form {
		short[k] = v
	}
	short.Set("column_1", "")
	if refused := app.post(c, action, short); refused.status != http.StatusUnprocessableEntity ||
		!strings.Contains(refused.body, "Choose the column that holds the domain.") || selectedIn(refused.body, "column_0") != "name" {
		t.Errorf("a mapping without the domain: %d\n%s", refused.status, refused.body)
	}
	mapped := app.post(c, action, form)
	if mapped.status != http.StatusSeeOther {
		t.Fatalf("mapping: %d\n%s", mapped.status, mapped.body)
	}
	preview := app.get(c, mapped.header.Get("Location"))
	for _, s := range []string{"5 customers: 3 new, 1 to complete, 1 already known.", "The column &#34;Account manager&#34; is not read.",
		"Tailspin Toys, matched by primary domain: adds its tenant id", `<td data-label="Country">Ireland</td>`} {
		if !strings.Contains(preview.body, s) {
			t.Errorf("the preview does not say %q\n", s)
		}
	}

	// Someone completes Tailspin Toys meanwhile: the confirmation is
	// refused with the new preview, and nothing is written.
	tailspin, _ := app.customerByDomain("tailspintoys.onmicrosoft.com")
	tailspin.TenantID = "4e5f6071-8293-4ba4-9cb5-d6e7f8091a2b"
	if err := app.store.UpdateCustomer(context.Background(), domain.Actor{}, tailspin); err != nil {
		t.Fatal(err)
	}
	stale := app.post(c, mapped.header.Get("Location"), url.Values{"fingerprint": {fingerprintIn(preview.body)}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "Customers changed since the preview you confirmed") ||
		!strings.Contains(stale.body, "5 customers: 3 new, 0 to complete, 2 already known.") {
		t.Errorf("a stale confirmation: %d\n%s", stale.status, stale.body)
	}
	if _, ok := app.customerByDomain("treyresearch.onmicrosoft.com"); ok {
		t.Error("Trey Research was created by a refused confirmation")
	}
	done := app.post(c, mapped.header.Get("Location"), url.Values{"fingerprint": {fingerprintIn(stale.body)}})
	if done.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", done.status, done.body)
	}
	if trey, ok := app.customerByDomain("treyresearch.onmicrosoft.com"); !ok || trey.Country != "IE" {
		t.Errorf("Trey Research = %+v, %v", trey, ok)
	}

	// The next list with the same columns needs no mapping step, and one
	// bad row imports nothing.
	bad := string(demo.CustomerList[:strings.Index(string(demo.CustomerList), "\n")+1]) +
		"Lamna Healthcare;lamna.onmicrosoft.com;;Narnia;;;Kim\r\nProseware;proseware.onmicrosoft.com;;Netherlands;;;Kim\r\n"
	res = app.upload(c, "/customers/import", "more.csv", []byte(bad))
	again := app.get(c, res.header.Get("Location"))
	if again.status != http.StatusUnprocessableEntity || strings.Contains(again.body, `id="mapping-form"`) ||
		!strings.Contains(again.body, "Read with the mapping remembered") || !strings.Contains(again.body, "&#34;Narnia&#34; is not a country") ||
		strings.Contains(again.body, `id="confirm-customer-list"`) {
		t.Errorf("a second list of the same columns with a bad row: %d\n%s", again.status, again.body)
	}
}

// TestCustomerListUploadProblems re-shows the form with 422 for a file that
// cannot be a list, keeping what was chosen on it.
func TestCustomerListUploadProblems(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	for name, file := range map[string]string{"empty.csv": "", "header.csv": "name,domain\n"} {
		res := app.uploadWith(c, "/customers/import", name, []byte(file), map[string]string{"country": "IE", "sheet": "Clients"})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="customer-list-error"`) ||
			selectedIn(res.body, "country") != "IE" || !strings.Contains(res.body, `name="sheet" value="Clients"`) {
			t.Errorf("%s: %d, country %q\n%s", name, res.status, selectedIn(res.body, "country"), res.body)
		}
	}
}

// TestASearchMatchingManySaysThereAreMore: past domain.SearchMatchCap
// matches the list says that more match and how to narrow them, and pages
// the ones it read.
func TestASearchMatchingManySaysThereAreMore(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	for i := range domain.SearchMatchCap + 3 {
		cu := domain.Customer{Name: fmt.Sprintf("Acme %03d", i), Domain: fmt.Sprintf("acme%d.onmicrosoft.com", i), Country: "GB",
			AdminName: "Admin", AdminEmail: "admin@acme.example"}
		if _, err := app.store.CreateCustomer(context.Background(), domain.Actor{}, cu); err != nil {
			t.Fatal(err)
		}
	}
	res := app.get(c, "/customers?q=acme")
	for _, want := range []string{"More than 200 customers", "Type more of the name or the domain", "Page 1 of 4"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the search lacks %q", want)
		}
	}
	if res := app.get(c, "/customers?q=contoso"); !strings.Contains(res.body, `<span id="customer-count">1 customer</span>`) ||
		strings.Contains(res.body, "More than") {
		t.Error("a search with one match does not say so plainly")
	}
}
