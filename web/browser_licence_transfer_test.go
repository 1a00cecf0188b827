package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestBrowserLicenceTransfer follows an Admin agent in headless Chromium
// from recording, in Coho Winery's inventory (whose reseller relationship
// is active), a new-commerce licence bought from another CSP partner, to
// the licence being ours: the plan puts it in licence_transfer with its
// reason, the transfers page requests it with the other partner's tenant
// id, records the other partner's acceptance with Microsoft's transfer id
// and then the completion, and the plan follows each step.
func TestBrowserLicenceTransfer(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	const product = "Microsoft 365 E5"
	coho := app.customerID("Coho")
	browser := startBrowser(t, usageTimeout)
	tab := openTab(t, browser)
	today := time.Now().UTC()
	date := today.Format(domain.DateLayout)
	tab.signInAs(app.url, adminAgent, "Admin agent")

	// The partner records the licence in Coho's inventory, as bought from
	// Trey Research under new commerce.
	tab.open(app.url + "/customers/" + strconv.FormatInt(coho, 10) + "/subscriptions")
	const form = "#add-subscription-form "
	tab.do(
		chromedp.SendKeys(chromedp.CSS(form+"input[name=product]"), product),
		chromedp.SetValue(chromedp.CSS(form+"select[name=service_type]"), "licence"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=channel]"), "other_csp"),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=quantity]"), "20"),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=reference]"), trey),
		chromedp.SetValue(chromedp.CSS(form+"select[name=commerce]"), "nce"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=term_length]"), "annual"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=billing_frequency]"), "monthly"),
		chromedp.SetValue(chromedp.CSS(form+"select[name=auto_renew]"), "on"),
		chromedp.SetValue(chromedp.CSS(form+"input[name=term_end]"), today.AddDate(0, 8, 0).Format(domain.DateLayout)),
	)
	tab.clickAndLoad(form + "button[type=submit]")
	if f := tab.flash(); f != "Added "+product+"." {
		t.Fatalf("flash after adding = %q", f)
	}
	subs, err := app.store.AllSubscriptions(ctx, coho)
	if err != nil {
		t.Fatal(err)
	}
	var sub int64
	for _, s := range subs {
		if s.Product == product {
			sub = s.ID
			if s.Commerce != domain.CommerceNCE || s.Reference != trey {
				t.Fatalf("recorded as %+v", s)
			}
		}
	}
	if sub == 0 {
		t.Fatalf("%s is not in Coho's inventory after the form", product)
	}

	// planRow reads the plan's row of the licence: its workflow section,
	// reason and stage.
	planPath := "/customers/" + strconv.FormatInt(coho, 10) + "/plan"
	planRow := func() (workflow, reason, stage string) {
		t.Helper()
		tab.open(app.url + planPath)
		got := evaluate[[]string](tab, `(() => {
			const r = Array.from(document.querySelectorAll("section.plan-group tbody tr")).find(r => {
				const c = r.querySelector("td:first-child");
				return c && c.textContent.trim() === `+strconv.Quote(product)+`;
			});
			if (!r) return ["", "", ""];
			return [r.closest("section").dataset.workflow, r.querySelector("td:nth-child(4)").textContent.trim(), r.querySelector("td.stage").textContent.trim()];
		})()`)
		return got[0], got[1], got[2]
	}
	wf, reason, stage := planRow()
	if wf != string(domain.WorkflowLicenceTransfer) || !strings.Contains(reason, "partner transfer") || !strings.Contains(reason, "billing splits at the transfer date") {
		t.Fatalf("the plan puts %s in %q because %q; want licence_transfer with its reason", product, wf, reason)
	}
	if stage != "Ready: request the transfer from the other partner." {
		t.Errorf("before the request the stage is %q", stage)
	}

	// The request: only the new licence, as new-commerce licences, with
	// Trey Research's tenant id.
	transfersPath := "/customers/" + strconv.FormatInt(coho, 10) + "/transfers"
	tab.open(app.url + transfersPath)
	if h := tab.text("main h1"); !strings.Contains(h, "Transfers from another partner") {
		t.Errorf("the transfers page is headed %q", h)
	}
	box := `#transfer-form input[name=subscriptions][value="` + strconv.FormatInt(sub, 10) + `"]`
	if !tab.exists(box) {
		t.Fatalf("the transfer form does not offer %s; the page says %q", product, tab.text("main"))
	}
	tab.do(chromedp.Click(chromedp.CSS(box)))
	for value, want := range map[string]bool{"online_services_nce": true, "azure_subscription": false, "azure_reservation": false, "azure_savings_plan": false} {
		sel := `#transfer-form input[name=products][value="` + value + `"]`
		if evaluate[bool](tab, `document.querySelector(`+strconv.Quote(sel)+`).checked`) != want {
			tab.do(chromedp.Click(chromedp.CSS(sel)))
		}
	}
	if got := tab.value("#transfer-form input[name=other_partner_name]"); got != trey {
		t.Errorf("the other partner is prefilled with %q, want %s", got, trey)
	}
	tab.do(chromedp.SendKeys(chromedp.CSS("#transfer-form input[name=other_partner_tenant]"), treyTenant))
	tab.clickAndLoad("#transfer-form button[type=submit]")
	if p := tab.path(); p != transfersPath {
		t.Fatalf("after the request the browser is on %s; the page says %q", p, tab.text("main"))
	}
	if f := tab.flash(); !strings.Contains(f, "Transfer requested") {
		t.Errorf("flash after the request = %q", f)
	}
	row := evaluate[string](tab, `(() => {
		const r = Array.from(document.querySelectorAll("table#transfers tbody tr")).find(r =>
			Array.from(r.querySelectorAll("ul.transfer-subscriptions li")).some(li => li.textContent.trim() === `+strconv.Quote(product)+`));
		return r ? r.id : "";
	})()`)
	if row == "" {
		t.Fatalf("no transfer lists %s after the request", product)
	}
	r := "#" + row
	status := func() string {
		t.Helper()
		return evaluate[string](tab, `(() => { const b = document.querySelector(`+strconv.Quote(r+" [data-status]")+`); return b ? b.dataset.status : ""; })()`)
	}
	if st, what := status(), tab.text(r+" td:nth-child(3)"); st != "pending" || !strings.Contains(what, "New-commerce licences") {
		t.Errorf("the new transfer is %q carrying %q", st, what)
	}
	if tenant := tab.text(r + " code.other-tenant"); tenant != treyTenant {
		t.Errorf("the new transfer shows the tenant id %q", tenant)
	}
	if _, _, stage := planRow(); !strings.HasPrefix(stage, "Transfer requested; waiting for the other partner.") {
		t.Errorf("with the transfer pending the plan says %q", stage)
	}

	// The other partner accepted it today; Partner Center's id recorded
	// with the acceptance.
	const msID = "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c"
	// It is recorded on the transfer's own page, which its row links to.
	tab.open(app.url + transfersPath)
	tab.clickAndLoad(r + " a.record-answer")
	accept := `#transfer-changes form[action$="/accepted"] `
	tab.do(chromedp.SetValue(chromedp.CSS(accept+"input[name=date]"), date),
		chromedp.SendKeys(chromedp.CSS(accept+"input[name=microsoft_transfer_id]"), msID))
	tab.clickAndLoad(accept + "button.transfer-accepted")
	if f := tab.flash(); !strings.Contains(f, "the other partner accepted") {
		t.Errorf("flash after the acceptance = %q; the page says %q", f, tab.text("main"))
	}
	if st := status(); st != "in_progress" {
		t.Errorf("after the acceptance the transfer is %q", st)
	}
	if id := tab.text(r + " code.microsoft-transfer-id"); id != msID {
		t.Errorf("after the acceptance the transfer id shown is %q, want %s", id, msID)
	}
	if tab.exists(r+" button.cancel-transfer") || tab.exists(r+" a.record-answer") {
		t.Error("a transfer in progress still offers Cancel or recording the other partner's answer in its row")
	}
	if _, _, stage := planRow(); stage != "Transfer in progress. Next: record when the transfer completes." {
		t.Errorf("with the transfer in progress the plan says %q", stage)
	}

	// It completed today: the licence is ours, and the billing splits.
	tab.open(app.url + transfersPath)
	tab.clickAndLoad(r + " a.record-completion")
	if tab.exists("#transfer-changes button.cancel-transfer") || tab.exists("#transfer-changes button.transfer-rejected") {
		t.Error("the page of a transfer in progress offers Cancel or Other partner rejected")
	}
	tab.do(chromedp.SetValue(chromedp.CSS(`#transfer-changes form[action$="/complete"] input[name=date]`), date))
	tab.clickAndLoad("#transfer-changes button.transfer-complete")
	if st := status(); st != "complete" {
		t.Errorf("after the completion the transfer is %q; the page says %q", st, tab.text("main"))
	}
	wantSplit := "Billing: " + trey + " bills up to and including " + date + "; we bill from " + today.AddDate(0, 0, 1).Format(domain.DateLayout) + "."
	if split := tab.text(r + " .billing-split"); split != wantSplit {
		t.Errorf("the billing split says %q, want %q", split, wantSplit)
	}
	if tab.exists(r + " form") {
		t.Error("a complete transfer still offers actions")
	}
	if wf, _, stage := planRow(); wf != string(domain.WorkflowLicenceTransfer) || stage != "Transferred." {
		t.Errorf("after the completion the plan puts %s in %q at %q, want licence_transfer at \"Transferred.\"", product, wf, stage)
	}
	tab.checkConsole()
}
