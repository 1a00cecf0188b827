package web

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAnNCELicenceFromAnotherCSPIsALicenceTransfer follows a Sales
// agent in headless Chromium who records, on a demo customer, a licence
// bought from another CSP partner under new commerce: the inventory and the
// plan say it moves by a licence transfer from the other partner, with the
// reason. Edited in place to legacy commerce, it waits for its term end,
// and the reason says that an NCE subscription could move now.
func TestBrowserAnNCELicenceFromAnotherCSPIsALicenceTransfer(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, 2*browserTimeout)
	tab := openTab(t, browser)
	tab.signInAs(app.url, salesAgent, "Sales agent")

	const product = "Microsoft 365 E5"
	base := "/customers/" + strconv.FormatInt(app.customerID("Fabrikam"), 10)
	tab.open(app.url + base + "/subscriptions")
	const form = "#add-subscription-form "
	if got := evaluate[string](tab, `document.querySelector("`+form+`select[name=channel] option[value=other_csp]").textContent.trim()`); got != "Another CSP partner" {
		t.Errorf("the channel other_csp is offered as %q, want \"Another CSP partner\"", got)
	}
	// The form hides what does not apply to the service type chosen.
	shown := func() (terms, offer bool) {
		t.Helper()
		got := evaluate[[]bool](tab, `["fieldset.terms", ".offer-id-field"].map(s =>
			getComputedStyle(document.querySelector(`+strconv.Quote(form)+` + s)).display !== "none")`)
		return got[0], got[1]
	}
	for service, want := range map[string][2]bool{"": {true, true}, "usage": {false, true}, "licence": {true, false}} {
		tab.do(chromedp.SetValue(chromedp.CSS(form+"select[name=service_type]"), service))
		if terms, offer := shown(); terms != want[0] || offer != want[1] {
			t.Errorf("with the service type %q the form shows the terms %v and the offer id %v, want %v", service, terms, offer, want)
		}
	}
	termStart := time.Now().AddDate(0, -2, 0).Format("2006-01-02")
	tab.do(
		chromedp.SendKeys(chromedp.CSS(form+"input[name=product]"), product),
		chromedp.SetValue(chromedp.CSS(form+"select[name=service_type]"), "licence"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=channel]"), "other_csp"),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=quantity]"), "40"),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=reference]"), "Litware Cloud Services"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=commerce]"), "nce"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=term_length]"), "annual"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=billing_frequency]"), "monthly"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=auto_renew]"), "on"),
		chromedp.SetValue(chromedp.CSS(form+"input[name=term_start]"), termStart),
	)
	tab.clickAndLoad(form + "button[type=submit]")
	if f := tab.flash(); f != "Added "+product+"." {
		t.Fatalf("flash after adding = %q", f)
	}

	// row reads the badge, reason and terms of the product's row.
	row := func() (badge, reason, terms string) {
		t.Helper()
		got := evaluate[[]string](tab, `(() => { const r = `+rowOfJS+`(`+strconv.Quote(product)+`);
			if (!r) return ["", "", ""];
			const text = sel => { const e = r.querySelector(sel); return e ? e.textContent.trim() : ""; };
			return [text(".badge"), text(".reason"), text(".terms")]; })()`)
		return got[0], got[1], got[2]
	}
	badge, reason, terms := row()
	if badge != "Licence transfer from the other partner" || !strings.Contains(reason, "can move to us mid-term by a partner transfer") {
		t.Errorf("the new NCE licence shows %q, %q; want the licence transfer with its reason", badge, reason)
	}
	if want := "New commerce (NCE) · term one year · billed monthly · auto-renew on · from " + termStart; terms != want {
		t.Errorf("the row's terms are %q, want %q", terms, want)
	}

	// planRow reads the product's row in a section of the plan.
	planRow := func(section string) []string {
		t.Helper()
		return evaluate[[]string](tab, `(() => { const r = Array.from(document.querySelectorAll("section#`+section+` tbody tr"))
			.find(r => r.cells[0].textContent.trim() === `+strconv.Quote(product)+`);
			return r ? Array.from(r.cells, c => c.textContent.trim()) : []; })()`)
	}
	tab.clickAndLoad(`nav.stepper a[href="` + base + `/plan"]`)
	if cells := planRow("licence_transfer"); len(cells) < 4 || !strings.Contains(cells[3], "can move to us mid-term by a partner transfer") {
		t.Errorf("the plan's licence transfers show %q, want %s with its reason", cells, product)
	}
	if h := tab.text("section#licence_transfer h2"); !strings.Contains(h, "Licence transfer from the other partner") {
		t.Errorf("the plan's section is headed %q", h)
	}

	// Edit it in place to legacy commerce.
	tab.clickAndLoad(`nav.stepper a[href="` + base + `/subscriptions"]`)
	rowID := evaluate[string](tab, `(() => { const r = `+rowOfJS+`(`+strconv.Quote(product)+`); return r ? r.id : ""; })()`)
	if rowID == "" {
		t.Fatal("no row for " + product)
	}
	tab.do(chromedp.Click(chromedp.CSS("#" + rowID + " .row-actions a")))
	editForm := "#" + rowID + "-subscription-form "
	tab.waitFor("the edit form replaces the row", `!!document.querySelector(`+strconv.Quote(editForm+"select[name=commerce]")+`)`)
	if got := tab.value(editForm + "select[name=commerce]"); got != "nce" {
		t.Errorf("the edit form's commerce is %q, want nce", got)
	}
	if got := tab.value(editForm + "input[name=term_start]"); got != termStart {
		t.Errorf("the edit form's term start is %q, want %s", got, termStart)
	}
	tab.do(chromedp.SetValue(chromedp.CSS(editForm+"select[name=commerce]"), "legacy"),
		chromedp.Click(chromedp.CSS(editForm+"button[type=submit]")))
	tab.waitFor("the row shows its new workflow", `(() => { const r = document.getElementById(`+strconv.Quote(rowID)+`);
		const b = r && r.querySelector(".badge"); return !!b && b.textContent.trim() === "Wait for the term end"; })()`)
	if badge, reason, terms = row(); !strings.Contains(reason, "only a new-commerce (NCE) subscription could move now") ||
		!strings.HasPrefix(terms, "Legacy · term one year") {
		t.Errorf("the legacy licence shows %q, %q, %q", badge, reason, terms)
	}

	tab.clickAndLoad(`nav.stepper a[href="` + base + `/plan"]`)
	if cells := planRow("wait_term_end"); len(cells) < 4 || !strings.Contains(cells[3], "only a new-commerce (NCE) subscription could move now") {
		t.Errorf("the plan's term ends show %q, want %s with the reason", cells, product)
	}
	if cells := planRow("licence_transfer"); len(cells) != 0 {
		t.Errorf("the legacy licence is still a licence transfer on the plan: %q", cells)
	}
	tab.checkConsole()
}
