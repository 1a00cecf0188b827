package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

// billingOf is the customer's billing transfers, newest first.
func (a *testApp) billingOf(customerID int64) []domain.BillingTransfer {
	a.t.Helper()
	list, err := a.store.BillingTransfersOfCustomer(context.Background(), customerID)
	if err != nil {
		a.t.Fatal(err)
	}
	return list
}

// planStage is where the customer's plan says product stands.
func (a *testApp) planStage(customerID int64, product string) (domain.Workflow, string) {
	a.t.Helper()
	plan, err := a.customers.Plan(context.Background(), customerID)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, item := range plan.Items() {
		if item.Subscription.Product == product {
			return item.Classification.Workflow, item.Stage
		}
	}
	a.t.Fatalf("no %q in the plan", product)
	return "", ""
}

const eaProduction = "Azure subscription (EA production)"

// TestBillingTransferApprovalAndCompletion: Contoso's demo request waits
// for the approval; the Admin agent records it and the completion, the plan
// follows to done, the walk-through counts it, and each change is audited.
// A Sales agent reads the page but may not act.
func TestBillingTransferApprovalAndCompletion(t *testing.T) {
	app := newTestApp(t)
	contoso := app.customerID("Contoso")
	path := fmt.Sprintf("/customers/%d/billing-transfer", contoso)
	if w, stage := app.planStage(contoso, eaProduction); w != domain.WorkflowAzureBillingTransfer || !strings.HasPrefix(stage, "Request sent") {
		t.Fatalf("demo plan: %s %q", w, stage)
	}
	b := app.billingOf(contoso)[0]

	jordan := app.signIn(salesAgent)
	page := app.get(jordan, path)
	if page.status != http.StatusOK || !strings.Contains(page.body, `data-status="sent"`) || !strings.Contains(page.body, "ea.admin@contoso.example") ||
		strings.Contains(page.body, "billing-approved") || !strings.Contains(page.body, "Add a new request") || !strings.Contains(page.body, "Lighthouse") {
		t.Fatalf("the Sales agent's page: %d", page.status)
	}
	if res := app.post(jordan, fmt.Sprintf("/billing-transfers/%d/approved", b.ID), url.Values{"date": {"2026-01-01"}}); res.status != http.StatusForbidden {
		t.Fatalf("a Sales agent recorded the approval: %d", res.status)
	}

	sam := app.signIn(adminAgent)
	if page := app.get(sam, path); !strings.Contains(page.body, "billing-approved") || !strings.Contains(page.body, `id="cancel-billing-transfer"`) {
		t.Fatal("the Admin agent is not offered the approval and the cancel")
	}
	today := app.clock.now().Format(domain.DateLayout)
	// A date before the request is refused, with the date kept.
	res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/approved", b.ID), url.Values{"date": {"2020-01-01"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "cannot be before the request was sent") || !strings.Contains(res.body, `value="2020-01-01"`) {
		t.Fatalf("an approval before the request: %d", res.status)
	}
	// Completion before the approval is refused.
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/completed", b.ID), url.Values{"date": {today}}); res.status != http.StatusConflict {
		t.Fatalf("completed before approval: %d", res.status)
	}
	before := app.overviewUsage(contoso)
	for _, step := range []string{"approved", "completed"} {
		if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/%s", b.ID, step), url.Values{"date": {today}}); res.status != http.StatusSeeOther || res.header.Get("Location") != path {
			t.Fatalf("%s: %d %s", step, res.status, res.body)
		}
	}
	if _, stage := app.planStage(contoso, eaProduction); !strings.HasPrefix(stage, "Done") {
		t.Errorf("the plan after completion: %q", stage)
	}
	if after := app.overviewUsage(contoso); after != before+1 {
		t.Errorf("usage done %d → %d, want one more", before, after)
	}
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/cancel", b.ID), confirmed()); res.status != http.StatusConflict {
		t.Errorf("cancelled once completed: %d", res.status)
	}
	for _, a := range []domain.AuditAction{domain.AuditBillingTransferApproved, domain.AuditBillingTransferCompleted} {
		if entries := app.auditEntries(a); len(entries) != 1 || entries[0].CustomerID != contoso {
			t.Errorf("%s entries: %+v", a, entries)
		}
	}
}

// overviewUsage is how many of the customer's transfers (a billing
// transfer among them) the walk-through counts as done.
func (a *testApp) overviewUsage(customerID int64) int {
	a.t.Helper()
	ov, err := a.customers.Overview(context.Background(), customerID)
	if err != nil {
		a.t.Fatal(err)
	}
	return ov.Summary.TransfersDone
}

