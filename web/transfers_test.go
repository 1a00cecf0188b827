package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// transferSubscription finds a demo customer's subscription whose workflow
// is a transfer from another partner.
func (a *testApp) transferSubscription(customerID int64) int64 {
	a.t.Helper()
	ctx := context.Background()
	cu, _ := a.store.Customer(ctx, customerID)
	subs, _ := a.store.AllSubscriptions(ctx, customerID)
	for _, s := range subs {
		if domain.Classify(s.Key(), cu.IsCSPPartner, domain.Rules{}).Workflow == domain.WorkflowAzureTransfer {
			return s.ID
		}
	}
	a.t.Fatalf("customer %d has no subscription to transfer", customerID)
	return 0
}

// readyForTransfer verifies Fabrikam's accepted relationship as the demo
// Admin agent, so that it has both an active relationship and an Azure plan
// from another CSP partner, and returns its id and that subscription's.
func (a *testApp) readyForTransfer() (int64, int64) {
	a.t.Helper()
	ctx := context.Background()
	fabrikam := a.customerID("Fabrikam")
	sam, err := a.store.UserByEmail(ctx, adminAgent)
	if err != nil {
		a.t.Fatal(err)
	}
	rel, err := a.store.OpenRelationship(ctx, fabrikam)
	if err != nil {
		a.t.Fatal(err)
	}
	if err := a.relationships.Verify(ctx, domain.Actor{UserID: sam.ID}, rel.ID, true); err != nil {
		a.t.Fatal(err)
	}
	return fabrikam, a.transferSubscription(fabrikam)
}

// transferForm is a valid transfer request for subscription sub.
func transferForm(sub int64) url.Values {
	return url.Values{"subscriptions": {fmt.Sprint(sub)}, "other_partner_name": {"Litware Cloud Services"},
		"other_partner_tenant": {"72f988bf-86f1-41af-91ab-2d7cd011db47"}, "contact_email": {"alex.wilber@fabrikam.example"},
		"products": {"azure_subscription", "azure_savings_plan"}, "line_items": {"Azure plan 0001"}}
}

// requestTransfer creates a transfer through the form and returns its id.
func (a *testApp) requestTransfer(c *http.Client, customerID, sub int64) int64 {
	a.t.Helper()
	res := a.post(c, fmt.Sprintf("/customers/%d/transfers", customerID), transferForm(sub))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != fmt.Sprintf("/customers/%d/transfers", customerID) {
		a.t.Fatalf("request a transfer: %d %s", res.status, res.body)
	}
	list, _, err := a.store.TransfersOfCustomer(context.Background(), customerID, domain.Page{Number: 1, Size: 1})
	if err != nil || len(list) == 0 {
		a.t.Fatalf("no transfer after creating one: %v", err)
	}
	return list[0].ID
}

// transferCount is how many transfers a customer has.
func (a *testApp) transferCount(customerID int64) int {
	a.t.Helper()
	_, total, err := a.store.TransfersOfCustomer(context.Background(), customerID, domain.Page{Number: 1, Size: 1})
	if err != nil {
		a.t.Fatal(err)
	}
	return total
}

// transferStatus is a transfer's stored state.
func (a *testApp) transferStatus(id int64) domain.TransferStatus {
	a.t.Helper()
	tr, err := a.transfers.Transfer(context.Background(), id)
	if err != nil {
		a.t.Fatal(err)
	}
	return tr.Status
}

