package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/internal/testio"
)

// customerID finds a demo customer by the start of its name.
func (a *testApp) customerID(name string) int64 {
	a.t.Helper()
	items, _, err := a.store.ListCustomers(context.Background(), domain.CustomerQuery{Search: name, Page: domain.Page{Number: 1, Size: 5}})
	if err != nil || len(items) == 0 {
		a.t.Fatalf("no customer %q: %v", name, err)
	}
	return items[0].Customer.ID
}

// htmx sends a request as htmx 4 does for a swap into part of the page.
func (a *testApp) htmx(c *http.Client, method, path string, form url.Values) response {
	a.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, a.url+path, body)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Request-Type", "partial")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", a.url)
	return a.do(c, req)
}

// upload posts a file to the import form as a browser would, and follows
// the redirect to the preview of the batch it keeps, as a browser does.
func (a *testApp) upload(c *http.Client, path, filename string, content []byte) response {
	a.t.Helper()
	return a.uploadWith(c, path, filename, content, nil)
}

// uploadWith is upload with the form's other fields.
func (a *testApp) uploadWith(c *http.Client, path, filename string, content []byte, fields map[string]string) response {
	a.t.Helper()
	return a.followBatch(c, a.do(c, a.uploadRequest(path, filename, content, fields)))
}

// batchPagePattern is the address of a kept import batch's preview.
var batchPagePattern = regexp.MustCompile(`^/customers/\d+/import/\d+$`)

// followBatch follows res when it redirects to the preview of a kept
// import batch, as an upload or a mapping step does when the file can be
// imported.
func (a *testApp) followBatch(c *http.Client, res response) response {
	a.t.Helper()
	if loc := res.header.Get("Location"); res.status == http.StatusSeeOther && batchPagePattern.MatchString(loc) {
		return a.get(c, loc)
	}
	return res
}

// uploadRequest is the request of an upload of a file with the form's
// other fields.
func (a *testApp) uploadRequest(path, filename string, content []byte, fields map[string]string) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, value := range fields {
		mw.WriteField(name, value)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, a.url+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", a.url)
	return req
}

func TestCustomerListSearchAndPaging(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)

	all := app.get(c, "/customers")
	if all.status != http.StatusOK || !strings.Contains(all.body, "10 customers") || !strings.Contains(all.body, "Northwind Traders") {
		t.Fatalf("list: %d", all.status)
	}
	if !strings.Contains(all.body, `hx-get="/customers"`) || !strings.Contains(all.body, `name="q"`) {
		t.Error("the search box is not wired for search as you type")
	}

	// Without JavaScript: the same URL with ?q= gives the whole page.
	found := app.get(c, "/customers?q=cont")
	if !strings.Contains(found.body, "1 customer") || !strings.Contains(found.body, "Contoso Ltd") || strings.Contains(found.body, "Fabrikam") {
		t.Errorf("?q=cont did not find only Contoso")
	}
	if !strings.Contains(found.body, "<html") || !strings.Contains(found.header.Get("Vary"), "HX-Request") {
		t.Errorf("?q= without htmx is not a whole page with Vary: HX-Request")
	}
	// With htmx: the results fragment alone.
	partial := app.htmx(c, http.MethodGet, "/customers?q=CONTOSO.onmicrosoft", nil)
	if partial.status != http.StatusOK || strings.Contains(partial.body, "<html") || !strings.Contains(partial.body, `id="customer-results"`) ||
		!strings.Contains(partial.body, "Contoso Ltd") {
		t.Errorf("htmx search by domain: %d %s", partial.status, partial.body)
	}
	if none := app.get(c, "/customers?q=zzzz"); !strings.Contains(none.body, "No customer matches") {
		t.Error("an empty result says nothing")
	}

	// Sorting by name descending puts Woodgrove before Adatum.
	desc := app.get(c, "/customers?sort=-name")
	if strings.Index(desc.body, "Woodgrove Bank") > strings.Index(desc.body, "Adatum Corporation") {
		t.Error("sort=-name is not descending")
	}

	// Paging: 60 more customers make two pages, and the pager keeps the query.
	for i := range 60 {
		_, err := app.customers.CreateCustomer(context.Background(), domain.Actor{}, domain.Customer{Name: fmt.Sprintf("Zenith %02d", i),
			Domain: fmt.Sprintf("zenith%02d.onmicrosoft.com", i), Country: "SE", AdminName: "A", AdminEmail: "a@zenith.example"})
		if err != nil {
			t.Fatal(err)
		}
	}
	page1 := app.get(c, "/customers?q=zenith")
	if !strings.Contains(page1.body, "60 customers") || !strings.Contains(page1.body, "Page 1 of 2") ||
		!strings.Contains(page1.body, `href="/customers?page=2&amp;q=zenith"`) {
		t.Errorf("paging with a query: %s", regexp.MustCompile(`Page \d+ of \d+`).FindString(page1.body))
	}
	page2 := app.get(c, "/customers?q=zenith&page=2")
	if rows := strings.Count(page2.body, `href="/customers/`); rows < 10 || !strings.Contains(page2.body, "Zenith 59") {
		t.Errorf("page 2 has %d customer links", rows)
	}
}

