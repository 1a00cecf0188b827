package web

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// partnerCenterTimeout bounds the Partner Center scenario: two browser
// contexts, a file upload and about twenty page loads.
const partnerCenterTimeout = 2 * browserTimeout

// TestBrowserPartnerCenterHandOff follows a request with admin roles through
// the real steps at Microsoft, in headless Chromium, with two people in two
// browser contexts that share no cookies. An Admin agent starts Litware's
// request from the role template "Helpdesk", past the regional warning, and
// pastes the GDAP invitation link Partner Center gave it; the customer's
// Global admin opens the app's link with no session, finds both Microsoft
// links exactly as stored and the roles by name, fills the Microsoft
// Customer Agreement attestation and accepts; the Admin agent uploads
// Partner Center's customer export (BOM, CRLF, Litware matched by its
// primary domain), reads the preview and confirms; the request is then
// active, verified from the export, and the plan follows: licences managed
// through the reseller relationship, step 4 done.
func TestBrowserPartnerCenterHandOff(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, partnerCenterTimeout)
	staff := openTab(t, browser)
	litware := app.customerID("Litware")
	base := "/customers/" + itoa(litware)

	// step4 is the state the stepper shows for the relationship step of
	// the page the staff tab shows, and whether it is marked done.
	step4 := func() (string, bool) {
		t.Helper()
		link := `nav.stepper li.step a[href="` + base + `/relationship"]`
		if !staff.exists(link) {
			t.Fatalf("the stepper of %s has no link to %s/relationship", staff.path(), base)
		}
		return staff.text(link + " .step-state"), evaluate[bool](staff, "document.querySelector("+strconv.Quote(link)+`).closest("li").classList.contains("done")`)
	}
	// shown is the text of the elements a selector matches on a page that
	// has loaded, spaces collapsed; "" when none does, at once, where
	// tab.text would wait for the element until the scenario's deadline.
	shown := func(tab *browserTab, sel string) string {
		t.Helper()
		return strings.Join(strings.Fields(strings.Join(tab.texts(sel), " ")), " ")
	}

	// 1. The Admin agent starts the request from the role template.
	staff.signInAs(app.url, adminAgent, "Admin agent")
	staff.open(app.url + base + "/relationship")
	if !staff.exists("#invite-form #gdap-fields") {
		t.Fatalf("step 4 offers the Admin agent no admin roles; it says %q", staff.text("main"))
	}
	if n := evaluate[int](staff, `document.querySelectorAll("#invite-form input[name=admin_roles]:checked").length`); n != 0 {
		t.Errorf("%d admin roles are ticked before a template is chosen, want none", n)
	}
	helpdesk := evaluate[string](staff, `(Array.from(document.querySelectorAll("#template option")).find(o => o.textContent.trim() === "Helpdesk") || {value: ""}).value`)
	if helpdesk != itoa(app.templateID("Helpdesk")) {
		t.Fatalf("the template picker offers Helpdesk as %q, want the template's id %d", helpdesk, app.templateID("Helpdesk"))
	}
	staff.do(chromedp.SetValue(chromedp.ID("template"), helpdesk))
	staff.clickAndLoad(`#template-picker button[type=submit]`)
	if p := staff.path(); p != base+"/relationship" {
		t.Fatalf("the template picker led to %s, want %s/relationship", p, base)
	}
	checked := evaluate[[]string](staff, `Array.from(document.querySelectorAll("#invite-form input[name=admin_roles]:checked"), e => e.value)`)
	if !slices.Equal(checked, []string{string(domain.RoleHelpdeskAdministrator)}) {
		t.Errorf("the Helpdesk template ticks the roles %q, want only %s", checked, domain.RoleHelpdeskAdministrator)
	}
	for sel, want := range map[string]string{
		"#recipient_name":                      "Patti Fernandez",
		"#recipient_email":                     "patti@litware.example",
		"#gdap_name":                           "Litware, Inc. – Helpdesk",
		"#admin_days":                          "730",
		"#template":                            helpdesk,
		"#invite-form input[name=template_id]": helpdesk,
	} {
		if got := staff.value(sel); got != want {
			t.Errorf("from the template, %s = %q, want %q", sel, got, want)
		}
	}
	if !evaluate[bool](staff, `document.getElementById("auto_extend").checked`) {
		t.Error("the Helpdesk template (auto-extend) leaves #auto_extend unticked")
	}
	// Litware is in Canada, outside the partner's market (GB): the tick to go on.
	if w := shown(staff, "#regional-warning"); !strings.Contains(w, "Canada is outside your CSP market") {
		t.Errorf("#regional-warning = %q, want the warning for Canada", w)
	}
	staff.do(chromedp.Click(chromedp.ID("outside_market_ok")))
	// Enter in a field creates the request, as the form's own button would:
	// "Use this template", inside the form too, is not its first button.
	staff.enterAndLoad("#recipient_name")
	if p := staff.path(); p != base+"/relationship" {
		t.Fatalf("after creating the request the browser is on %s, want %s/relationship", p, base)
	}
	if f := staff.flash(); !strings.Contains(f, "Invitation created") {
		t.Fatalf("flash after creating the request = %q, want \"Invitation created…\"; page %q", f, staff.text("main"))
	}
	if st := shown(staff, "#gdap-status"); st != "To create in Partner Center" {
		t.Errorf("#gdap-status = %q, want \"To create in Partner Center\"", st)
	}
	if roles := staff.texts("#gdap-panel-roles li"); len(roles) != 1 || !strings.HasPrefix(roles[0], "Helpdesk Administrator") {
		t.Errorf("the GDAP panel lists the roles %q, want Helpdesk Administrator", roles)
	}
	if name := shown(staff, "#gdap-name"); name != "Litware, Inc. – Helpdesk" {
		t.Errorf("#gdap-name = %q, want the template's suggestion", name)
	}
	if gdap := shown(staff, "#gdap"); !strings.Contains(gdap, "730 days, auto-extends by 180 days") {
		t.Errorf("the GDAP panel says %q, want the template's duration and auto-extend", gdap)
	}

	// The GDAP relationship is created in Partner Center, which shows its
	// invitation link; the Admin agent pastes it.
	gdapLink := "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" + gdapWebID
	staff.do(chromedp.SendKeys(chromedp.ID("gdap_link"), gdapLink))
	staff.clickAndLoad(`#gdap-link-form button[type=submit]`)
	if p := staff.path(); p != base+"/relationship" {
		t.Fatalf("after recording the GDAP link the browser is on %s, want %s/relationship", p, base)
	}
	if staff.exists("#gdap_link-error") {
		t.Fatalf("the GDAP link was refused: %q", staff.text("#gdap_link-error"))
	}
	if st := shown(staff, "#gdap-status"); st != "Approval pending" {
		t.Errorf("with its link recorded, #gdap-status = %q, want \"Approval pending\"", st)
	}
	if got := evaluate[string](staff, `document.getElementById("gdap-stored-link").getAttribute("href")`); got != gdapLink {
		t.Errorf("step 4 links the GDAP invitation to %q, want it as pasted: %q", got, gdapLink)
	}
	link := staff.value("#invitation #invite-link")
	if !strings.HasPrefix(link, app.url+"/invite/") || len(link) <= len(app.url+"/invite/") {
		t.Fatalf("#invite-link = %q, want a link that starts with %s/invite/", link, app.url)
	}
	if st := evaluate[string](staff, `(document.querySelector("#current-relationship [data-status]") || {dataset: {}}).dataset.status || ""`); st != string(domain.StatusPending) {
		t.Errorf("the current request's state is %q, want pending", st)
	}

	// 2. The customer's Global admin opens the link with no session.
	customer := openTab(t, browser)
	customer.open(link)
	if customer.exists("#signed-in-user") {
		t.Error("the invitation page shows a signed-in user; the customer has no session")
	}
	for id, want := range map[string]string{"microsoft-link": demo.Partner.ResellerLink, "gdap-link": gdapLink} {
		if !customer.exists("#" + id) {
			t.Errorf("the invitation page has no #%s; it says %q", id, customer.text("main"))
			continue
		}
		attrs := evaluate[[]string](customer, `(e => [e.getAttribute("href"), e.target, e.rel])(document.getElementById(`+strconv.Quote(id)+`))`)
		if attrs[0] != want {
			t.Errorf("#%s links to %q, want exactly the stored %q", id, attrs[0], want)
		}
		if attrs[1] != "_blank" || !strings.Contains(attrs[2], "noopener") {
			t.Errorf("#%s opens with target=%q rel=%q, want a new tab without an opener", id, attrs[1], attrs[2])
		}
	}
	if roles := customer.texts("#gdap-roles li strong"); !slices.Equal(roles, []string{"Helpdesk Administrator"}) {
		t.Errorf("the invitation lists the roles %q, want Helpdesk Administrator", roles)
	}
	if d := shown(customer, "#gdap-duration"); !strings.Contains(d, "730 days") || !strings.Contains(d, "180 days") {
		t.Errorf("#gdap-duration = %q, want 730 days, extending by 180", d)
	}
	// The invited person and the customer are filled in for the attestation.
	for id, want := range map[string]string{"first_name": "Patti", "last_name": "Fernandez", "email": "patti@litware.example", "company_name": "Litware, Inc."} {
		if got := customer.value("#" + id); got != want {
			t.Errorf("the invitation fills in #%s = %q, want %q", id, got, want)
		}
	}
	customer.do(
		chromedp.Clear(chromedp.ID("company_name")),
		chromedp.SendKeys(chromedp.ID("company_name"), "Litware Incorporated"),
		chromedp.SendKeys(chromedp.ID("phone"), "+1 604 555 0142"),
		chromedp.Click(chromedp.ID("global_admin")),
		chromedp.Click(chromedp.ID("mca")),
		chromedp.Click(chromedp.ID("accepted_at_microsoft")),
	)
	if !evaluate[bool](customer, `["global_admin", "mca", "accepted_at_microsoft"].every(id => document.getElementById(id).checked)`) {
		t.Fatal("clicking the boxes did not tick #global_admin, #mca and #accepted_at_microsoft")
	}
	customer.clickAndLoad("#accept")
	if p := customer.path(); p != "/invite/answered" {
		t.Errorf("after accepting the browser is on %s, want /invite/answered; it says %q", p, customer.text("main"))
	}
	if done := shown(customer, "#invitation-done h1"); done != "Thank you: you accepted" {
		t.Errorf("#invitation-done h1 = %q, want \"Thank you: you accepted\"", done)
	}
	customer.checkConsole()

	// The request waits for verification, and the plan says so.
	staff.open(app.url + base + "/relationship")
	if st := evaluate[string](staff, `document.querySelector("#current-relationship [data-status]").dataset.status`); st != string(domain.StatusAccepted) {
		t.Errorf("after the customer's answer the request is %q, want accepted", st)
	}
	if rec := shown(staff, "#mca-attestation-record"); !strings.Contains(rec, "Patti Fernandez <patti@litware.example>") ||
		!strings.Contains(rec, "Litware Incorporated") || !strings.Contains(rec, "+1 604 555 0142") {
		t.Errorf("#mca-attestation-record = %q, want the attestation as the customer filled it", rec)
	}
	staff.open(app.url + base + "/plan")
	if next := shown(staff, "section#reseller_relationship .next-action"); !strings.Contains(next, "The customer accepted: verify in Partner Center") {
		t.Errorf("before the verification the licences' group says %q, want to verify in Partner Center", next)
	}
	if state, done := step4(); done || state != "to do" {
		t.Errorf("before the verification step 4 is %q (done=%v), want \"to do\"", state, done)
	}

	// 3. The Admin agent uploads Partner Center's customer export: UTF-8 with
	// a BOM, CRLF, Litware by its primary domain (the app has no tenant id
	// for it), exported yesterday.
	export := filepath.Join(t.TempDir(), "Customers.csv")
	csv := "\uFEFFMicrosoft ID,Company name,Primary domain name,Relationship,Tags\r\n" +
		"3e5f7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6,\"Litware, Inc.\",litware.onmicrosoft.com,Cloud Reseller,\r\n"
	if err := os.WriteFile(export, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	exportedOn := app.clock.now().AddDate(0, 0, -1).Format(domain.DateLayout)
	staff.open(app.url + "/relationships")
	staff.clickAndLoad("#verify-export-link")
	if p := staff.path(); p != "/relationships/verify" {
		t.Fatalf("the review queue's export link leads to %s, want /relationships/verify", p)
	}
	staff.do(
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{export}),
		chromedp.SetValue(chromedp.ID("exported_on"), exportedOn),
	)
	staff.clickAndLoad(`#verify-form button[type=submit]`)
	if h1 := staff.text("h1"); h1 != "Preview: the Partner Center export of "+exportedOn {
		t.Fatalf("after the upload the page's h1 is %q, want the preview of the export of %s; the page says %q", h1, exportedOn, staff.text("main"))
	}
	rows := evaluate[[]string](staff, `Array.from(document.querySelectorAll("#export-verify tbody tr"), r => r.textContent.replace(/\s+/g, " ").trim())`)
	if len(rows) != 1 || !strings.Contains(rows[0], "Litware, Inc.") || !strings.Contains(rows[0], "Awaiting verification → Active") ||
		!strings.Contains(rows[0], "Matched by primary domain") {
		t.Errorf("the preview makes active %q, want Litware's accepted request, matched by primary domain", rows)
	}
	if missing := shown(staff, "#export-missing"); strings.Contains(missing, "Litware") {
		t.Errorf("the preview warns that Litware is missing from the export: %q", missing)
	}
	if staff.exists("#export-unknown") {
		t.Errorf("the preview offers to create a customer from an export of known ones: %q", shown(staff, "#export-unknown"))
	}
	staff.clickAndLoad("#apply-export")
	if f := staff.flash(); !strings.Contains(f, "Verified from the Partner Center export of "+exportedOn+": 1 request made active") {
		t.Errorf("flash after applying = %q, want \"Verified from the Partner Center export of %s: 1 request made active…\"", f, exportedOn)
	}
	staff.open(app.url + base + "/relationship")
	if st := evaluate[string](staff, `document.querySelector("#current-relationship [data-status]").dataset.status`); st != string(domain.StatusActive) {
		t.Errorf("after the export the request is %q, want active", st)
	}
	if v := shown(staff, "#current-relationship .details .verification"); v != "Verified from the Partner Center export of "+exportedOn {
		t.Errorf("step 4 says %q of the verification, want \"Verified from the Partner Center export of %s\"", v, exportedOn)
	}

	// 4. The plan follows: the licences are managed through the reseller
	// relationship, and step 4 is done.
	staff.open(app.url + base + "/plan")
	if state, done := step4(); !done || state != "done" {
		t.Errorf("with the relationship active, step 4 is %q (done=%v), want done", state, done)
	}
	if next := shown(staff, "section#reseller_relationship .next-action"); !strings.Contains(next,
		"These are managed through the reseller relationship, verified in Partner Center: buy each replacement through us before its natural expiry, with auto-renew turned off at the current seller.") {
		t.Errorf("with the relationship active the licences' group says %q, want them managed through the reseller relationship", next)
	}
	if group := shown(staff, "#reseller_relationship"); !strings.Contains(group, "Microsoft 365 Business Standard") ||
		!strings.Contains(group, "Managed through the reseller relationship.") {
		t.Errorf("the licences' group lists %q, want Microsoft 365 Business Standard managed through the reseller relationship", group)
	}
	staff.checkConsole()
}
