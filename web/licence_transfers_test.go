package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// trey is the partner Coho Winery buys from, with its demo tenant id.
const (
	trey       = "Trey Research CSP"
	treyTenant = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
)

// cohoProducts gives Coho Winery's subscription ids by product.
func (a *testApp) cohoProducts() (int64, map[string]int64) {
	a.t.Helper()
	coho := a.customerID("Coho")
	subs, err := a.store.AllSubscriptions(context.Background(), coho)
	if err != nil {
		a.t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, s := range subs {
		ids[s.Product] = s.ID
	}
	return coho, ids
}

// licenceForm is a valid request of Coho's licences subs from Trey.
func licenceForm(subs ...int64) url.Values {
	form := url.Values{"other_partner_name": {trey}, "other_partner_tenant": {treyTenant}, "contact_email": {"lynne@cohowinery.example"},
		"products": {string(domain.ProductNCELicences)}}
	for _, s := range subs {
		form.Add("subscriptions", fmt.Sprint(s))
	}
	return form
}

// offers reports whether a transfers page offers subscription id.
func offers(body string, id int64) bool {
	return strings.Contains(body, fmt.Sprintf(`name="subscriptions" value="%d"`, id))
}

func TestLicenceTransferRequestThroughHTTP(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	coho, ids := app.cohoProducts()
	path := fmt.Sprintf("/customers/%d/transfers", coho)

	// The page reads for both kinds, and offers the licences no open or
	// complete transfer holds: the rejected, expired and cancelled ones'.
	page := app.get(agent, path)
	for _, want := range []string{"Transfers from another partner", "new-commerce licences", "at most 25 subscriptions",
		"bills up to and including the transfer date"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the transfers page lacks %q", want)
		}
	}
	for product, want := range map[string]bool{"Microsoft 365 E3": true, "Visio Plan 2": true, "Project Plan 3": true,
		"Microsoft 365 Copilot": false, "Microsoft Teams Premium": false, "Power BI Pro": false, "Microsoft 365 Business Premium": false} {
		if got := offers(page.body, ids[product]); got != want {
			t.Errorf("%s offered: %v, want %v", product, got, want)
		}
	}
	// The complete licence transfer shows the billing split.
	if !regexp.MustCompile(`Billing: Trey Research CSP bills up to and including \d{4}-\d\d-\d\d; we bill from \d{4}-\d\d-\d\d\.`).MatchString(page.body) {
		t.Error("the complete licence transfer does not show the billing split")
	}

	// A licence in a pending transfer is refused by the store, by name.
	if res := app.post(agent, path, licenceForm(ids["Microsoft 365 Copilot"])); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "Microsoft 365 Copilot is already in transfer request") {
		t.Errorf("a licence in a pending transfer: %d", res.status)
	}

	// Without the tenant id, with a partner the licence was not bought
	// from, or without New-commerce licences ticked: 422, input kept.
	const msID = "43fb1d3a-79fe-45a9-863e-9a4acf17b630"
	noTenant := licenceForm(ids["Microsoft 365 E3"])
	noTenant.Set("other_partner_tenant", "")
	noTenant.Set("microsoft_transfer_id", msID)
	noTenant.Set("line_items", "E3, 30 seats")
	res := app.post(agent, path, noTenant)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("no tenant id: %d", res.status)
	}
	for _, want := range []string{"other_partner_tenant-error", "Microsoft ID (its tenant id)", `value="` + msID + `"`, "E3, 30 seats",
		fmt.Sprintf(`value="%d" checked`, ids["Microsoft 365 E3"]), `value="online_services_nce" checked`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the form without a tenant id lacks %s", want)
		}
	}
	other := licenceForm(ids["Microsoft 365 E3"], ids["Visio Plan 2"])
	other.Set("other_partner_name", "Fourth Coffee Cloud")
	if res := app.post(agent, path, other); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "other_partner_name-error") ||
		!strings.Contains(res.body, html.EscapeString("Microsoft 365 E3 was bought from Trey Research CSP, not Fourth Coffee Cloud")) ||
		!strings.Contains(res.body, `value="Fourth Coffee Cloud"`) {
		t.Errorf("licences from another partner than named: %d", res.status)
	}
	azureOnly := licenceForm(ids["Visio Plan 2"])
	azureOnly["products"] = []string{string(domain.ProductAzureSubscription)}
	if res := app.post(agent, path, azureOnly); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "tick New-commerce licences") {
		t.Errorf("a licence without New-commerce licences: %d", res.status)
	}
	before := app.transferCount(coho)

	// The request, with Microsoft's transfer id.
	ok := licenceForm(ids["Microsoft 365 E3"], ids["Visio Plan 2"])
	ok.Set("other_partner_name", " trey research csp ") // the same partner, as typed
	ok.Set("microsoft_transfer_id", strings.ToUpper(msID))
	if res := app.post(agent, path, ok); res.status != http.StatusSeeOther {
		t.Fatalf("the licence transfer: %d %s", res.status, res.body)
	}
	if app.transferCount(coho) != before+1 {
		t.Fatal("no transfer stored")
	}
	list, _, _ := app.store.TransfersOfCustomer(context.Background(), coho, domain.Page{Number: 1, Size: 1})
	tr := list[0]
	if tr.Status != domain.TransferPending || tr.MicrosoftTransferID != msID || tr.OtherPartnerTenant != treyTenant || !tr.Licences() {
		t.Errorf("the stored licence transfer: %+v", tr)
	}
	page = app.get(agent, path)
	if offers(page.body, ids["Microsoft 365 E3"]) || offers(page.body, ids["Visio Plan 2"]) || !offers(page.body, ids["Project Plan 3"]) {
		t.Error("the licences just requested are still offered, or Project Plan 3 is not")
	}

	// The other partner rejects it: the reason is required, and kept.
	rejected := fmt.Sprintf("/transfers/%d/rejected", tr.ID)
	res = app.post(agent, rejected, url.Values{"reason": {"   "}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, fmt.Sprintf(`id="transfer-%d-reason-error"`, tr.ID)) {
		t.Errorf("a rejection without a reason: %d", res.status)
	}
	if app.transferStatus(tr.ID) != domain.TransferPending {
		t.Fatal("a rejection without a reason changed the state")
	}
	const reason = "Trey will not transfer while the customer's invoice is open."
	if res := app.post(agent, rejected, url.Values{"reason": {reason}}); res.status != http.StatusSeeOther {
		t.Fatalf("the rejection: %d %s", res.status, res.body)
	}
	page = app.get(agent, path)
	if !strings.Contains(page.body, `data-status="rejected"`) || !strings.Contains(page.body, "Rejected by the other partner: "+html.EscapeString(reason)) ||
		!offers(page.body, ids["Microsoft 365 E3"]) {
		t.Error("the page does not show the rejection with its reason, or does not offer the licences again")
	}
	if res := app.post(agent, rejected, url.Values{"reason": {reason}}); res.status != http.StatusConflict {
		t.Errorf("rejecting twice: %d", res.status)
	}
	plan := app.get(agent, fmt.Sprintf("/customers/%d/plan", coho))
	if !strings.Contains(plan.body, "The other partner rejected the transfer: "+html.EscapeString(strings.TrimSuffix(reason, "."))) {
		t.Error("the plan does not say the licence transfer was rejected and why")
	}
	var audited bool
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 50})
	for _, e := range entries {
		audited = audited || (e.Action == domain.AuditTransferRejected && e.Target == fmt.Sprintf("transfer:%d", tr.ID) && e.Detail == reason)
	}
	if !audited {
		t.Error("the rejection is not audited with its reason")
	}
}

