package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// azureSubscription finds a demo customer's subscription whose workflow is a
// new CSP Azure subscription and whose checklist has not started.
func (a *testApp) azureSubscription(customer string) (int64, int64) {
	a.t.Helper()
	id := a.customerID(customer)
	cu, _ := a.store.Customer(context.Background(), id)
	subs, _ := a.store.AllSubscriptions(context.Background(), id)
	started, _ := a.store.AzureMigrations(context.Background(), id)
	for _, s := range subs {
		if _, ok := started[s.ID]; !ok && domain.Classify(s.Key(), cu.IsCSPPartner, domain.Rules{}).Workflow == domain.WorkflowAzureNewSubscription {
			return id, s.ID
		}
	}
	a.t.Fatalf("%s has no Azure subscription to replace", customer)
	return 0, 0
}

func TestAzureChecklistInOrder(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	contoso, sub := app.azureSubscription("Contoso") // Contoso's relationship is active
	base := fmt.Sprintf("/customers/%d/azure/%d", contoso, sub)
	today := time.Now().UTC().Format(domain.DateLayout)
	page := app.get(agent, fmt.Sprintf("/customers/%d/azure", contoso))
	if page.status != http.StatusOK || !strings.Contains(page.body, fmt.Sprintf(`id="azure-%d"`, sub)) || !strings.Contains(page.body, "No CSP subscription yet.") {
		t.Fatalf("checklist page: %d", page.status)
	}

	// version is what the checklist's form for step sends back.
	version := func(step string) string {
		return formVersion(t, app.get(agent, base).body, base+"/"+step)
	}

	// A later step before an earlier one: 409 with the reason.
	res := app.post(agent, base+"/moved", url.Values{"moved_note": {"VMs"}, "moved_on": {today}, "expected": {"2"}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Step 2 comes first") {
		t.Fatalf("step 3 first: %d", res.status)
	}
	// Step 2 with errors keeps what was typed.
	res = app.post(agent, base+"/csp", url.Values{"csp_subscription_id": {"not-a-guid"}, "display_name": {"Contoso prod"}, "created_on": {today}, "expected": {"2"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="not-a-guid"`) || !strings.Contains(res.body, "csp_subscription_id-error") {
		t.Fatalf("invalid step 2: %d", res.status)
	}
	csp := url.Values{"csp_subscription_id": {"11111111-2222-3333-4444-555555555555"}, "display_name": {"Contoso prod"},
		"created_on": {today}, "created_by_role": {"admin_agent"}, "expected": {"2"}, "version": {version("csp")}}
	if res := app.post(agent, base+"/csp", csp); res.status != http.StatusSeeOther {
		t.Fatalf("step 2: %d %s", res.status, res.body)
	}
	// The same form sent again (a double click, or a second user) is stale:
	// it comes back as typed, beside what is recorded now.
	if res := app.post(agent, base+"/csp", with(csp, "display_name", "Contoso prod 2")); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "Someone saved this after you opened the form") || !strings.Contains(res.body, `value="Contoso prod 2"`) ||
		!strings.Contains(res.body, "<th scope=\"row\">Display name</th><td data-label=\"Stored now\">Contoso prod</td><td data-label=\"Yours\">Contoso prod 2</td>") {
		t.Errorf("a stale step 2: %d %s", res.status, res.body)
	}
	page = app.get(agent, fmt.Sprintf("/customers/%d/plan", contoso))
	if !strings.Contains(page.body, "Coexisting: CSP and Third-party reseller.") {
		t.Error("the plan does not show the coexistence")
	}
	if res := app.post(agent, base+"/cancelled", url.Values{"scope": {"whole"}, "cancelled_on": {today}, "cancelled_by": {"customer"}, "expected": {"3"}}); res.status != http.StatusConflict {
		t.Errorf("step 4 before 3: %d", res.status)
	}
	// The move cannot be dated before the CSP subscription was created.
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(domain.DateLayout)
	if res := app.post(agent, base+"/moved", url.Values{"moved_note": {"VMs"}, "moved_on": {yesterday}, "expected": {"3"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "cannot be before") {
		t.Errorf("a move dated before the CSP subscription: %d", res.status)
	}
	if res := app.post(agent, base+"/moved", url.Values{"moved_note": {"VMs and storage"}, "moved_on": {today}, "expected": {"3"},
		"version": {version("moved")}}); res.status != http.StatusSeeOther {
		t.Fatalf("step 3: %d", res.status)
	}
	// Step 4: named services need their names.
	if res := app.post(agent, base+"/cancelled", url.Values{"scope": {"services"}, "services": {" "}, "cancelled_on": {today}, "cancelled_by": {"partner"}, "expected": {"4"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("services without names: %d", res.status)
	}
	if res := app.post(agent, base+"/cancelled", url.Values{"scope": {"services"}, "services": {"Virtual machines\nStorage"}, "cancelled_on": {today},
		"cancelled_by": {"partner"}, "reference": {"CR-42"}, "expected": {"4"}, "version": {version("cancelled")}}); res.status != http.StatusSeeOther {
		t.Fatalf("step 4: %d", res.status)
	}
	page = app.get(agent, base)
	if !strings.Contains(page.body, "Done: moved to CSP") {
		t.Error("the checklist is not done")
	}
	if want := "Cancelled on " + today + " by us, the partner: these services: Virtual machines, Storage."; !strings.Contains(page.body, want) {
		t.Errorf("step 4's summary does not read %q", want)
	}
	// A correction of step 2 is allowed, audited, and does not move the checklist back.
	csp.Set("display_name", "Contoso production")
	csp.Set("expected", "5")
	csp.Set("version", version("csp"))
	if res := app.post(agent, base+"/csp", csp); res.status != http.StatusSeeOther {
		t.Fatalf("correction: %d", res.status)
	}
	// A second correction from a form filled before the first is stale,
	// although the checklist stands at the same step: nothing is overwritten.
	if res := app.post(agent, base+"/csp", with(csp, "display_name", "Contoso live")); res.status != http.StatusConflict {
		t.Errorf("a stale correction: %d", res.status)
	}
	m, _ := app.store.AzureMigrations(context.Background(), contoso)
	if m[sub].Step != domain.MigrationDone || m[sub].DisplayName != "Contoso production" {
		t.Errorf("after the correction: %+v", m[sub])
	}
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 50})
	recorded, corrected := 0, 0
	for _, e := range entries {
		switch e.Action {
		case "azure_step_recorded":
			recorded++
		case "azure_step_corrected":
			corrected++
			if !strings.Contains(e.Detail, `from 11111111-2222-3333-4444-555555555555 "Contoso prod"`) || !strings.Contains(e.Detail, `"Contoso production"`) {
				t.Errorf("the correction's audit entry does not keep the values before and after: %q", e.Detail)
			}
		}
	}
	if recorded != 3 || corrected != 1 {
		t.Errorf("audit: %d steps recorded and %d corrected, want 3 and 1", recorded, corrected)
	}
}

func TestAzureChecklistNeedsTheRelationshipAndTheRole(t *testing.T) {
	app := newTestApp(t)
	today := time.Now().UTC().Format(domain.DateLayout)
	csp := url.Values{"csp_subscription_id": {"11111111-2222-3333-4444-555555555555"}, "display_name": {"x"}, "created_on": {today}, "created_by_role": {"global_admin"}}
	// Northwind's relationship is pending: step 1 is not done.
	northwind, sub := app.azureSubscription("Northwind")
	agent := app.signIn(adminAgent)
	if page := app.get(agent, fmt.Sprintf("/customers/%d/azure", northwind)); !strings.Contains(page.body, "relationship-first") {
		t.Error("the page does not say the relationship comes first")
	}
	if res := app.post(agent, fmt.Sprintf("/customers/%d/azure/%d/csp", northwind, sub), csp); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "Step 1 comes first") {
		t.Errorf("step 2 without a relationship: %d", res.status)
	}
	// A Sales agent sees the checklist but may not record anything.
	contoso, contosoSub := app.azureSubscription("Contoso")
	sales := app.signIn(salesAgent)
	if page := app.get(sales, fmt.Sprintf("/customers/%d/azure/%d", contoso, contosoSub)); page.status != http.StatusOK ||
		!strings.Contains(page.body, "No CSP subscription yet.") || strings.Contains(page.body, "Save step") {
		t.Error("the Sales agent is offered the checklist forms")
	}
	for _, step := range []string{"csp", "moved", "cancelled"} {
		if res := app.post(sales, fmt.Sprintf("/customers/%d/azure/%d/%s", contoso, contosoSub, step), csp); res.status != http.StatusForbidden {
			t.Errorf("Sales agent step %s: %d", step, res.status)
		}
	}
	// Another customer's subscription is not reachable through this one.
	if res := app.post(agent, fmt.Sprintf("/customers/%d/azure/%d/csp", contoso, sub), csp); res.status != http.StatusNotFound {
		t.Errorf("a subscription of another customer: %d", res.status)
	}
}
