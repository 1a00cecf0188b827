package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// customerWalkThroughTimeout bounds the whole walk-through, which loads many
// more pages than the sign-in test.
const customerWalkThroughTimeout = 2 * browserTimeout

// rowOfJS is a JavaScript function that finds the inventory row of a product
// by the text of its .product cell.
const rowOfJS = `(p => Array.from(document.querySelectorAll("tr.subscription")).find(r => {
	const cell = r.querySelector(".product");
	return cell && cell.textContent.trim() === p;
}))`

// TestBrowserCustomerWalkThrough follows a Sales agent through the whole
// walk-through in headless Chromium: search as you type on the customer list,
// a new customer through the form (with a validation error first), three
// subscriptions added by hand with the service type filled by app.js, a
// channel changed in place with htmx, a CSV import with its preview, and the
// plan that results. It checks that the htmx interactions swap their part of
// the page without a page load, and that the pages write no console errors.
func TestBrowserCustomerWalkThrough(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, customerWalkThroughTimeout)
	tab := openTab(t, browser)

	// setMarker sets a property on window; it survives htmx swaps but not a
	// page load.
	setMarker := func(name string) {
		t.Helper()
		tab.do(chromedp.Evaluate[chromedp.Void]("window." + name + " = 1"))
	}
	checkNoReload := func(name, step string) {
		t.Helper()
		if !evaluate[bool](tab, "window."+name+" === 1") {
			t.Errorf("%s: the marker window.%s is gone, so the page was reloaded instead of swapped by htmx", step, name)
		}
	}

	// Sign in through the real form as the Sales agent.
	tab.signInAs(app.url, salesAgent, "Sales agent")

	// 1. Search as you type on the customer list.
	tab.clickAndLoad(`ul#main-nav a[href="/customers"]`)
	if p := tab.path(); p != "/customers" {
		t.Fatalf("the Customers link led to %s, want /customers", p)
	}
	if n := tab.text("#customer-count"); n == "1 customer" {
		t.Fatalf("#customer-count is %q before any search; the demo data should have more customers", n)
	}
	setMarker("__noReload")
	tab.do(chromedp.SendKeys(chromedp.ID("q"), "cont"))
	tab.waitFor("the search results show Contoso Ltd alone", `(() => {
		const results = document.querySelector("#customer-results");
		const count = document.querySelector("#customer-count");
		return !!results && !!count && count.textContent.trim() === "1 customer" && results.textContent.includes("Contoso Ltd");
	})()`)
	checkNoReload("__noReload", "search as you type")
	if names := tab.texts("#customers tbody td:first-child"); !slices.Equal(names, []string{"Contoso Ltd"}) {
		t.Errorf("search for \"cont\" lists %q, want only Contoso Ltd", names)
	}
	if q := tab.value("#q"); q != "cont" {
		t.Errorf("after the swap the search box holds %q, want \"cont\"", q)
	}
	// hx-replace-url keeps the address in step with the results, so that
	// reloading or sharing the page shows the same search.
	if loc, err := chromedp.Run(tab.ctx, chromedp.Location()); err != nil {
		t.Fatal(err)
	} else if u, err := url.Parse(loc); err != nil || u.Path != "/customers" || u.Query().Get("q") != "cont" {
		t.Errorf("after the search the address is %s, want /customers with q=cont", loc)
	}

	// 2. Create a customer, with an invalid domain first.
	const (
		customerName = "Graphic Design Institute"
		goodDomain   = "graphicdesign.onmicrosoft.com"
	)
	tab.clickAndLoad("#new-customer")
	if p := tab.path(); p != "/customers/new" {
		t.Fatalf("the New customer link led to %s, want /customers/new", p)
	}
	tab.do(
		chromedp.SendKeys(chromedp.ID("name"), customerName),
		chromedp.SendKeys(chromedp.ID("domain"), "not a domain"),
		chromedp.SetValue(chromedp.ID("country"), "SE"),
		chromedp.SendKeys(chromedp.ID("admin_name"), "Lynne Robbins"),
		chromedp.SendKeys(chromedp.ID("admin_email"), "lynne.robbins@graphicdesign.example"),
	)
	if evaluate[bool](tab, `document.getElementById("is_csp_partner").checked`) {
		t.Fatal("#is_csp_partner is checked on a new customer form")
	}
	// htmx sends the form and swaps the answer in its place.
	setMarker("customerFormMarker")
	tab.do(chromedp.Click(chromedp.CSS("#customer-form button[type=submit]")))
	tab.waitFor("the form comes back with its errors", `!!document.querySelector("#customer-form [data-error-summary]")`)
	checkNoReload("customerFormMarker", "the invalid customer form")
	if msg := tab.text("#domain-error"); !strings.Contains(msg, "Enter a domain") {
		t.Errorf("#domain-error = %q, want the domain message", msg)
	}
	if got := evaluate[string](tab, `document.getElementById("domain").getAttribute("aria-invalid") || ""`); got != "true" {
		t.Errorf("#domain has aria-invalid=%q, want \"true\"", got)
	}
	if errs := tab.texts(".field-error"); len(errs) != 1 {
		t.Errorf("the form shows the errors %q, want one, for the domain", errs)
	}
	if got := tab.value("#name"); got != customerName {
		t.Errorf("after the failed submission #name = %q, want %q", got, customerName)
	}
	if got := tab.value("#country"); got != "SE" {
		t.Errorf("after the failed submission #country = %q, want SE", got)
	}
	if got := tab.value("#admin_email"); got != "lynne.robbins@graphicdesign.example" {
		t.Errorf("after the failed submission #admin_email = %q, want what was typed", got)
	}
	// The app answers the invalid form, by design, with 422 and the form
	// again; Chromium logs that as a failed load.
	tab.expectLoadErrors("the invalid customer form", app.url+"/customers", http.StatusUnprocessableEntity)
	tab.do(
		chromedp.Clear(chromedp.ID("domain")),
		chromedp.SendKeys(chromedp.ID("domain"), goodDomain),
	)
	tab.clickAndLoad("#customer-form button[type=submit]")
	m := regexp.MustCompile(`^/customers/([0-9]+)$`).FindStringSubmatch(tab.path())
	if m == nil {
		t.Fatalf("after creating the customer the browser is on %s, want /customers/{id}", tab.path())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	base := "/customers/" + strconv.FormatInt(id, 10)
	if h1 := tab.text("main h1"); h1 != customerName {
		t.Errorf("the customer page's h1 = %q, want %q", h1, customerName)
	}
	if f := tab.flash(); !strings.Contains(f, "Customer created") {
		t.Errorf("flash after creating = %q, want \"Customer created…\"", f)
	}

	// 3. Add three subscriptions by hand.
	tab.clickAndLoad(`nav.stepper a[href="` + base + `/subscriptions"]`)
	if p := tab.path(); p != base+"/subscriptions" {
		t.Fatalf("the Subscriptions step led to %s, want %s/subscriptions", p, base)
	}
	if n := tab.text("#subscription-count"); n != "0 subscriptions" {
		t.Errorf("a new customer's #subscription-count = %q, want \"0 subscriptions\"", n)
	}
	const (
		form       = "#add-subscription-form "
		serviceSel = form + "select[data-service-type-select]"
	)
	termEnd := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
	type addition struct {
		product, service, channel, quantity, termEnd string
		count                                        string
	}
	additions := []addition{
		{"Microsoft 365 E3", "licence", "ea", "", "", "1 subscription"},
		{"Azure plan", "usage", "microsoft_direct", "", "", "2 subscriptions"},
		{"Office 365 E1", "licence", "third_party", "25", termEnd, "3 subscriptions"},
	}
	for i, a := range additions {
		if got := tab.value(serviceSel); got != "" {
			t.Fatalf("before typing %s the service type is %q, want it unknown", a.product, got)
		}
		tab.do(chromedp.SendKeys(chromedp.CSS(form+"input[name=product]"), a.product))
		// app.js fills the service type from the catalogue on its own.
		tab.waitFor("app.js fills the service type of "+a.product,
			`document.querySelector(`+strconv.Quote(serviceSel)+`).value === `+strconv.Quote(a.service))
		if i > 0 {
			// Choose it too, as a person who checks the field would.
			tab.do(chromedp.SetValue(chromedp.CSS(serviceSel), a.service))
		}
		tab.do(chromedp.SetValue(chromedp.CSS(form+"select[name=channel]"), a.channel))
		if a.quantity != "" {
			tab.do(chromedp.SendKeys(chromedp.CSS(form+"input[name=quantity]"), a.quantity))
		}
		if a.termEnd != "" {
			tab.do(chromedp.SetValue(chromedp.CSS(form+"input[name=term_end]"), a.termEnd))
		}
		tab.clickAndLoad(form + "button[type=submit]")
		if p := tab.path(); p != base+"/subscriptions" {
			t.Fatalf("after adding %s the browser is on %s, want %s/subscriptions", a.product, p, base)
		}
		if n := tab.text("#subscription-count"); n != a.count {
			t.Fatalf("after adding %s #subscription-count = %q, want %q", a.product, n, a.count)
		}
		if f := tab.flash(); f != "Added "+a.product+"." {
			t.Errorf("flash after adding %s = %q", a.product, f)
		}
	}
	products := tab.texts("tr.subscription .product")
	if want := []string{"Microsoft 365 E3", "Azure plan", "Office 365 E1"}; !slices.Equal(products, want) {
		t.Errorf("the inventory lists %q, want %q", products, want)
	}
	rowCells := func(product string) []string {
		t.Helper()
		return evaluate[[]string](tab, `(() => { const r = `+rowOfJS+`(`+strconv.Quote(product)+`);
			return r ? Array.from(r.cells, c => c.textContent.trim()) : []; })()`)
	}
	if cells := rowCells("Office 365 E1"); len(cells) < 4 || cells[2] != "25" || cells[3] != termEnd {
		t.Errorf("the Office 365 E1 row is %q, want 25 seats and the term end %s", cells, termEnd)
	}
	badge := func(product string) string {
		t.Helper()
		return evaluate[string](tab, `(() => { const r = `+rowOfJS+`(`+strconv.Quote(product)+`);
			const b = r && r.querySelector(".badge"); return b ? b.textContent.trim() : ""; })()`)
	}
	for product, want := range map[string]string{
		"Microsoft 365 E3": "Reseller relationship",
		"Azure plan":       "New CSP Azure subscription",
		"Office 365 E1":    "Wait for the term end",
	} {
		if got := badge(product); got != want {
			t.Errorf("the workflow of %s is %q, want %q", product, got, want)
		}
	}

	// 4. Change the channel of the first subscription in place.
	rowID := evaluate[string](tab, `(() => { const r = `+rowOfJS+`("Microsoft 365 E3"); return r ? r.id : ""; })()`)
	if rowID == "" {
		t.Fatal("no row for Microsoft 365 E3")
	}
	others := func() []string {
		t.Helper()
		return evaluate[[]string](tab, `Array.from(document.querySelectorAll("tr.subscription"))
			.filter(r => r.id !== `+strconv.Quote(rowID)+`).map(r => r.outerHTML)`)
	}
	othersBefore := others()
	setMarker("__noReloadClassify")
	// The old row is marked too: the swap must replace it.
	tab.do(chromedp.Evaluate[chromedp.Void](`document.getElementById(` + strconv.Quote(rowID) + `).__oldRow = true`))
	// SetValue dispatches input and change events, as choosing an option does.
	tab.do(chromedp.SetValue(chromedp.CSS("#"+rowID+" form.classify select[name=channel]"), "other_csp"))
	tab.waitFor("the Microsoft 365 E3 row shows its new workflow", `(() => {
		const r = document.getElementById(`+strconv.Quote(rowID)+`);
		const b = r && r.querySelector(".badge");
		return !!b && b.textContent.trim() === "Wait for the term end";
	})()`)
	checkNoReload("__noReloadClassify", "changing the channel")
	if evaluate[bool](tab, `document.getElementById(`+strconv.Quote(rowID)+`).__oldRow === true`) {
		t.Error("the Microsoft 365 E3 row is the same element as before: htmx did not swap it")
	}
	if n := evaluate[int](tab, `document.querySelectorAll("#`+rowID+`").length`); n != 1 {
		t.Errorf("%d elements have the id %s after the swap, want 1", n, rowID)
	}
	if got := tab.value("#" + rowID + " form.classify select[name=channel]"); got != "other_csp" {
		t.Errorf("after the swap the row's channel is %q, want other_csp", got)
	}
	if got := tab.value("#" + rowID + " form.classify select[name=service_type]"); got != "licence" {
		t.Errorf("after the swap the row's service type is %q, want licence", got)
	}
	if othersAfter := others(); !slices.Equal(othersAfter, othersBefore) {
		t.Errorf("the other rows changed when one row was classified:\nbefore %q\nafter  %q", othersBefore, othersAfter)
	}
	if n := tab.text("#subscription-count"); n != "3 subscriptions" {
		t.Errorf("after classifying, #subscription-count = %q, want \"3 subscriptions\"", n)
	}

	// 5. Import a CSV file: preview, then confirm.
	csvPath := filepath.Join(t.TempDir(), "subscriptions.csv")
	csv := "product,service_type,channel,quantity,term_end,reference,notes\n" +
		"Exchange Online (Plan 1),licence,Web Direct,10,,,\n" +
		"Azure reservation,Azure,CSP,,,Trey Research,\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	tab.clickAndLoad("#import-link")
	if p := tab.path(); p != base+"/import" {
		t.Fatalf("the Import link led to %s, want %s/import", p, base)
	}
	tab.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{csvPath}))
	tab.clickAndLoad("#import-form button[type=submit]")
	if s := tab.text("#import-summary"); s != "2 subscriptions ready to import." {
		t.Fatalf("#import-summary = %q, want \"2 subscriptions ready to import.\"", s)
	}
	if got := tab.texts("#import-rows tbody td:nth-child(2)"); !slices.Equal(got, []string{"Exchange Online (Plan 1)", "Azure reservation"}) {
		t.Errorf("the preview lists %q, want the two products of the file", got)
	}
	if got := tab.texts("#import-rows tbody td:nth-child(3)"); !slices.Equal(got, []string{"Microsoft direct", "Another CSP partner"}) {
		t.Errorf("the preview's channels are %q, want Microsoft direct and Another CSP partner", got)
	}
	if got := tab.texts("#import-rows tbody .badge"); !slices.Equal(got, []string{"Reseller relationship", "Azure transfer from the other partner"}) {
		t.Errorf("the preview's workflows are %q", got)
	}
	tab.clickAndLoad("#confirm-import button[type=submit]")
	if p := tab.path(); p != base+"/subscriptions" {
		t.Fatalf("after the import the browser is on %s, want %s/subscriptions", p, base)
	}
	if n := tab.text("#subscription-count"); n != "5 subscriptions" {
		t.Fatalf("after the import #subscription-count = %q, want \"5 subscriptions\"", n)
	}
	if f := tab.flash(); f != "Imported 2 subscriptions." {
		t.Errorf("flash after the import = %q, want \"Imported 2 subscriptions.\"", f)
	}
	// The classification of step 4 was saved, not only shown.
	if got := badge("Microsoft 365 E3"); got != "Wait for the term end" {
		t.Errorf("after a page load the workflow of Microsoft 365 E3 is %q, want \"Wait for the term end\"", got)
	}

	// 6. The plan groups the five subscriptions by workflow.
	tab.clickAndLoad(`nav.stepper a[href="` + base + `/plan"]`)
	if p := tab.path(); p != base+"/plan" {
		t.Fatalf("the Plan step led to %s, want %s/plan", p, base)
	}
	wantPlan := map[string][]string{
		"wait_term_end":          {"Microsoft 365 E3", "Office 365 E1"},
		"azure_transfer":         {"Azure reservation"},
		"azure_new_subscription": {"Azure plan"},
		"reseller_relationship":  {"Exchange Online (Plan 1)"},
	}
	for section, want := range wantPlan {
		got := tab.texts("section#" + section + " tbody td:first-child")
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("plan section #%s lists %q, want %q", section, got, want)
		}
	}
	if sections := tab.texts("section.plan-group h2"); len(sections) != len(wantPlan) {
		t.Errorf("the plan has the sections %q, want %d", sections, len(wantPlan))
	}

	// 7. No console errors on any page, CSP violations included.
	tab.checkConsole()
}