// TestBillingTransferChecklist: after cancelling the demo request, a new
// checklist starts; the request waits for every prerequisite, a wrong role
// comes back with the input kept, and the request covers the EA Azure.
func TestBillingTransferChecklist(t *testing.T) {
	app := newTestApp(t)
	contoso := app.customerID("Contoso")
	path := fmt.Sprintf("/customers/%d/billing-transfer", contoso)
	sam := app.signIn(adminAgent)
	old := app.billingOf(contoso)[0]
	if res := app.post(sam, path, nil); res.status != http.StatusConflict {
		t.Fatalf("a second open billing transfer: %d", res.status)
	}
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/cancel", old.ID), confirmed()); res.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.status)
	}
	if res := app.post(sam, path, nil); res.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", res.status, res.body)
	}
	b := app.billingOf(contoso)[0]
	page := app.get(sam, path)
	if b.Status != domain.BillingPreparing || !strings.Contains(page.body, `id="billing-prerequisites"`) || !strings.Contains(page.body, `id="billing-not-ready"`) ||
		!strings.Contains(page.body, `id="billing-history"`) {
		t.Fatalf("the new checklist: %s", b.Status)
	}
	today := app.clock.now().Format(domain.DateLayout)
	send := url.Values{"version": {"1"}, "approver_email": {"billing@contoso.example"}, "approver_role": {"ea_account_owner"}, "sent_on": {today}}
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/send", b.ID), send); res.status != http.StatusConflict || !strings.Contains(res.body, "cannot be sent yet") {
		t.Fatalf("sent before the prerequisites: %d", res.status)
	}
	ticks := url.Values{"version": {"1"}, "mca_accepted": {"1"}, "azure_plan": {"1"}, "agreement": {"direct_ea"}, "same_tenant": {"1"},
		"marketplace_eligible": {"1"}, "none_disabled": {"1"}}
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/prerequisites", b.ID), ticks); res.status != http.StatusSeeOther {
		t.Fatalf("prerequisites: %d %s", res.status, res.body)
	}
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/prerequisites", b.ID), ticks); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "stale") {
		t.Fatalf("prerequisites from a stale form: %d", res.status)
	}
	send.Set("version", "2")
	send.Set("approver_role", "mca_owner")
	res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/send", b.ID), send)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "EA administrator") || !strings.Contains(res.body, `value="billing@contoso.example"`) {
		t.Fatalf("an MCA role for an EA: %d", res.status)
	}
	send.Set("approver_role", "ea_account_owner")
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/send", b.ID), send); res.status != http.StatusSeeOther {
		t.Fatalf("send: %d %s", res.status, res.body)
	}
	b = app.billingOf(contoso)[0]
	subs, _ := app.store.AllSubscriptions(context.Background(), contoso)
	var ea int64
	for _, s := range subs {
		if s.Product == eaProduction {
			ea = s.ID
		}
	}
	if b.Status != domain.BillingSent || len(b.SubscriptionIDs) != 1 || b.SubscriptionIDs[0] != ea || b.ApproverRole != domain.ApproverEAAccountOwner {
		t.Fatalf("sent: %+v", b)
	}
	if res := app.post(sam, fmt.Sprintf("/billing-transfers/%d/declined", b.ID), url.Values{"date": {today}, "confirmed": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("declined: %d", res.status)
	}
	if _, stage := app.planStage(contoso, eaProduction); !strings.Contains(stage, "declined") {
		t.Errorf("plan after the decline: %q", stage)
	}
}

// TestBillingTransferLinks: the Azure step and the plan link the billing
// transfer page; Litware's EA Azure waits for its revoked relationship.
func TestBillingTransferLinks(t *testing.T) {
	app := newTestApp(t)
	sam := app.signIn(adminAgent)
	contoso := app.customerID("Contoso")
	path := fmt.Sprintf("/customers/%d/billing-transfer", contoso)
	for _, page := range []string{"azure", "plan"} {
		if res := app.get(sam, fmt.Sprintf("/customers/%d/%s", contoso, page)); !strings.Contains(res.body, `href="`+path+`"`) {
			t.Errorf("the %s page does not link the billing transfer", page)
		}
	}
	litware := app.customerID("Litware")
	if w, stage := app.planStage(litware, "Azure subscription (production)"); w != domain.WorkflowAzureBillingTransfer || stage != "Needs the reseller relationship first." {
		t.Errorf("Litware: %s %q", w, stage)
	}
}

// TestSettingsAzureExpertMSPSwitch: the designation is kept by the form,
// refused for a partner that is not direct bill (422, input kept), and
// turning it off is audited and puts EA Azure back on the new CSP
// subscription path.
func TestSettingsAzureExpertMSPSwitch(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	if page := app.get(admin, "/settings"); !strings.Contains(page.body, `id="azure_expert_msp" name="azure_expert_msp" value="1" checked`) {
		t.Fatal("the settings page does not show the demo partner's designation")
	}
	res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"azure_expert_msp": "1", "csp_model": "indirect_provider"}))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Only a direct-bill partner") ||
		!strings.Contains(res.body, `value="indirect_provider" selected`) || !strings.Contains(res.body, `value="1" checked`) {
		t.Fatalf("the designation for an indirect provider: %d", res.status)
	}
	// Saving with it ticked keeps it.
	if res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"azure_expert_msp": "1", "name": "Wingtip Partners"})); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	if p, _ := app.store.Partner(context.Background()); !p.AzureExpertMSP {
		t.Fatal("saving the settings dropped the designation")
	}
	if res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"name": "Wingtip Partners"})); res.status != http.StatusSeeOther {
		t.Fatalf("untick: %d", res.status)
	}
	entries := app.auditEntries(domain.AuditSettingsChanged)
	if len(entries) == 0 || !strings.Contains(entries[0].Detail, "azure_expert_msp true → false") {
		t.Errorf("audit: %+v", entries)
	}
	if w, _ := app.planStage(app.customerID("Contoso"), eaProduction); w != domain.WorkflowAzureNewSubscription {
		t.Errorf("EA Azure without the designation: %s", w)
	}
}