func TestTransferPrerequisites(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)

	// Fabrikam's relationship is accepted but not verified: no form, the
	// reason and a link to step 4, and a POST is refused with the reason.
	fabrikam := app.customerID("Fabrikam")
	sub := app.transferSubscription(fabrikam)
	before := app.transferCount(fabrikam)
	path := fmt.Sprintf("/customers/%d/transfers", fabrikam)
	page := app.get(agent, path)
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="transfer-blocked"`) || !strings.Contains(page.body, "must verify it in Partner Center first") ||
		!strings.Contains(page.body, fmt.Sprintf(`href="/customers/%d/relationship"`, fabrikam)) || strings.Contains(page.body, `id="transfer-form"`) {
		t.Fatalf("blocked page: %d", page.status)
	}
	res := app.post(agent, path, transferForm(sub))
	if res.status != http.StatusConflict || !strings.Contains(res.body, "active reseller relationship") {
		t.Fatalf("a transfer without an active relationship: %d", res.status)
	}
	if app.transferCount(fabrikam) != before {
		t.Error("the refused transfer was stored")
	}

	// Contoso's relationship is active, but none of its Azure is from
	// another partner: it says so, and a subscription of another workflow is
	// refused.
	contoso := app.customerID("Contoso")
	contosoPath := fmt.Sprintf("/customers/%d/transfers", contoso)
	page = app.get(agent, contosoPath)
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="no-transfer-candidates"`) || strings.Contains(page.body, `id="transfer-form"`) ||
		strings.Contains(page.body, `id="transfer-blocked"`) {
		t.Fatalf("Contoso's page: %d", page.status)
	}
	subs, _ := app.store.AllSubscriptions(context.Background(), contoso)
	contosoAzure := subs[1].ID // its Azure plan bought through the EA
	res = app.post(agent, contosoPath, transferForm(contosoAzure))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="no-transfer-candidates"`) {
		t.Errorf("a subscription that is not from another CSP partner: %d", res.status)
	}
	if app.transferCount(contoso) != 0 {
		t.Error("a refused transfer was stored for Contoso")
	}

	// Once Fabrikam's relationship is active, the form is offered, and
	// another customer's subscription is refused next to its field.
	app.readyForTransfer()
	if page := app.get(agent, path); !strings.Contains(page.body, `id="transfer-form"`) || strings.Contains(page.body, `id="transfer-blocked"`) {
		t.Fatal("the form is not offered once the relationship is active")
	}
	res = app.post(agent, path, transferForm(contosoAzure))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="subscriptions-error"`) {
		t.Errorf("another customer's subscription: %d", res.status)
	}
	if app.transferCount(fabrikam) != before {
		t.Error("a transfer of another customer's subscription was stored")
	}
}

func TestTransferFormValidationKeepsWhatWasTyped(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	fabrikam, sub := app.readyForTransfer()
	path := fmt.Sprintf("/customers/%d/transfers", fabrikam)

	// The form starts from what is known.
	page := app.get(agent, path)
	if !strings.Contains(page.body, `id="transfer-form"`) || !strings.Contains(page.body, `value="Litware Cloud Services"`) ||
		!strings.Contains(page.body, `value="alex.wilber@fabrikam.example"`) || !strings.Contains(page.body, `value="azure_subscription" checked`) {
		t.Fatalf("the form is not prefilled")
	}

	bad := url.Values{"subscriptions": {fmt.Sprint(sub)}, "other_partner_name": {"Litware Typed Name"}, "other_partner_tenant": {"not-a-guid"},
		"contact_email": {"nobody"}, "line_items": {"Line typed by hand"}}
	res := app.post(agent, path, bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid transfer: %d", res.status)
	}
	for _, want := range []string{"products-error", "other_partner_tenant-error", "contact_email-error", `value="Litware Typed Name"`,
		`value="not-a-guid"`, `value="nobody"`, "Line typed by hand", fmt.Sprintf(`value="%d" checked`, sub)} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the re-rendered form lacks %s", want)
		}
	}
	if strings.Contains(res.body, `value="azure_subscription" checked`) {
		t.Error("the form ticks a product the user did not choose")
	}
	// No subscription chosen.
	none := transferForm(sub)
	none.Del("subscriptions")
	if res := app.post(agent, path, none); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "subscriptions-error") {
		t.Errorf("no subscription: %d", res.status)
	}
	// The source partner's tenant id is required for Azure too.
	noTenant := transferForm(sub)
	noTenant.Del("other_partner_tenant")
	if res := app.post(agent, path, noTenant); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "other_partner_tenant-error") ||
		!strings.Contains(res.body, `value="Litware Cloud Services"`) {
		t.Errorf("an Azure transfer without the tenant id: %d", res.status)
	}
	if app.transferCount(fabrikam) != 0 {
		t.Error("an invalid transfer was stored")
	}
}