func TestCreateAndEditCustomerWithValidation(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	if res := app.get(c, "/customers/new"); res.status != http.StatusOK || !strings.Contains(res.body, `id="customer-form"`) {
		t.Fatalf("new customer form: %d", res.status)
	}
	bad := url.Values{"name": {"Graphic Design Institute"}, "domain": {"not a domain"}, "tenant_id": {"nope"}, "country": {"XX"},
		"admin_name": {"Lee Gu"}, "admin_email": {"lee"}}
	res := app.post(c, "/customers", bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid customer: %d", res.status)
	}
	for _, want := range []string{`id="domain-error"`, `id="tenant_id-error"`, `id="country-error"`, `id="admin_email-error"`,
		`value="Graphic Design Institute"`, `value="not a domain"`, `value="Lee Gu"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the re-rendered form lacks %s", want)
		}
	}
	_, n, _ := app.store.ListCustomers(context.Background(), domain.CustomerQuery{Page: domain.Page{Number: 1, Size: 1}})
	if n != 10 {
		t.Fatalf("an invalid customer was stored: %d customers", n)
	}

	good := url.Values{"name": {"Graphic Design Institute"}, "domain": {"GraphicDesign.onmicrosoft.com"}, "country": {"SE"},
		"admin_name": {"Lee Gu"}, "admin_email": {"lee@gdi.example"}, "is_csp_partner": {"1"}}
	res = app.post(c, "/customers", good)
	// The page of the new customer, from its top: the form's action
	// carries a fragment that the browser would otherwise keep.
	loc, top := strings.CutSuffix(res.header.Get("Location"), "#top")
	if res.status != http.StatusSeeOther || !top || !regexp.MustCompile(`^/customers/\d+$`).MatchString(loc) {
		t.Fatalf("create: %d %q", res.status, res.header.Get("Location"))
	}
	page := app.get(c, loc)
	if !strings.Contains(page.body, "graphicdesign.onmicrosoft.com") || !strings.Contains(page.body, "Customer created") ||
		!strings.Contains(page.body, "itself a CSP partner") {
		t.Error("the new customer's page misses its data, the flash or the CSP-partner notice")
	}
	// Same domain again: refused on the field.
	if res := app.post(c, "/customers", good); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already has this domain") {
		t.Errorf("duplicate domain: %d", res.status)
	}
	// Edit: a bad value keeps what was typed; a good one saves.
	edit := url.Values{"name": {""}, "domain": {"graphicdesign.onmicrosoft.com"}, "country": {"SE"}, "admin_name": {"Lee Gu"}, "admin_email": {"lee@gdi.example"}}
	if res := app.post(c, loc, edit); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="name-error"`) {
		t.Errorf("edit with an empty name: %d", res.status)
	}
	edit.Set("name", "GDI")
	edit.Set("version", formVersion(t, app.get(c, loc+"/edit").body, loc))
	if res := app.post(c, loc, edit); res.status != http.StatusSeeOther {
		t.Errorf("edit: %d", res.status)
	}
	if page := app.get(c, loc); !strings.Contains(page.body, "<h1>GDI</h1>") {
		t.Error("the edit was not saved")
	}
	if res := app.get(c, "/customers/999999"); res.status != http.StatusNotFound {
		t.Errorf("unknown customer: %d", res.status)
	}
	if res := app.get(c, "/customers/abc"); res.status != http.StatusNotFound {
		t.Errorf("non-numeric customer id: %d", res.status)
	}
}