// The line-item limit, through the form: 25 licences in one request, not 26.
func TestLicenceTransferAtMost25Subscriptions(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	coho, _ := app.cohoProducts()
	sam, _ := app.store.UserByEmail(context.Background(), adminAgent)
	var subs []int64
	for i := range domain.TransferLineItemLimit + 1 {
		id, err := app.store.AddSubscription(context.Background(), domain.Actor{UserID: sam.ID}, domain.Subscription{CustomerID: coho,
			Product: fmt.Sprintf("Dynamics 365 Sales, team %d", i+1), ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP,
			Commerce: domain.CommerceNCE, Quantity: 5, Reference: trey})
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, id)
	}
	path := fmt.Sprintf("/customers/%d/transfers", coho)
	res := app.post(agent, path, licenceForm(subs...))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose at most 25 subscriptions") {
		t.Fatalf("26 licences: %d", res.status)
	}
	if res := app.post(agent, path, licenceForm(subs[:domain.TransferLineItemLimit]...)); res.status != http.StatusSeeOther {
		t.Fatalf("25 licences: %d %s", res.status, res.body)
	}
}

// Microsoft's transfer id can be recorded later, while the transfer is
// open: on Coho's demo licence transfer in progress.
func TestMicrosoftTransferIDRecordedWhileOpen(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	coho, ids := app.cohoProducts()
	path := fmt.Sprintf("/customers/%d/transfers", coho)
	states, err := app.store.TransferStates(context.Background(), coho, time.Now())
	if err != nil || states[ids["Power BI Pro"]].Status != domain.TransferInProgress {
		t.Fatalf("Power BI Pro's transfer: %+v, %v", states[ids["Power BI Pro"]], err)
	}
	list, _, _ := app.store.TransfersOfCustomer(context.Background(), coho, domain.Page{Number: 1, Size: 50})
	var inProgress, complete int64
	for _, tr := range list {
		switch {
		case tr.Status == domain.TransferInProgress && tr.Licences():
			inProgress = tr.ID
		case tr.Status == domain.TransferComplete && tr.Licences():
			complete = tr.ID
		}
	}
	record := func(id int64) string { return fmt.Sprintf("/transfers/%d/microsoft-id", id) }
	res := app.post(agent, record(inProgress), url.Values{"microsoft_transfer_id": {"PC-12345"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="PC-12345"`) ||
		!strings.Contains(res.body, fmt.Sprintf(`id="transfer-%d-microsoft-id-id-error"`, inProgress)) {
		t.Errorf("an id that is no GUID: %d", res.status)
	}
	const id = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
	if res := app.post(agent, record(inProgress), url.Values{"microsoft_transfer_id": {id}}); res.status != http.StatusSeeOther {
		t.Fatalf("recording the id: %d %s", res.status, res.body)
	}
	if tr, _ := app.store.Transfer(context.Background(), inProgress); tr.MicrosoftTransferID != id || tr.Status != domain.TransferInProgress {
		t.Errorf("after recording the id: %+v", tr)
	}
	if page := app.get(agent, path); !strings.Contains(page.body, `<code class="microsoft-transfer-id">`+id+`</code>`) {
		t.Error("the page does not show the recorded id")
	}
	if res := app.post(agent, record(complete), url.Values{"microsoft_transfer_id": {id}}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "only while the transfer is pending or in progress") {
		t.Errorf("recording the id of a complete transfer: %d", res.status)
	}
}

// An indirect reseller's provider submits the transfer: the page says so
// and the request records who there submitted it.
func TestTransferIndirectResellerRecordsWhoSubmittedIt(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	ctx := context.Background()
	p, _ := app.store.Partner(ctx)
	p.CSPModel, p.ProviderName = domain.CSPIndirectReseller, "Contoso Distribution"
	if err := app.store.SetPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	coho, ids := app.cohoProducts()
	path := fmt.Sprintf("/customers/%d/transfers", coho)
	if page := app.get(agent, path); !strings.Contains(page.body, "our indirect provider") || !strings.Contains(page.body, "Contoso Distribution") ||
		!strings.Contains(page.body, "required: we are an indirect reseller") {
		t.Error("the page does not say the indirect provider submits the transfer")
	}
	form := licenceForm(ids["Project Plan 3"])
	if res := app.post(agent, path, form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "submitted_by-error") {
		t.Fatalf("without who submitted it: %d", res.status)
	}
	form.Set("submitted_by", "Ravi Kumar, Contoso Distribution")
	if res := app.post(agent, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("with who submitted it: %d %s", res.status, res.body)
	}
	if page := app.get(agent, path); !strings.Contains(page.body, "Submitted at the indirect provider by Ravi Kumar, Contoso Distribution") {
		t.Error("the list does not show who submitted it")
	}
}
