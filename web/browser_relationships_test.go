package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// invitationTimeout bounds the whole invitation scenario: two browser
// contexts and about twenty page loads.
const invitationTimeout = 2 * browserTimeout

// TestBrowserInvitationAcceptedAndVerified follows a reseller relationship
// from end to end in headless Chromium, with two people in two browser
// contexts that share no cookies: a Sales agent creates the invitation for
// Litware on step 4, past the regional warning, and reads its link; the
// customer's Global admin opens the link without a session, fails the form
// once, then fills the Microsoft Customer Agreement attestation and accepts;
// an Admin agent verifies it by hand in the review queue, ticking that
// Partner Center's customer list shows it; the plan then shows step 4 done
// and where each subscription stands, and step 4 the attestation.
func TestBrowserInvitationAcceptedAndVerified(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, invitationTimeout)
	staff := openTab(t, browser)

	// step4 is the stepper's item for the relationship step.
	step4 := func() (text string, done bool) {
		t.Helper()
		st := evaluate[[]string](staff, `(() => {
			const li = Array.from(document.querySelectorAll("nav.stepper li.step")).find(li => li.textContent.includes("Relationship"));
			return li ? [li.querySelector(".step-state").textContent.trim(), li.classList.contains("done") ? "done" : ""] : [];
		})()`)
		if len(st) != 2 {
			t.Fatal("the stepper has no step named Relationship")
		}
		return st[0], st[1] == "done"
	}

	// 1. The Sales agent creates the invitation for Litware on step 4.
	staff.signInAs(app.url, salesAgent, "Sales agent")
	staff.open(app.url + "/customers?q=litware")
	if names := staff.texts("#customers tbody td:first-child"); !slices.Equal(names, []string{"Litware, Inc."}) {
		t.Fatalf("the search for \"litware\" lists %q, want only Litware, Inc.", names)
	}
	staff.clickAndLoad("#customers tbody td:first-child a")
	m := regexp.MustCompile(`^/customers/([0-9]+)$`).FindStringSubmatch(staff.path())
	if m == nil {
		t.Fatalf("Litware's link led to %s, want /customers/{id}", staff.path())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	if want := app.customerID("Litware"); id != want {
		t.Fatalf("the list links Litware to customer %d, the store has %d", id, want)
	}
	base := "/customers/" + m[1]
	staff.clickAndLoad(`nav.stepper a[href="` + base + `/relationship"]`)
	if p := staff.path(); p != base+"/relationship" {
		t.Fatalf("the Relationship step led to %s, want %s/relationship", p, base)
	}
	// Litware's earlier request was revoked, so it can be invited again, and
	// the form is filled with its Global admin.
	for sel, want := range map[string]string{
		"#invite-form #recipient_name":  "Patti Fernandez",
		"#invite-form #recipient_email": "patti@litware.example",
		"#invite-form #expiry_days":     "30",
	} {
		if got := evaluate[string](staff, "document.querySelector("+strconv.Quote(sel)+").value"); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if n := evaluate[int](staff, `document.querySelectorAll("#invite-form input[name=admin_roles]:checked").length`); n != 0 {
		t.Errorf("%d admin roles are ticked on a new invitation, want none", n)
	}
	if staff.exists("#invitation") {
		t.Error("step 4 shows an #invitation before one was created")
	}
	// Litware is in Canada, outside the partner's CSP market: the form
	// warns and the Sales agent ticks to go on.
	if w := staff.text("#regional-warning"); !strings.Contains(w, "Canada is outside your CSP market") {
		t.Errorf("#regional-warning = %q, want the warning for Canada", w)
	}
	staff.do(chromedp.Click(chromedp.ID("outside_market_ok")))
	staff.clickAndLoad("#invite-form button[type=submit]")
	if p := staff.path(); p != base+"/relationship" {
		t.Fatalf("after creating the invitation the browser is on %s, want %s/relationship", p, base)
	}
	if f := staff.flash(); !strings.Contains(f, "Invitation created") {
		t.Errorf("flash after creating the invitation = %q, want \"Invitation created…\"", f)
	}
	staff.waitFor("the page shows the invitation and its link", `(() => {
		const link = document.querySelector("#invitation #invite-link");
		return !!link && link.value !== "";
	})()`)
	link := evaluate[string](staff, `document.getElementById("invite-link").value`)
	if !strings.HasPrefix(link, app.url+"/invite/") || len(link) <= len(app.url+"/invite/") {
		t.Fatalf("#invite-link = %q, want a link that starts with %s/invite/", link, app.url)
	}
	token := strings.TrimPrefix(link, app.url+"/invite/")
	if !evaluate[bool](staff, `document.getElementById("invite-link").readOnly`) {
		t.Error("#invite-link is not read-only")
	}
	if st := evaluate[string](staff, `(document.querySelector("#current-relationship [data-status]") || {dataset: {}}).dataset.status || ""`); st != "pending" {
		t.Errorf("the current request's state is %q, want pending", st)
	}
	if staff.exists("#invite-form") {
		t.Error("step 4 still offers #invite-form while a request is open")
	}
	if state, done := step4(); done || state != "to do" {
		t.Errorf("with the invitation pending, step 4 is %q (done=%v), want \"to do\"", state, done)
	}

	// 2. The customer's Global admin opens the link in a browser context of
	// their own, with no session.
	customer := openTab(t, browser)
	customer.open(link)
	checkInvitationPage := func(when string) {
		t.Helper()
		if customer.exists("#signed-in-user") {
			t.Errorf("%s: the invitation page shows a signed-in user; the customer has no session", when)
		}
		if !customer.exists("#answer-form") {
			t.Fatalf("%s: the invitation page has no #answer-form; it says %q", when, customer.text("main"))
		}
		if h1 := customer.text("article.invitation h1"); h1 != "Wingtip Cloud Partners asks to become your Microsoft reseller" {
			t.Errorf("%s: the invitation's h1 = %q", when, h1)
		}
		body := customer.text("article.invitation")
		for _, want := range []string{"Wingtip Cloud Partners", "PartnerID 5139005", "Litware, Inc.", "litware.onmicrosoft.com"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the invitation does not say %q; it says %q", when, want, body)
			}
		}
	}
	checkInvitationPage("first visit")
	// GET changes nothing: mail scanners open links before people do.
	customer.reload()
	checkInvitationPage("after a reload")

	// The invited person's name and e-mail, and the customer's name, are
	// filled in for the attestation.
	for id, want := range map[string]string{"first_name": "Patti", "last_name": "Fernandez", "email": "patti@litware.example",
		"company_name": "Litware, Inc."} {
		if got := evaluate[string](customer, `document.getElementById("`+id+`").value`); got != want {
			t.Errorf("the invitation fills in #%s = %q, want %q", id, got, want)
		}
	}
	// Accept without ticking the boxes: the form comes back with the errors.
	customer.do(
		chromedp.Clear(chromedp.ID("last_name")),
		chromedp.SendKeys(chromedp.ID("last_name"), "Fernandez"),
		chromedp.Clear(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "patti@litware.example"),
	)
	customer.clickExpecting("#accept", http.StatusUnprocessableEntity)
	if p := customer.path(); p != "/invite/"+token {
		t.Errorf("after the failed answer the browser is on %s, want the invitation again", p)
	}
	if msg := customer.text("#global_admin-error"); !strings.Contains(msg, "Global admin") {
		t.Errorf("#global_admin-error = %q, want the Global admin message", msg)
	}
	if msg := customer.text("#mca-error"); !strings.Contains(msg, "Microsoft Customer Agreement") {
		t.Errorf("#mca-error = %q, want the Microsoft Customer Agreement message", msg)
	}
	if errs := customer.texts(".field-error"); len(errs) != 3 {
		t.Errorf("the answer form shows the errors %q, want three, for the boxes", errs)
	}
	if got := evaluate[string](customer, `document.getElementById("last_name").value`); got != "Fernandez" {
		t.Errorf("after the failed answer #last_name = %q, want what was typed", got)
	}
	if got := evaluate[string](customer, `document.getElementById("email").value`); got != "patti@litware.example" {
		t.Errorf("after the failed answer #email = %q, want what was typed", got)
	}
	customer.expectLoadErrors("the invalid answer", link, http.StatusUnprocessableEntity)

	// Fill the attestation as a person would, tick the boxes and accept.
	customer.do(
		chromedp.Clear(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "patti@litware.example"),
		chromedp.SendKeys(chromedp.ID("phone"), "+1 425 555 0100"),
		chromedp.Click(chromedp.ID("global_admin")),
		chromedp.Click(chromedp.ID("mca")),
		chromedp.Click(chromedp.ID("accepted_at_microsoft")),
	)
	if !evaluate[bool](customer, `document.getElementById("global_admin").checked && document.getElementById("mca").checked`) {
		t.Fatal("clicking the boxes did not tick #global_admin and #mca")
	}
	customer.clickAndLoad("#accept")
	loc, err := chromedp.Run(customer.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if u, err := url.Parse(loc); err != nil || u.Path != "/invite/answered" || strings.Contains(loc, token) {
		t.Errorf("after accepting the browser is on %s, want /invite/answered without the token", loc)
	}
	if done := customer.text("#invitation-done"); !strings.Contains(done, "you accepted") {
		t.Errorf("#invitation-done says %q, want \"…you accepted…\"", done)
	}
	// The link is used up.
	customer.checkUsedLink("the used link", link, "#invalid-invitation", "#answer-form")
	customer.checkConsole()

	// 3. An Admin agent verifies the acceptance by hand in the review queue.
	staff.clickAndLoad("#sign-out")
	if p := staff.path(); p != "/login" {
		t.Fatalf("after sign-out the browser is on %s, want /login", p)
	}
	staff.signInAs(app.url, adminAgent, "Admin agent")
	// litwareRow is the id of Litware's row in the review queue, or "".
	litwareRow := func() string {
		t.Helper()
		return evaluate[string](staff, `(() => {
			const r = Array.from(document.querySelectorAll("table#relationships tbody tr")).find(r => {
				const a = r.querySelector("td:first-child a");
				return a && a.textContent.trim() === "Litware, Inc.";
			});
			return r ? r.id : "";
		})()`)
	}
	staff.open(app.url + "/relationships") // it opens on "Awaiting verification"
	row := litwareRow()
	if row == "" {
		t.Fatalf("Litware is not listed under /relationships, which opens on the accepted requests; the page says %q", staff.text("main"))
	}
	if !regexp.MustCompile(`^rel-[0-9]+$`).MatchString(row) {
		t.Errorf("Litware's row has the id %q, want rel-{id}", row)
	}
	if answered := staff.text("#" + row + " td:nth-child(5)"); !strings.Contains(answered, "Patti Fernandez <patti@litware.example>") {
		t.Errorf("Litware's row says it was answered by %q, want Patti Fernandez <patti@litware.example>", answered)
	}
	// The row links to the request's own page, where it is verified or
	// rejected.
	if !staff.exists("#" + row + " a.verify-or-reject") {
		t.Fatalf("Litware's row offers the Admin agent no link to verify or reject it")
	}
	staff.clickAndLoad("#" + row + " a.verify-or-reject")
	if p, want := staff.path(), "/relationships/"+strings.TrimPrefix(row, "rel-"); p != want {
		t.Fatalf("Litware's Verify or reject link led to %s, want %s", p, want)
	}
	if !staff.exists("#request-actions button.verify") || !staff.exists("#request-actions button.reject") ||
		!strings.Contains(staff.text("#request-actions .verify-form"), "I see Litware, Inc. with a reseller relationship in Partner Center's customer list") {
		t.Fatalf("Litware's request page offers no .verify button with its sentence, or no .reject button, to the Admin agent")
	}
	staff.do(chromedp.Click(chromedp.CSS(`#request-actions .verify-form input[name=seen]`)))
	staff.clickAndLoad("#request-actions button.verify")
	if f := staff.flash(); !strings.Contains(f, "the reseller relationship is active") {
		t.Errorf("flash after verifying = %q, want \"…the reseller relationship is active.\"", f)
	}
	if p := staff.path(); p != "/relationships" {
		t.Errorf("after verifying the browser is on %s, want back on /relationships", p)
	}
	if litwareRow() != "" {
		t.Error("Litware is still listed as accepted after the verification")
	}
	staff.open(app.url + "/relationships?status=active")
	if row := litwareRow(); row == "" {
		t.Errorf("Litware is not listed under /relationships?status=active; the page says %q", staff.text("main"))
	} else if st := evaluate[string](staff, `document.querySelector("#`+row+` [data-status]").dataset.status`); st != "active" {
		t.Errorf("Litware's row under active has the state %q", st)
	}

	// 4. The plan: step 4 is done, and each subscription that needed the
	// relationship says where it stands now.
	staff.open(app.url + base + "/plan")
	if state, done := step4(); !done || state != "done" {
		t.Errorf("with the relationship active, step 4 is %q (done=%v), want done", state, done)
	}
	// planRow is the text of the cells of a product's row in a section of
	// the plan, or "" when the section does not list the product.
	planRow := func(section, product string) string {
		t.Helper()
		return evaluate[string](staff, `(() => {
			const r = Array.from(document.querySelectorAll("section#`+section+` tbody tr")).find(r => {
				const c = r.querySelector("td:first-child");
				return c && c.textContent.trim() === `+strconv.Quote(product)+`;
			});
			return r ? Array.from(r.cells, c => c.textContent.replace(/\s+/g, " ").trim()).join(" | ") : "";
		})()`)
	}
	for _, tc := range []struct{ section, product, stage string }{
		{"wait_term_end", "Office 365 E5", "Ready: buy the replacement at the term end"},
		{"reseller_relationship", "Microsoft 365 Business Standard", "Managed through the reseller relationship"},
	} {
		text := planRow(tc.section, tc.product)
		switch {
		case text == "":
			t.Errorf("the plan lists no %s in section#%s", tc.product, tc.section)
		case !strings.Contains(text, tc.stage):
			t.Errorf("app bug: the plan shows no stage for %s in section#%s: the row is %q, want it to say %q "+
				"(domain.BuildPlan computes PlanItem.Stage; the plan page must show it)", tc.product, tc.section, text, tc.stage)
		}
	}

	// The customer's attestation is on step 4, to copy.
	staff.open(app.url + base + "/relationship")
	if rec := staff.text("#mca-attestation-record"); !strings.Contains(rec, "Patti Fernandez <patti@litware.example>") ||
		!strings.Contains(rec, "+1 425 555 0100") || !strings.Contains(rec, "Litware, Inc.") {
		t.Errorf("#mca-attestation-record = %q, want the customer's attestation", rec)
	}

	// 5. No console errors on the staff's pages.
	staff.checkConsole()
}
