package web

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// errorSummary is what the page says of the error summary of a form: where
// it stands, what it links to and whether it holds the focus.
type errorSummary struct {
	Found bool `json:"found"`
	// First says that nothing of the form a user sees comes before it.
	First bool `json:"first"`
	// Top is its top edge in the viewport, of a viewport Height high.
	Top    float64 `json:"top"`
	Height float64 `json:"height"`
	// Focused says it is document.activeElement.
	Focused bool `json:"focused"`
	// Links are the ids its links point to; Inputs those of them that are
	// inputs, selects or text areas of the form; Invalid the ids of the
	// form's fields marked aria-invalid.
	Links   []string `json:"links"`
	Inputs  []string `json:"inputs"`
	Invalid []string `json:"invalid"`
}

// readErrorSummary reads the error summary of the form form (a CSS
// selector) on the page the tab shows.
func readErrorSummary(tab *browserTab, form string) errorSummary {
	tab.t.Helper()
	return evaluate[errorSummary](tab, `(() => {
		const form = document.querySelector(`+strconv.Quote(form)+`);
		const s = form && form.querySelector("[data-error-summary]");
		if (!s) return {found: false, links: [], inputs: [], invalid: []};
		const seen = Array.from(form.querySelectorAll("*")).filter(e =>
			e.getClientRects().length > 0 && !s.contains(e) && e !== s && (e.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING));
		const links = Array.from(s.querySelectorAll("a[href^='#']"), a => a.getAttribute("href").slice(1));
		const r = s.getBoundingClientRect();
		return {
			found: true,
			first: seen.length === 0,
			top: r.top, height: window.innerHeight,
			focused: document.activeElement === s,
			links: links,
			inputs: links.filter(id => { const e = document.getElementById(id); return e && form.contains(e) && e.matches("input, select, textarea"); }),
			invalid: Array.from(form.querySelectorAll("[aria-invalid=true]"), e => e.id),
		};
	})()`)
}

// checkErrorSummary checks the summary of the form form after a refused
// save: shown at the top of the form, within the viewport, linking to the
// inputs of each field in error (want, in that order), and, when the page
// runs scripts, holding the focus.
func checkErrorSummary(t *testing.T, tab *browserTab, what, form string, want []string, scripts bool) {
	t.Helper()
	s := readErrorSummary(tab, form)
	if !s.Found {
		t.Fatalf("%s: %s has no error summary; the page says %q", what, form, tab.text("main"))
	}
	if !s.First {
		t.Errorf("%s: the error summary is not at the top of %s", what, form)
	}
	if s.Top < 0 || s.Top >= s.Height {
		t.Errorf("%s: the error summary's top is at %.0f px, outside the viewport of %.0f px", what, s.Top, s.Height)
	}
	if !slices.Equal(s.Links, want) {
		t.Errorf("%s: the error summary links to %q, want %q", what, s.Links, want)
	}
	if !slices.Equal(s.Inputs, s.Links) {
		t.Errorf("%s: the error summary links to %q, of which only %q are inputs of the form", what, s.Links, s.Inputs)
	}
	if !slices.Equal(s.Invalid, want) {
		t.Errorf("%s: the fields marked invalid are %q, want those the summary links to, %q", what, s.Invalid, want)
	}
	if scripts && !s.Focused {
		t.Errorf("%s: the error summary does not hold the focus", what)
	}
}

// location is the address the tab shows, fragment included.
func (b *browserTab) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// checkReopens opens the address the tab shows again, as a bookmark or a
// link pasted into a new tab opens it, and requires a page without an
// error, where where (a CSS selector) matches. (A reload after a post would
// send the form again, and answer as the post did.)
func checkReopens(t *testing.T, tab *browserTab, what, where string) {
	t.Helper()
	loc := tab.location()
	// Leave the page first: going to the address the tab shows, fragment
	// and all, would only scroll.
	tab.do(chromedp.Navigate("about:blank"))
	res, err := chromedp.Run(tab.ctx, chromedp.NavigateResponse(loc))
	if err != nil {
		t.Fatalf("%s: open %s again: %v", what, loc, err)
	}
	if res.Status != http.StatusOK || tab.exists("section.error") {
		t.Errorf("%s: %s opened again ends on %s with status %d", what, loc, res.URL, res.Status)
	}
	if !tab.exists(where) {
		t.Errorf("%s: %s opened again does not show %s; it says %q", what, loc, where, tab.text("main"))
	}
}