func TestTransferIndirectProviderNeedsTheResellersPartnerID(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	fabrikam, sub := app.readyForTransfer()
	ctx := context.Background()
	p, _ := app.store.Partner(ctx)
	p.CSPModel = domain.CSPIndirectProvider
	if err := app.store.SetPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/customers/%d/transfers", fabrikam)
	if page := app.get(agent, path); !strings.Contains(page.body, "required: we are an indirect provider") {
		t.Error("the form does not say the reseller's PartnerID is required")
	}
	res := app.post(agent, path, transferForm(sub))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "reseller_partner_id-error") {
		t.Fatalf("an indirect provider's transfer without the reseller: %d", res.status)
	}
	form := transferForm(sub)
	form.Set("reseller_partner_id", "7654321")
	if res := app.post(agent, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("with the reseller's PartnerID: %d %s", res.status, res.body)
	}
	list, _, _ := app.store.TransfersOfCustomer(ctx, fabrikam, domain.Page{Number: 1, Size: 1})
	if len(list) != 1 || list[0].ResellerPartnerID != "7654321" {
		t.Fatalf("stored transfer: %+v", list)
	}
	if page := app.get(agent, path); !strings.Contains(page.body, "Indirect reseller PartnerID 7654321") {
		t.Error("the list does not show the reseller's PartnerID")
	}
}

func TestTransferSalesAgentIsReadOnly(t *testing.T) {
	app := newTestApp(t)
	agent, sales := app.signIn(adminAgent), app.signIn(salesAgent)
	fabrikam, sub := app.readyForTransfer()
	id := app.requestTransfer(agent, fabrikam, sub)
	path := fmt.Sprintf("/customers/%d/transfers", fabrikam)

	page := app.get(sales, path)
	if page.status != http.StatusOK || !strings.Contains(page.body, fmt.Sprintf(`id="transfer-%d"`, id)) || !strings.Contains(page.body, "Litware Cloud Services") {
		t.Fatalf("the Sales agent cannot see the transfer: %d", page.status)
	}
	for _, offered := range []string{`id="transfer-form"`, "transfer-accepted", "transfer-complete", "cancel-transfer", "/transfers/"} {
		if strings.Contains(page.body, offered) {
			t.Errorf("the Sales agent is offered %s", offered)
		}
	}
	// The transfer's own page shows it and offers the Sales agent nothing.
	detail := app.get(sales, fmt.Sprintf("/transfers/%d", id))
	if detail.status != http.StatusOK || !strings.Contains(detail.body, fmt.Sprintf(`id="transfer-%d"`, id)) || !strings.Contains(detail.body, `id="no-transfer-changes"`) {
		t.Errorf("the transfer's page for the Sales agent: %d", detail.status)
	}
	for _, offered := range []string{"transfer-accepted", "transfer-rejected", "cancel-transfer", "<form method=\"post\" action=\"/transfers/"} {
		if strings.Contains(detail.body, offered) {
			t.Errorf("the transfer's page offers the Sales agent %s", offered)
		}
	}
	today := url.Values{"date": {time.Now().UTC().Format(domain.DateLayout)}}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{path, transferForm(sub)},
		{fmt.Sprintf("/transfers/%d/accepted", id), today},
		{fmt.Sprintf("/transfers/%d/complete", id), today},
		{fmt.Sprintf("/transfers/%d/cancel", id), url.Values{}},
	} {
		if res := app.post(sales, tc.path, tc.form); res.status != http.StatusForbidden || !strings.Contains(res.body, "needs the role") {
			t.Errorf("Sales agent POST %s: %d", tc.path, res.status)
		}
	}
	if st := app.transferStatus(id); st != domain.TransferPending || app.transferCount(fabrikam) != 1 {
		t.Errorf("the Sales agent changed something: %s, %d transfers", st, app.transferCount(fabrikam))
	}
}