func TestInventoryAddEditClassifyAndRemove(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Tailspin")
	inv := fmt.Sprintf("/customers/%d/subscriptions", id)

	page := app.get(c, inv)
	if page.status != http.StatusOK || strings.Count(page.body, `class="subscription"`) != 3 || !strings.Contains(page.body, "Needs classification") {
		t.Fatalf("inventory: %d", page.status)
	}
	if !strings.Contains(page.body, `<datalist id="catalogue">`) || !strings.Contains(page.body, `data-service-type="usage"`) {
		t.Error("the product catalogue is missing")
	}

	// Add with errors: 422, values kept, nothing stored.
	bad := url.Values{"product": {"Microsoft 365 E3"}, "service_type": {"licence"}, "channel": {"moon"}, "quantity": {"ten"}, "term_end": {"31/12/2026"}, "notes": {"kept"}}
	res := app.post(c, inv, bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad subscription: %d", res.status)
	}
	for _, want := range []string{`id="add-channel-error"`, `id="add-quantity-error"`, `id="add-term_end-error"`, `value="ten"`, `value="Microsoft 365 E3"`, ">kept</textarea>"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the re-rendered add form lacks %s", want)
		}
	}
	if _, total, _ := app.store.ListSubscriptions(context.Background(), id, domain.Page{Number: 1, Size: 1}); total != 3 {
		t.Fatalf("a bad subscription was stored: %d", total)
	}

	// Add: the service type comes from the catalogue when left unknown.
	res = app.post(c, inv, url.Values{"product": {"Azure plan"}, "channel": {"Enterprise Agreement"}})
	if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "#sub-") {
		t.Fatalf("add: %d %q", res.status, res.header.Get("Location"))
	}
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	added := subs[len(subs)-1]
	if added.ServiceType != domain.ServiceUsage || added.Channel != domain.ChannelEA {
		t.Fatalf("added %+v", added)
	}
	row := fmt.Sprintf("/customers/%d/subscriptions/%d", id, added.ID)

	// Inline classification: the row comes back with its new workflow.
	version := formVersion(t, app.get(c, inv+"?page=1").body, row+"/classify")
	frag := app.htmx(c, http.MethodPost, row+"/classify", url.Values{"channel": {"other_csp"}, "service_type": {"usage"}, "version": {version}})
	if frag.status != http.StatusOK || strings.Contains(frag.body, "<html") || !strings.HasPrefix(strings.TrimSpace(frag.body), "<tr") ||
		!strings.Contains(frag.body, `data-workflow="azure_transfer"`) || !strings.Contains(frag.body, fmt.Sprintf(`id="sub-%d"`, added.ID)) {
		t.Fatalf("classify fragment: %d %s", frag.status, frag.body)
	}
	// The stepper and the count come along, out of band.
	if !strings.Contains(frag.body, `id="stepper" aria-label="Walk-through" hx-swap-oob="true"`) ||
		!strings.Contains(frag.body, `id="subscription-count" hx-swap-oob="true">4 subscriptions`) {
		t.Errorf("the classify answer does not update the stepper and the count: %s", frag.body)
	}
	// Without JavaScript the same form posts and comes back to the page.
	version = formVersion(t, frag.body, row+"/classify")
	if res := app.post(c, row+"/classify", url.Values{"channel": {"syndication"}, "service_type": {"usage"}, "version": {version}}); res.status != http.StatusSeeOther {
		t.Errorf("classify without htmx: %d", res.status)
	}
	if s, _ := app.store.Subscription(context.Background(), id, added.ID); s.Channel != domain.ChannelSyndication {
		t.Errorf("classification not saved: %s", s.Channel)
	}
	// A refused change comes back as the row, with the reason, since htmx
	// swaps the answer into it.
	if res := app.htmx(c, http.MethodPost, row+"/classify", url.Values{"channel": {"moon"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.HasPrefix(strings.TrimSpace(res.body), "<tr") || !strings.Contains(res.body, "Choose one of the channels") {
		t.Errorf("classify with a bad channel: %d %s", res.status, res.body)
	}

	// Edit in place: the form row, a 422 row on errors, the row on success.
	if res := app.htmx(c, http.MethodGet, row+"/edit", nil); !strings.Contains(res.body, `class="editing"`) || strings.Contains(res.body, "<html") {
		t.Errorf("edit row: %s", res.body)
	}
	if res := app.get(c, row+"/edit"); !strings.Contains(res.body, "<html") || !strings.Contains(res.body, "Edit subscription") ||
		strings.Contains(res.body[strings.Index(res.body, "<main"):], "hx-post") {
		t.Error("the edit page without htmx is not a whole page with a plain form")
	}
	res = app.htmx(c, http.MethodPost, row, url.Values{"product": {""}, "service_type": {"usage"}, "channel": {"ea"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, fmt.Sprintf(`id="sub-%d-product-error"`, added.ID)) {
		t.Errorf("edit with an empty product: %d", res.status)
	}
	version = formVersion(t, app.get(c, row+"/edit").body, row)
	res = app.htmx(c, http.MethodPost, row, url.Values{"product": {"Azure plan (prod)"}, "service_type": {"usage"}, "channel": {"ea"}, "reference": {"EA 1"},
		"version": {version}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Azure plan (prod)") || !strings.Contains(res.body, "EA enrollment number") {
		t.Errorf("edit: %d %s", res.status, res.body)
	}
	if res := app.htmx(c, http.MethodGet, row, nil); !strings.Contains(res.body, "Azure plan (prod)") {
		t.Error("cancel does not bring the row back")
	}

	// Switching to usage-based and back keeps the seats and term end.
	res = app.htmx(c, http.MethodPost, row, url.Values{"product": {"Azure plan (prod)"}, "service_type": {"licence"}, "channel": {"ea"}, "quantity": {"20"},
		"term_end": {"2027-05-31"}, "version": {formVersion(t, app.get(c, row+"/edit").body, row)}})
	res = app.htmx(c, http.MethodPost, row+"/classify", url.Values{"channel": {"ea"}, "service_type": {"usage"}, "version": {formVersion(t, res.body, row+"/classify")}})
	if res := app.htmx(c, http.MethodPost, row+"/classify", url.Values{"channel": {"ea"}, "service_type": {"licence"},
		"version": {formVersion(t, res.body, row+"/classify")}}); !strings.Contains(res.body, `<td data-label="Seats">20</td>`) ||
		!strings.Contains(res.body, "2027-05-31") {
		t.Error("switching the service type back lost the seats or the term end")
	}

	// Remove: gone from the list, kept in the audit log with who.
	res = app.htmx(c, http.MethodPost, row+"/remove", url.Values{"version": {formVersion(t, app.htmx(c, http.MethodGet, row, nil).body, row+"/remove")}, "confirmed": {"yes"}})
	if res.status != http.StatusOK || strings.Contains(res.body, "<tr") || !strings.Contains(res.body, `hx-swap-oob="true">3 subscriptions`) {
		t.Fatalf("remove: %d %s", res.status, res.body)
	}
	if res := app.get(c, row+"/edit"); res.status != http.StatusNotFound {
		t.Errorf("a removed subscription can still be edited: %d", res.status)
	}
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 20})
	jordan, _ := app.store.UserByEmail(context.Background(), salesAgent)
	removed := false
	for _, e := range entries {
		if e.Action == "subscription_removed" && e.ActorID == jordan.ID && e.CustomerID == id && strings.Contains(e.Target, "Azure plan (prod)") {
			removed = true
		}
	}
	if !removed {
		t.Errorf("the removal is not in the audit log: %+v", entries)
	}
	// A subscription of another customer is not reachable through this one.
	other := app.customerID("Contoso")
	otherSubs, _ := app.store.AllSubscriptions(context.Background(), other)
	if res := app.get(c, fmt.Sprintf("/customers/%d/subscriptions/%d/edit", id, otherSubs[0].ID)); res.status != http.StatusNotFound {
		t.Errorf("another customer's subscription: %d", res.status)
	}
}

func TestStepperFollowsTheInventory(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	tailspin := app.customerID("Tailspin")
	page := app.get(c, fmt.Sprintf("/customers/%d/subscriptions", tailspin))
	if !strings.Contains(page.body, `<li class="step done"`) || strings.Count(page.body, `class="step done`) != 1 ||
		!strings.Contains(page.body, `aria-current="step"`) {
		t.Errorf("Tailspin has nothing classified: only step 1 may be done")
	}
	contoso := app.customerID("Contoso")
	if page := app.get(c, fmt.Sprintf("/customers/%d", contoso)); strings.Count(page.body, `class="step done`) != 4 {
		t.Errorf("Contoso is fully classified and its relationship is active: all four steps done")
	}
}

func csvBytes(rows ...string) []byte { return []byte(strings.Join(rows, "\r\n") + "\r\n") }

func TestImportCSV(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Alpine")
	path := fmt.Sprintf("/customers/%d/import", id)
	count := func() int {
		_, total, _ := app.store.ListSubscriptions(context.Background(), id, domain.Page{Number: 1, Size: 1})
		return total
	}
	before := count()

	if res := app.get(c, path); res.status != http.StatusOK || !strings.Contains(res.body, `enctype="multipart/form-data"`) {
		t.Fatalf("upload form: %d", res.status)
	}

	// Five bad rows among good ones: nothing imported, five errors with lines.
	bad := csvBytes("product,service_type,channel,quantity,term_end,reference,notes",
		"Microsoft 365 E3,licence,ea,10,,,",
		"Office 365 E1,licence,moon,5,,,",
		"Azure plan,weekly,ea,,,,",
		"Exchange Online (Plan 1),licence,Web Direct,ten,,,",
		"Microsoft 365 E5,licence,CSP,5,31/13/2026,,",
		",licence,ea,1,,,",
		"Azure plan,Azure,MOSP,,,,")
	res := app.upload(c, path, "bad.csv", bad)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "5 problems") {
		t.Fatalf("bad file: %d %s", res.status, res.body)
	}
	errorsTable := res.body[strings.Index(res.body, `id="import-errors"`):]
	errorsTable = errorsTable[:strings.Index(errorsTable, "</table>")]
	for _, lc := range [][2]string{{"3", "channel"}, {"4", "service_type"}, {"5", "quantity"}, {"6", "term_end"}, {"7", "product"}} {
		lineAndColumn := `<td data-label="Line">` + lc[0] + `</td><td data-label="Column"><code>` + lc[1]
		if !strings.Contains(errorsTable, lineAndColumn) {
			t.Errorf("no error at %s", lineAndColumn)
		}
	}
	if n := strings.Count(errorsTable, "<tr>") - 1; n != 5 {
		t.Errorf("%d errors listed, want 5", n)
	}
	if strings.Contains(res.body, `id="confirm-import"`) || count() != before {
		t.Fatal("a file with errors can be imported, or was")
	}

	// A header not ours goes to the mapping step (issue 13), not refused.
	if res := app.upload(c, path, "other header.csv", csvBytes("name,kind", "x,y")); res.status != http.StatusOK ||
		!strings.Contains(res.body, `id="mapping-form"`) {
		t.Errorf("a header not ours: %d", res.status)
	}
	// No rows, too large, too many rows: refused with a message.
	for name, content := range map[string][]byte{
		"header only": csvBytes("product,channel"),
		"too large":   bytes.Repeat([]byte("a"), inventorycsv.MaxBytes+10),
		"too many":    append([]byte("product\n"), bytes.Repeat([]byte("Azure plan\n"), inventorycsv.MaxRows+1)...),
	} {
		res := app.upload(c, path, name+".csv", content)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="import-error"`) {
			t.Errorf("%s: %d", name, res.status)
		}
	}
	huge := app.upload(c, path, "huge.csv", bytes.Repeat([]byte("a"), 7<<20))
	if huge.status != http.StatusRequestEntityTooLarge || !strings.Contains(huge.body, "larger than 5 MB") {
		t.Errorf("a 7 MB upload: %d", huge.status)
	}
	if count() != before {
		t.Fatal("a refused file imported something")
	}

	// BOM, CRLF and semicolons, columns in another order: previewed, then imported.
	good := append([]byte("\ufeff"), csvBytes("channel;product;service_type;term_end;quantity",
		"Enterprise Agreement;Microsoft 365 E3;licence;2027-06-30;100",
		"Volume Licensing;Office 365 E1;license;;20",
		"CSP;Azure plan;Azure;;")...)
	res = app.upload(c, path, "good.csv", good)
	if res.status != http.StatusOK || !strings.Contains(res.body, "3 subscriptions ready to import") || !strings.Contains(res.body, "Azure transfer") {
		t.Fatalf("good file: %d %s", res.status, res.body)
	}
	if count() != before {
		t.Fatal("the preview imported already")
	}
	confirm := regexp.MustCompile(`action="(/customers/\d+/import/\d+)"`).FindStringSubmatch(res.body)
	if confirm == nil {
		t.Fatal("no confirm form")
	}
	if res := app.post(c, confirm[1], nil); res.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.status)
	}
	if count() != before+3 {
		t.Fatalf("imported %d, want 3", count()-before)
	}
	if res := app.post(c, confirm[1], nil); res.status != http.StatusConflict || !strings.Contains(res.body, "already imported") {
		t.Errorf("second confirm: %d", res.status)
	}
	if count() != before+3 {
		t.Fatal("the second confirm imported again")
	}
}

// TestExportImportsBackUnchanged exports an inventory, imports the file into
// an empty customer and exports that: the two files are the same, the
// terms and Azure offer ids of the demo's customers included.
func TestExportImportsBackUnchanged(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	src := app.customerID("Northwind")
	export := app.get(c, fmt.Sprintf("/customers/%d/subscriptions.csv", src))
	if export.status != http.StatusOK || !strings.HasPrefix(export.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(export.header.Get("Content-Disposition"), "northwindtraders.onmicrosoft.com-subscriptions.csv") {
		t.Fatalf("export: %d %v", export.status, export.header)
	}
	records := testio.CSV(t, export.body)
	if len(records) != 5 || strings.Join(records[0], ",") !=
		"product,service_type,channel,quantity,term_end,reference,notes,commerce,term_length,billing_frequency,auto_renew,term_start,offer_id,workflow,reason" {
		t.Fatalf("export content: %v", records)
	}
	// The terms and offer ids are in the files, to come back.
	carries := map[string]string{"Northwind": "", "Contoso": ",nce,annual,monthly,on,", "Litware": ",legacy,annual,annual,on,",
		"Alpine": ",MS-AZR-0063P,not_eligible,"}
	i := 0
	for name, want := range carries {
		i++
		export := app.get(c, fmt.Sprintf("/customers/%d/subscriptions.csv", app.customerID(name)))
		if !strings.Contains(export.body, want) {
			t.Fatalf("%s's export lacks %s:\n%s", name, want, export.body)
		}
		dst, err := app.customers.CreateCustomer(context.Background(), domain.Actor{}, domain.Customer{Name: "Copy " + name,
			Domain: fmt.Sprintf("copy%d.onmicrosoft.com", i), Country: "DE", AdminName: "A", AdminEmail: "a@copy.example"})
		if err != nil {
			t.Fatal(err)
		}
		res := app.upload(c, fmt.Sprintf("/customers/%d/import", dst), "export.csv", []byte(export.body))
		confirm := regexp.MustCompile(`action="(/customers/\d+/import/\d+)"`).FindStringSubmatch(res.body)
		if confirm == nil {
			t.Fatalf("%s: the export does not import: %d %s", name, res.status, res.body)
		}
		app.post(c, confirm[1], nil)
		again := app.get(c, fmt.Sprintf("/customers/%d/subscriptions.csv", dst))
		if again.body != export.body {
			t.Fatalf("%s: the round trip changed the file:\n%s\n---\n%s", name, export.body, again.body)
		}
	}
}

func TestPlanPageJSONAndCSV(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Fabrikam")
	page := app.get(c, fmt.Sprintf("/customers/%d/plan", id))
	for _, want := range []string{`id="reseller_relationship"`, `id="wait_term_end"`, `id="azure_new_subscription"`, `id="azure_transfer"`, "Next:"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the plan lacks %s", want)
		}
	}

	res := app.get(c, fmt.Sprintf("/customers/%d/plan.json", id))
	var plan struct {
		Customer struct{ Name string }
		Total    int
		Groups   []struct {
			Workflow      string
			Count         int
			Subscriptions []struct {
				SubscriptionID int64  `json:"subscription_id"`
				Workflow       string `json:"workflow"`
				Reason         string `json:"reason"`
				TermEnd        string `json:"term_end"`
				DaysLeft       *int   `json:"days_left"`
			}
		}
	}
	if err := json.Unmarshal([]byte(res.body), &plan); err != nil || res.status != http.StatusOK {
		t.Fatalf("plan.json: %d %v", res.status, err)
	}
	if plan.Customer.Name != "Fabrikam, Inc." || plan.Total != 4 || len(plan.Groups) != 4 {
		t.Fatalf("plan.json: %+v", plan)
	}
	for _, g := range plan.Groups {
		if g.Count != len(g.Subscriptions) {
			t.Errorf("group %s count %d for %d subscriptions", g.Workflow, g.Count, len(g.Subscriptions))
		}
		for _, s := range g.Subscriptions {
			if s.Workflow != g.Workflow || s.Reason == "" || s.SubscriptionID == 0 {
				t.Errorf("subscription in %s: %+v", g.Workflow, s)
			}
			if g.Workflow == "wait_term_end" && (s.TermEnd == "" || s.DaysLeft == nil || *s.DaysLeft != 5) {
				t.Errorf("the term end subscription has no days left: %+v", s)
			}
		}
	}

	res = app.get(c, fmt.Sprintf("/customers/%d/plan.csv", id))
	records := testio.CSV(t, res.body)
	if len(records) != 5 {
		t.Fatalf("plan.csv: %d rows", len(records))
	}
	header := strings.Join(records[0], ",")
	for _, col := range []string{"subscription_id", "product", "channel", "service_type", "workflow", "reason", "term_end", "days_left"} {
		if !strings.Contains(header, col) {
			t.Errorf("plan.csv lacks column %s: %s", col, header)
		}
	}
}