// TestBrowserFormErrors sends a refused Azure step and a refused new
// customer in headless Chromium at 1366×900, once with scripts (htmx swaps
// the form) and once without (the browser posts the form and shows the
// answer). Either way the form comes back with its error summary at its
// top and in view, linking to each field in error, the focus on it when
// scripts run, and an address that opens again without an error.
func TestBrowserFormErrors(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, 2*browserTimeout)
	contoso, sub := app.azureSubscription("Contoso") // the relationship is active
	checklist := "/customers/" + strconv.FormatInt(contoso, 10) + "/azure/" + strconv.FormatInt(sub, 10)
	prefix := "azure-" + strconv.FormatInt(sub, 10) + "-"
	step2 := "form#" + prefix + "step-2"

	for _, mode := range []struct {
		name    string
		scripts bool
	}{{"js", true}, {"nojs", false}} {
		t.Run(mode.name, func(t *testing.T) {
			tab := openTab(t, browser)
			tab.do(chromedp.EmulateViewport(1366, 900))
			if !mode.scripts {
				tab.disableScripts()
			}
			tab.signInAs(app.url, adminAgent, "Admin agent")
			// submit sends a form: htmx swaps the answer in, without
			// scripts the browser loads it with its status.
			submit := func(form string, status int64) {
				t.Helper()
				button := form + " button[type=submit]"
				if !mode.scripts {
					tab.clickExpecting(button, status)
					return
				}
				tab.do(chromedp.Click(chromedp.CSS(button)))
				tab.waitFor("the form comes back with its error summary", `!!document.querySelector(`+strconv.Quote(form+" [data-error-summary]")+`)`)
			}

			// The list of checklists leads to the subscription's own page.
			tab.open(app.url + "/customers/" + strconv.FormatInt(contoso, 10) + "/azure")
			if n := len(tab.texts("main form")); n > 0 {
				t.Errorf("the list of Azure checklists shows %d forms, want none", n)
			}
			tab.saveWindowShot("forms-azure-list-" + mode.name)
			tab.clickAndLoad("li#azure-" + strconv.FormatInt(sub, 10) + " h2 a")
			if p := tab.path(); p != checklist {
				t.Fatalf("the checklist's link leads to %s, want %s", p, checklist)
			}
			// Step 2 with an id that is not a GUID and no creator.
			tab.do(
				chromedp.SendKeys(chromedp.ID(prefix+"csp_subscription_id"), "not-a-guid"),
				chromedp.SendKeys(chromedp.ID(prefix+"display_name"), "Contoso dev/test (CSP)"),
			)
			submit(step2, http.StatusUnprocessableEntity)
			tab.saveWindowShot("forms-azure-" + mode.name)
			checkErrorSummary(t, tab, "a refused step 2", step2,
				[]string{prefix + "csp_subscription_id", prefix + "created_on", prefix + "created_by_role"}, mode.scripts)
			if got := tab.value("#" + prefix + "display_name"); got != "Contoso dev/test (CSP)" {
				t.Errorf("after the refused step 2 the display name holds %q, want what was typed", got)
			}
			wantPath := checklist
			if !mode.scripts {
				wantPath = checklist + "/csp"
			}
			if p := tab.path(); p != wantPath {
				t.Errorf("after the refused step 2 the browser shows %s, want %s", p, wantPath)
			}
			// Chromium logs the 422 as a failed load, of the page or of
			// htmx's request, whose address has no fragment.
			fragment := func(f string) string {
				if mode.scripts {
					return ""
				}
				return "#" + f
			}
			tab.expectLoadErrors("the refused step 2", app.url+checklist+"/csp"+fragment(prefix+"step-2"), http.StatusUnprocessableEntity)
			checkReopens(t, tab, "the refused step 2", step2)

			// A new customer with a bad domain and no e-mail address.
			tab.open(app.url + "/customers/new")
			tab.do(
				chromedp.SendKeys(chromedp.ID("name"), "Graphic Design Institute"),
				chromedp.SendKeys(chromedp.ID("domain"), "not a domain"),
				chromedp.SendKeys(chromedp.ID("admin_name"), "Lynne Robbins"),
			)
			tab.do(chromedp.SetValue(chromedp.ID("country"), "SE"))
			submit("form#customer-form", http.StatusUnprocessableEntity)
			tab.saveWindowShot("forms-customer-" + mode.name)
			checkErrorSummary(t, tab, "a refused new customer", "form#customer-form", []string{"domain", "admin_email"}, mode.scripts)
			if got := tab.value("#name"); got != "Graphic Design Institute" {
				t.Errorf("after the refused customer #name holds %q, want what was typed", got)
			}
			tab.expectLoadErrors("the refused new customer", app.url+"/customers"+fragment("customer-form"), http.StatusUnprocessableEntity)
			checkReopens(t, tab, "the refused new customer", "main h1")
			tab.checkConsole()
		})
	}
}