func TestTransferFromPendingToCompleteThroughHTTP(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	admin := app.signIn(globalAdmin)
	fabrikam, sub := app.readyForTransfer()
	path := fmt.Sprintf("/customers/%d/transfers", fabrikam)
	id := app.requestTransfer(agent, fabrikam, sub)
	now := time.Now().UTC()
	today := now.Format(domain.DateLayout)

	page := app.get(admin, path)
	row := fmt.Sprintf(`id="transfer-%d"`, id)
	detailPath := fmt.Sprintf("/transfers/%d", id)
	// The list links to the transfer's own page for the changes that need
	// input, which offers them with today's date.
	for _, want := range []string{row, `data-status="pending"`, "Azure subscription, Azure savings plan", "<li>Azure plan</li>", "Azure plan 0001",
		"Sam Patel", "29 days left", `href="` + detailPath + `"`, "record-answer", "cancel-transfer"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the pending transfer lacks %s", want)
		}
	}
	detail := app.get(admin, detailPath)
	for _, want := range []string{row, `data-status="pending"`, "Azure plan 0001", "transfer-accepted", "transfer-rejected", "cancel-transfer",
		fmt.Sprintf(`value="%s"`, today), `href="` + path + `"`} {
		if detail.status != http.StatusOK || !strings.Contains(detail.body, want) {
			t.Errorf("the pending transfer's page (%d) lacks %s", detail.status, want)
		}
	}
	if strings.Contains(page.body, "transfer-complete") || strings.Contains(detail.body, "transfer-complete") {
		t.Error("a pending transfer offers Complete")
	}
	// The same subscription cannot be in a second open transfer.
	if res := app.post(agent, path, transferForm(sub)); res.status != http.StatusConflict || !strings.Contains(res.body, "already in transfer request") {
		t.Errorf("a second transfer of the same subscription: %d", res.status)
	}

	accepted := fmt.Sprintf("/transfers/%d/accepted", id)
	// Dates in the future or before the request are refused, and kept.
	// (Two days ahead: tomorrow in UTC may be today east of UTC.)
	tomorrow := now.Add(48 * time.Hour).Format(domain.DateLayout)
	res := app.post(agent, accepted, url.Values{"date": {tomorrow}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "cannot be in the future") || !strings.Contains(res.body, fmt.Sprintf(`value="%s"`, tomorrow)) {
		t.Errorf("accepted tomorrow: %d", res.status)
	}
	yesterday := now.Add(-24 * time.Hour).Format(domain.DateLayout)
	if res := app.post(agent, accepted, url.Values{"date": {yesterday}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "cannot be before") {
		t.Errorf("accepted before the request: %d", res.status)
	}
	if res := app.post(agent, accepted, url.Values{"date": {"soon"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "YYYY-MM-DD") {
		t.Errorf("accepted on no date: %d", res.status)
	}
	if st := app.transferStatus(id); st != domain.TransferPending {
		t.Fatalf("a refused date changed the state to %s", st)
	}

	// pending → in progress
	res = app.post(agent, accepted, url.Values{"date": {today}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != path {
		t.Fatalf("accepted: %d %s", res.status, res.body)
	}
	page = app.get(agent, path)
	if !strings.Contains(page.body, `data-status="in_progress"`) || !strings.Contains(page.body, "Accepted "+today) || !strings.Contains(page.body, "record-completion") ||
		strings.Contains(page.body, "cancel-transfer") || !strings.Contains(page.body, "the transfer is in progress") {
		t.Error("the page does not show the transfer in progress")
	}
	if detail := app.get(agent, detailPath); !strings.Contains(detail.body, "transfer-complete") || strings.Contains(detail.body, "cancel-transfer") ||
		strings.Contains(detail.body, "transfer-accepted") {
		t.Error("the page of the transfer in progress does not offer Complete alone")
	}
	// Accepting twice, or cancelling once in progress, is a conflict.
	if res := app.post(agent, accepted, url.Values{"date": {today}}); res.status != http.StatusConflict {
		t.Errorf("accepted twice: %d", res.status)
	}
	res = app.post(admin, fmt.Sprintf("/transfers/%d/cancel", id), confirmed())
	if res.status != http.StatusConflict || !strings.Contains(res.body, "can only be cancelled while pending") {
		t.Errorf("cancel in progress: %d", res.status)
	}

	// in progress → complete
	if res := app.post(admin, fmt.Sprintf("/transfers/%d/complete", id), url.Values{"date": {today}}); res.status != http.StatusSeeOther {
		t.Fatalf("complete: %d %s", res.status, res.body)
	}
	page = app.get(agent, path)
	detail = app.get(agent, detailPath)
	if !strings.Contains(page.body, `data-status="complete"`) || !strings.Contains(page.body, "Completed "+today) ||
		strings.Contains(page.body, "record-completion") || strings.Contains(detail.body, "transfer-complete") || strings.Contains(detail.body, "transfer-accepted") ||
		!strings.Contains(detail.body, `id="no-transfer-changes"`) {
		t.Error("the page does not show the transfer complete without actions")
	}
	if res := app.post(admin, fmt.Sprintf("/transfers/%d/complete", id), url.Values{"date": {today}}); res.status != http.StatusConflict {
		t.Errorf("completing twice: %d", res.status)
	}
	// Each change is audited once, newest first, against the customer.
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 100})
	var actions []string
	for _, e := range entries {
		if e.Target == fmt.Sprintf("transfer:%d", id) && e.CustomerID == fabrikam {
			actions = append(actions, string(e.Action))
		}
	}
	if want := []string{"transfer_completed", "transfer_accepted", "transfer_created"}; !slices.Equal(actions, want) {
		t.Errorf("audit entries %v; want %v", actions, want)
	}
}

func TestTransferCancelWhilePending(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	fabrikam, sub := app.readyForTransfer()
	id := app.requestTransfer(agent, fabrikam, sub)
	cancel := fmt.Sprintf("/transfers/%d/cancel", id)
	if res := app.post(agent, cancel, confirmed()); res.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", res.status, res.body)
	}
	page := app.get(agent, fmt.Sprintf("/customers/%d/transfers", fabrikam))
	if !strings.Contains(page.body, `data-status="cancelled"`) || !strings.Contains(page.body, "Cancelled by Sam Patel") || strings.Contains(page.body, "cancel-transfer") {
		t.Error("the page does not show the cancelled transfer")
	}
	if res := app.post(agent, cancel, confirmed()); res.status != http.StatusConflict {
		t.Errorf("cancel twice: %d", res.status)
	}
	// Refused by its state, it comes back as the transfer's page, saying why
	// above what the page offers now.
	if res := app.post(agent, fmt.Sprintf("/transfers/%d/accepted", id), url.Values{"date": {time.Now().UTC().Format(domain.DateLayout)}}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "<h1>Transfer from ") || !strings.Contains(section(res.body, "transfer-changes"), `id="transfer-refused-error-summary" role="alert"`) {
		t.Errorf("accept a cancelled transfer: %d %s", res.status, section(res.body, "transfer-changes"))
	}
	// The subscription is free for a new request.
	if again := app.requestTransfer(agent, fabrikam, sub); again == id {
		t.Error("no new transfer")
	}
	if res := app.post(agent, "/transfers/999999/cancel", url.Values{}); res.status != http.StatusNotFound {
		t.Errorf("cancel an unknown transfer: %d", res.status)
	}
}

func TestTransferExpiresAfter30DaysOnThePage(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	fabrikam, sub := app.readyForTransfer()
	start := time.Now().UTC()
	before, _, err := app.store.TransferCounts(context.Background(), start, domain.ExpiringSoon)
	if err != nil {
		t.Fatal(err)
	}
	id := app.requestTransfer(agent, fabrikam, sub)
	path := fmt.Sprintf("/customers/%d/transfers", fabrikam)
	if pending, _, err := app.store.TransferCounts(context.Background(), start, domain.ExpiringSoon); err != nil || pending != before+1 {
		t.Errorf("Counts after the request = %d, %v; want %d", pending, err, before+1)
	}
	if page := app.get(agent, path); strings.Contains(page.body, "expires-soon") {
		t.Error("a fresh transfer is highlighted as expiring")
	}

	// Under 7 days left: highlighted.
	// The one clock moves for the sessions too: sign in again on the new day.
	app.clock.set(start.Add(25 * 24 * time.Hour))
	agent = app.signIn(adminAgent)
	if page := app.get(agent, path); !strings.Contains(page.body, "days-left expires-soon") || !strings.Contains(page.body, "5 days left") {
		t.Error("a transfer expiring within a week is not highlighted")
	}

	// Past 30 days: expired, no actions, and changes refused with the reason.
	later := start.Add(31 * 24 * time.Hour)
	app.clock.set(later)
	agent = app.signIn(adminAgent)
	page := app.get(agent, path)
	if !strings.Contains(page.body, `data-status="expired"`) || !strings.Contains(page.body, ">Expired<") ||
		strings.Contains(page.body, "transfer-accepted") || strings.Contains(page.body, "cancel-transfer") {
		t.Error("the page does not show the transfer expired")
	}
	res := app.post(agent, fmt.Sprintf("/transfers/%d/accepted", id), url.Values{"date": {later.Format(domain.DateLayout)}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, "expired") {
		t.Errorf("accept an expired transfer: %d", res.status)
	}
	if res := app.post(agent, fmt.Sprintf("/transfers/%d/cancel", id), confirmed()); res.status != http.StatusConflict || !strings.Contains(res.body, "expired") {
		t.Errorf("cancel an expired transfer: %d", res.status)
	}
	if st := app.transferStatus(id); st != domain.TransferPending {
		t.Errorf("the refused changes wrote %s", st)
	}
	if pending, _, _ := app.store.TransferCounts(context.Background(), later, domain.ExpiringSoon); pending > before {
		t.Errorf("Counts after expiry = %d pending; the expired transfer still counts", pending)
	}
}

// TestATransferredSubscriptionIsNotOfferedAgain uses Coho Winery's demo
// Azure plan, which a completed transfer brought to us.
func TestATransferredSubscriptionIsNotOfferedAgain(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	coho := app.customerID("Coho")
	subs, _ := app.store.AllSubscriptions(context.Background(), coho)
	var transferred, analytics int64
	for _, s := range subs {
		switch s.Product {
		case "Azure plan":
			transferred = s.ID
		case "Azure plan (analytics)":
			analytics = s.ID
		}
	}
	page := app.get(agent, fmt.Sprintf("/customers/%d/transfers", coho))
	offered := func(id int64) bool {
		return strings.Contains(page.body, fmt.Sprintf(`name="subscriptions" value="%d"`, id))
	}
	if offered(transferred) || !offered(analytics) {
		t.Errorf("offered: transferred plan %v (want false), analytics plan %v (want true)", offered(transferred), offered(analytics))
	}
	form := transferForm(transferred)
	form.Set("contact_email", "lynne@cohowinery.example")
	form.Set("other_partner_name", "Trey Research CSP")
	// Refused, it comes back as the transfers page: the reason where the
	// form is, and the form with what was typed.
	res := app.post(agent, fmt.Sprintf("/customers/%d/transfers", coho), form)
	refusal := section(res.body, "transfer-refused")
	if res.status != http.StatusConflict || !strings.Contains(refusal, "Azure plan was already transferred to us by transfer request") ||
		!strings.Contains(refusal, `role="alert"`) || !strings.Contains(res.body, "<h1>Transfers from another partner</h1>") ||
		!strings.Contains(res.body, `value="lynne@cohowinery.example"`) {
		t.Errorf("requesting the transferred plan again: %d %s", res.status, refusal)
	}
	plan := app.get(agent, fmt.Sprintf("/customers/%d/plan", coho))
	if !strings.Contains(plan.body, "Transferred.") {
		t.Error("the plan does not show the transferred plan")
	}
}

// TestPlanGroupsLinkToWhereTheirWorkIsDone: Coho Winery's plan links its
// licence and Azure transfers to the transfers page, and Contoso's new CSP
// subscriptions to the Azure checklists, each once per group.
func TestPlanGroupsLinkToWhereTheirWorkIsDone(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	coho, contoso := app.customerID("Coho"), app.customerID("Contoso")
	body := app.get(c, views.CustomerPath(coho, "plan")).body
	if link := `href="` + views.CustomerPath(coho, "transfers") + `" class="workflow-link">Open the transfers from another partner</a>`; strings.Count(body, link) != 2 {
		t.Errorf("Coho's plan links %d times to its transfers, want its licence and Azure groups", strings.Count(body, link))
	}
	if link := `href="` + views.CustomerPath(contoso, "azure") + `" class="workflow-link">Open the Azure checklists</a>`; !strings.Contains(app.get(c, views.CustomerPath(contoso, "plan")).body, link) {
		t.Error("Contoso's plan does not link its new CSP subscriptions to the Azure checklists")
	}
}
